import { isScalar, type Node } from 'yaml';
import { findTemplates } from './expressions/extract.js';
import type { Step, Workflow } from './model.js';
import { actionName, mapGet, scalarText, withEntry, withText } from './action-inputs.js';
import { commandWords, shellCommands } from '../../shell/words.js';
import { normalizeWorkspacePath, OUTSIDE } from './workspace.js';
import { optionValue } from './workspace-execution.js';
import { OUTSIDER_EVENTS } from './gates.js';
import { type RefScope, valueAccesses } from './untrusted-refs.js';

/* ------------------------------------------------------------------------------------------ */
/* workflow_run: who can start the upstream run, and its artifacts                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * Can an outsider cause the runs that trigger this `workflow_run` workflow? False only when every
 * workflow named in `workflows:` is in the model and none of them has a trigger an outsider can
 * cause (a fork PR, a comment...). Without the upstream files we cannot know: true.
 */
export function workflowRunReachableByOutsiders(models: { workflows: Workflow[] }, wf: Workflow, upstreamTriggers: (w: Workflow) => ReadonlySet<string>): boolean {
  const trig = wf.triggers.find((t) => t.name === 'workflow_run');
  if (!trig?.config) return true;
  const list = mapGet(trig.config, 'workflows');
  const names: string[] = [];
  if (isScalar(list)) names.push(String(list.value));
  else if (list && 'items' in list && Array.isArray((list as { items: unknown[] }).items)) {
    for (const item of (list as { items: unknown[] }).items) {
      const t = scalarText(item);
      if (t !== undefined) names.push(t);
    }
  }
  if (names.length === 0) return true;
  for (const name of names) {
    const matches = models.workflows.filter((w) => w.name === name || w.source.path.endsWith(`/${name}`));
    if (matches.length === 0) return true;
    for (const m of matches) for (const t of upstreamTriggers(m)) if (OUTSIDER_EVENTS.has(t) || t === 'workflow_call' || t === 'workflow_run') return true;
  }
  return false;
}

export interface ArtifactDownload {
  step: Step;
  /** Where to point: the `run-id`/`run_id` value, the run: script line, or the uses: reference. */
  node: Node | null;
  offset?: number;
  /** Workspace-relative directory the files land in ('' = workspace root, OUTSIDE = runner temp...). */
  path: string;
  /** The destination as written, for matching later reads of it. */
  pathText?: string;
  what: string;
  confidence: 'high' | 'medium';
  /**
   * Files land directly in `path` (one named artifact, or merged): they can overwrite tracked
   * files there. Otherwise each artifact gets its own subdirectory `path/<artifact name>/`.
   */
  direct: boolean;
}

function mentionsTriggeringRun(text: string | undefined, scope: RefScope, depth = 0): boolean {
  if (text === undefined || depth > 4) return false;
  if (/\bworkflow_run\.id\b|payload\.workflow_run\.id\b/.test(text)) return true;
  for (const t of findTemplates(text)) {
    if (!t.ast) continue;
    for (const { path: p } of valueAccesses(t.ast)) {
      if (p.join('.') === 'github.event.workflow_run.id' || p.join('.') === 'github.event.workflow_run.workflow_id') return true;
      if (p[0] === 'env' && p[1]) {
        const e = scope.env.flat().find((x) => x.key.toLowerCase() === p[1]);
        if (e && mentionsTriggeringRun(e.text, scope, depth + 1)) return true;
      }
    }
  }
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const e = scope.env.flat().find((x) => x.key === m[1]);
    if (e && mentionsTriggeringRun(e.text, scope, depth + 1)) return true;
  }
  return false;
}

/**
 * Downloads of artifacts from the run that triggered a `workflow_run` workflow: whatever the
 * (possibly fork) pull request's workflow uploaded. actions/download-artifact without `run-id`
 * reads the current run's artifacts and is not one.
 */
export function triggeringRunDownloads(step: Step, scope: RefScope, cwd: string): ArtifactDownload[] {
  const name = actionName(step);
  if (name === 'actions/download-artifact') {
    const runId = withEntry(step, 'run-id');
    if (!runId?.text) return [];
    const pathText = withText(step, 'path');
    const merge = /^true$/i.test(withText(step, 'merge-multiple')?.trim() ?? '');
    return [{
      step, node: runId.value, path: normalizeWorkspacePath(pathText), pathText, what: 'actions/download-artifact',
      confidence: mentionsTriggeringRun(runId.text, scope) ? 'high' : 'medium', direct: withEntry(step, 'name') !== undefined || merge,
    }];
  }
  if (name === 'dawidd6/action-download-artifact') {
    const runId = withEntry(step, 'run_id');
    const pathText = withText(step, 'path');
    return [{
      step, node: runId?.value ?? step.uses!.node, path: normalizeWorkspacePath(pathText), pathText, what: 'dawidd6/action-download-artifact',
      confidence: runId && mentionsTriggeringRun(runId.text, scope) ? 'high' : 'medium', direct: withEntry(step, 'name') !== undefined,
    }];
  }
  if (name === 'actions/github-script') {
    const script = withText(step, 'script') ?? '';
    if (!/\bdownloadArtifact\b/.test(script)) return [];
    const outside = /RUNNER_TEMP|runner\.temp|os\.tmpdir\(\)/.test(script);
    // The script writes a zip somewhere; it is the unzip that follows that places files.
    return [{ step, node: withEntry(step, 'script')?.value ?? null, path: outside ? OUTSIDE : '', what: 'actions/github-script downloadArtifact', confidence: /workflow_run/.test(script) ? 'high' : 'medium', direct: false }];
  }
  if (step.run && typeof step.run.value === 'string') {
    const out: ArtifactDownload[] = [];
    let dir = cwd;
    for (const cmd of shellCommands(step.run.value)) {
      const w = commandWords(cmd.words);
      if ((w[0] === 'cd' || w[0] === 'pushd') && w[1]) dir = normalizeWorkspacePath(w[1], dir);
      if (w[0] !== 'gh' || w[1] !== 'run' || w[2] !== 'download') continue;
      const args = w.slice(3);
      const pathText = optionValue(args, ['-D', '--dir']);
      const high = args.some((a) => mentionsTriggeringRun(a, scope));
      const named = optionValue(args, ['-n', '--name']) !== undefined;
      out.push({ step, node: step.run, offset: cmd.start, path: pathText !== undefined ? normalizeWorkspacePath(pathText, dir) : dir, pathText, what: 'gh run download', confidence: high ? 'high' : 'medium', direct: named });
    }
    return out;
  }
  return [];
}
