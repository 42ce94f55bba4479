/** Files that define what GitHub Actions runs: workflows, and local actions (`action.yml`). */
export function isWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path);
}

/** Local composite or JavaScript actions change what a workflow runs just as much. */
export function isActionDefinitionPath(path: string): boolean {
  return /(?:^|\/)action\.ya?ml$/i.test(path) && !path.startsWith('.github/workflows/');
}
