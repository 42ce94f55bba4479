import type { Job, Workflow } from './model.js';
import { mapGet, scalarText } from './action-inputs.js';

/* ------------------------------------------------------------------------------------------ */
/* Paths inside the workspace                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** Marker for "somewhere outside the workspace" (absolute paths, `$HOME`, `${{ runner.temp }}`). */
export const OUTSIDE = '\u0000outside';

/**
 * Normalizes a directory or file path to a workspace-relative posix path ('' = workspace root).
 * `${{ github.workspace }}`, `$GITHUB_WORKSPACE` and `./` prefixes are the root; absolute paths,
 * `~`, `$HOME`, `$RUNNER_TEMP` and `${{ runner.temp }}` are OUTSIDE.
 */
export function normalizeWorkspacePath(p: string | undefined, base = ''): string {
  if (p === undefined) return base;
  let s = p.trim().replace(/^["']|["']$/g, '').replace(/\\/g, '/');
  s = s.replace(/\$\{\{\s*github\.workspace\s*\}\}/gi, '.').replace(/\$\{?GITHUB_WORKSPACE\}?/g, '.');
  if (/^(\/|~|\$\{?(HOME|RUNNER_TEMP|RUNNER_TOOL_CACHE|TMPDIR)\b|\$\{\{\s*runner\.)/i.test(s)) return OUTSIDE;
  if (base === OUTSIDE) return OUTSIDE;
  const parts = base === '' ? [] : base.split('/');
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return OUTSIDE;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** `path` is `dir` or below it ('' contains every workspace path). */
export function isWithin(path: string, dir: string): boolean {
  if (path === OUTSIDE || dir === OUTSIDE) return path === dir;
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** `defaults.run.working-directory` of the job, else of the workflow. */
export function defaultWorkingDirectory(workflow: Workflow | undefined, job: Job | undefined): string | undefined {
  const fromJob = job ? scalarText(mapGet(mapGet(mapGet(job.node, 'defaults'), 'run'), 'working-directory')) : undefined;
  if (fromJob !== undefined) return fromJob;
  return workflow ? scalarText(mapGet(mapGet(mapGet(workflow.root, 'defaults'), 'run'), 'working-directory')) : undefined;
}
