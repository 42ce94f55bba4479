import type { Confidence, Location, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Job, Step, Workflow } from '../../../platforms/github/model.js';
import { effectiveTriggers } from '../../../platforms/github/callers.js';
import { actionExecution } from '../../../platforms/github/script-events.js';
import { actionName, withEntry, withText } from '../../../platforms/github/action-inputs.js';
import { commandWords, shellCommands, type ShellCommand } from '../../../shell/words.js';
import { defaultWorkingDirectory, isWithin, normalizeWorkspacePath, OUTSIDE } from '../../../platforms/github/workspace.js';
import { executionOf, optionValue } from '../../../platforms/github/workspace-execution.js';
import { isCheckoutStep } from '../../../platforms/github/checkout.js';
import { jobGate } from '../../../platforms/github/gates.js';
import { jobRefScope } from '../../../platforms/github/pr-code-flow.js';
import { scriptLocation } from '../../../shell/location.js';
import { triggeringRunDownloads, workflowRunReachableByOutsiders, type ArtifactDownload } from '../../../platforms/github/workflow-run.js';
import { loc, related, stepKey } from '../util.js';

/**
 * Where the triggering run's files are in this job. `direct`: files are in `path` itself (and can
 * overwrite tracked files there); otherwise in unknown per-artifact subdirectories of `path`.
 */
interface Area {
  path: string;
  /** Text that names the area in scripts (`artifacts` for `${{ runner.temp }}/artifacts`). */
  token?: string;
  direct: boolean;
  download: ArtifactDownload;
  /** The unzip/tar step that put the files there, when not the download itself. */
  extractedBy?: { step: Step; offset?: number };
}

type Kind = 'exec' | 'env' | 'output' | 'data';

interface Use {
  kind: Kind;
  what: string;
  area: Area;
  location: Location;
  validated: boolean;
}

const SEVERITY: Record<Kind, Severity> = { exec: 'high', env: 'high', output: 'medium', data: 'medium' };
const READERS = new Set(['cat', 'head', 'tail', 'jq', 'yq', 'awk', 'sed', 'grep', 'read', 'xargs', 'tr', 'cut', 'less', 'source', '.', 'sort', 'base64', 'unzip', 'tar']);
const SHELLS = /^(ba|z|da|k)?sh$|^python[23]?$|^node$|^ruby$|^perl$/;
/** Digits-only checks: `[[ $n =~ ^[0-9]+$ ]]`, `grep -E '^[0-9]+$'`, `tr -dc 0-9`, jq `tonumber`, `printf %d`. */
const VALIDATION_RE = /=~\s*['"]?\^?\[0-9\]|\^\[0-9\]\+\$|\^\\d\+\$|\[\[:digit:\]\]|tr\s+-dc\s+['"]?0-9|\btonumber\b|printf\s+['"]?%d|\bNumber\(|\bparseInt\(|\bNumber\.isInteger\(/;

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'artifact-poisoning',
    title: "Triggering run's artifacts executed or trusted in a privileged workflow_run job",
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-9', 'CICD-SEC-4'],
    cwe: ['CWE-494', 'CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      const triggers = effectiveTriggers(model, wf);
      if (!triggers.has('workflow_run')) continue;
      if (!workflowRunReachableByOutsiders(model, wf, (w) => effectiveTriggers(model, w))) continue;
      for (const job of wf.jobs) checkJob(wf, job, triggers, report);
    }
  },
};

type Report = Parameters<Rule<GithubModel>['check']>[1];

function areaToken(d: ArtifactDownload): string | undefined {
  if (d.pathText === undefined || d.path === '') return undefined;
  const last = d.pathText.replace(/\/+$/, '').split('/').pop() ?? '';
  return /^[\w.-]+$/.test(last) && last !== '.' ? last : undefined;
}

function checkJob(wf: Workflow, job: Job, triggers: ReadonlySet<string>, report: Report): void {
  const gate = jobGate(wf, job, new Set(['workflow_run']));
  if (gate.kind === 'trusted') return;
  const scopeOf = jobRefScope(wf, job, triggers);
  const startDir = normalizeWorkspacePath(defaultWorkingDirectory(wf, job));
  const areas: Area[] = [];
  let checkedOut = false;
  for (const step of job.steps) {
    const cwd = step.workingDirectory !== undefined ? normalizeWorkspacePath(step.workingDirectory, startDir) : startDir;
    const downloads = triggeringRunDownloads(step, scopeOf(step.index), cwd);
    for (const d of downloads) areas.push({ path: d.path, token: areaToken(d), direct: d.direct, download: d });
    // A run: step can download and use in one script: only what follows the first download counts.
    if (downloads.length > 0 && !step.run) continue;
    if (isCheckoutStep(step)) checkedOut = true;
    if (areas.length === 0) continue;
    const uses = usesOf(wf, step, cwd, areas, checkedOut, downloads[0]?.offset ?? -1);
    if (uses.length === 0) continue;
    const worst = uses.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    emit(wf, job, step, worst, gate.kind === 'maintainer' ? gate.node : undefined, report);
  }
}

function rank(u: Use): number {
  return { exec: 4, env: 3, output: 2, data: 1 }[u.kind] * 2 + (u.validated ? 0 : 1);
}

/** Does a word (file argument) name something inside an artifact area? */
function inArea(word: string, cwd: string, area: Area, checkedOut: boolean): boolean {
  const w = word.replace(/^<+/, '');
  if (w === '' || w.startsWith('-')) return false;
  if (area.token && new RegExp(`(^|[/"'{}$])${area.token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`).test(w)) return true;
  if (area.path === OUTSIDE) return false;
  if (w.startsWith('/') || w.startsWith('~') || w.startsWith('$') || w.includes('://')) return false;
  const p = normalizeWorkspacePath(w, cwd);
  if (p === OUTSIDE || !isWithin(p, area.path)) return false;
  if (area.direct) return true;
  // Per-artifact subdirectories: below the area, and not a tracked file of a checkout.
  return p !== area.path && !checkedOut;
}

function areaHolds(target: string, area: Area, checkedOut: boolean): boolean {
  if (area.path === OUTSIDE || target === OUTSIDE) return false;
  if (!isWithin(target, area.path)) return false;
  if (area.direct) return true;
  return target !== area.path ? !checkedOut : false;
}

function usesOf(wf: Workflow, step: Step, cwd: string, areas: Area[], checkedOut: boolean, after: number): Use[] {
  const out: Use[] = [];
  const src = wf.source;
  if (step.run && typeof step.run.value === 'string') {
    const script = step.run.value;
    const cmds = shellCommands(script);
    const at = (c: ShellCommand): Location => scriptLocation(src, step.run!, c.start);
    let dir = cwd;
    let reads: { area: Area; cmd: ShellCommand } | undefined;
    const validated = VALIDATION_RE.test(script);
    cmds.forEach((c, k) => {
      const w = commandWords(c.words);
      if (w.length === 0) return;
      const tool = w[0]!;
      if ((tool === 'cd' || tool === 'pushd') && w[1]) {
        dir = normalizeWorkspacePath(w[1], dir);
        return;
      }
      if (c.start <= after) return;
      const fileArgs = w.slice(1).filter((a) => !a.startsWith('-'));
      const areaOf = (words: string[]): Area | undefined => areas.find((a) => words.some((x) => inArea(x, dir, a, checkedOut)));
      // Extraction into the workspace root overwrites tracked files: later code there is the artifact's.
      if (tool === 'unzip' || (tool === 'tar' && w.some((x) => /^-?[a-zA-Z]*x/.test(x)))) {
        const src0 = areaOf(fileArgs) ?? (areas.some((a) => a.download.what.includes('github-script')) ? areas.find((a) => a.download.what.includes('github-script')) : undefined);
        const dest = optionValue(w.slice(1), tool === 'unzip' ? ['-d'] : ['-C', '--directory']);
        if (src0) {
          const path = normalizeWorkspacePath(dest, dir);
          areas.push({ path, token: dest ? areaToken({ ...src0.download, pathText: dest, path }) : undefined, direct: true, download: src0.download, extractedBy: { step, offset: c.start } });
        }
        return;
      }
      // Running a file from the artifact, or workspace code the artifact overwrote.
      const prev = cmds[k - 1];
      if (c.after === '|' && SHELLS.test(tool.replace(/^.*\//, '')) && fileArgs.length === 0 && prev) {
        const a = areaOf(commandWords(prev.words).slice(1));
        if (a) out.push({ kind: 'exec', what: `pipes "${commandWords(prev.words).join(' ')}" into ${tool}`, area: a, location: at(prev), validated: false });
        return;
      }
      const direct = (tool.includes('/') ? areaOf([tool]) : undefined) ?? (SHELLS.test(tool.replace(/^.*\//, '')) || tool === 'source' || tool === '.' ? areaOf(fileArgs.slice(0, 1)) : undefined);
      if (direct) {
        out.push({ kind: 'exec', what: `runs "${[tool, ...fileArgs.slice(0, 1)].join(' ')}"`, area: direct, location: at(c), validated: false });
        return;
      }
      const exec = executionOf(c, dir);
      const hit = exec && areas.find((a) => exec.targets.some((t) => areaHolds(t, a, checkedOut)));
      if (exec && hit) {
        out.push({ kind: 'exec', what: `runs "${exec.what}" over files`, area: hit, location: at(c), validated: false });
        return;
      }
      if (!reads && (READERS.has(tool) || w.some((x) => x === '<' || x.startsWith('<')))) {
        const a = areaOf(fileArgs.map((x) => x.replace(/^<+/, '')).filter(Boolean));
        if (a) reads = { area: a, cmd: c };
      }
    });
    if (reads) {
      const envCmd = cmds.find((c) => c.words.some((x) => /\$\{?GITHUB_(ENV|PATH)\b/.test(x)));
      const outCmd = cmds.find((c) => c.words.some((x) => /\$\{?GITHUB_OUTPUT\b/.test(x)));
      if (envCmd) out.push({ kind: 'env', what: `writes file content to ${/GITHUB_PATH/.test(envCmd.words.join(' ')) ? '$GITHUB_PATH' : '$GITHUB_ENV'}`, area: reads.area, location: at(envCmd), validated: false });
      else if (outCmd) out.push({ kind: 'output', what: 'writes file content to $GITHUB_OUTPUT', area: reads.area, location: at(outCmd), validated });
    }
    return out;
  }
  if (actionName(step) === 'actions/github-script') {
    const script = withText(step, 'script') ?? '';
    if (!/\breadFile(Sync)?\(|\bfs\.promises\.readFile\(/.test(script)) return out;
    const area = areas.find((a) => (a.token ? script.includes(a.token) : a.path !== OUTSIDE));
    if (!area) return out;
    const location = loc(src, withEntry(step, 'script')?.value ?? step.node);
    if (/\bexportVariable\(|\baddPath\(/.test(script)) out.push({ kind: 'env', what: 'exports file content with core.exportVariable', area, location, validated: false });
    else if (/\beval\(|new Function\(|\brequire\(/.test(script)) out.push({ kind: 'exec', what: 'evaluates file content', area, location, validated: false });
    else out.push({ kind: 'data', what: 'reads file content', area, location, validated: VALIDATION_RE.test(script) });
    return out;
  }
  const exec = actionExecution(step, cwd);
  const hit = exec && areas.find((a) => exec.targets.some((t) => areaHolds(t, a, checkedOut)));
  if (exec && hit) out.push({ kind: 'exec', what: `runs "${exec.what}" over files`, area: hit, location: loc(src, step.uses?.node ?? step.node), validated: false });
  return out;
}

function emit(wf: Workflow, job: Job, step: Step, u: Use, gateNode: unknown, report: Report): void {
  const d = u.area.download;
  let severity: Severity = SEVERITY[u.kind];
  let confidence: Confidence = d.confidence;
  if (u.validated) severity = 'low';
  if (gateNode) {
    severity = severity === 'high' ? 'medium' : 'low';
    confidence = confidence === 'high' ? 'medium' : 'low';
  }
  const dlWhere = d.step.run ? scriptLocation(wf.source, d.step.run, d.offset) : loc(wf.source, d.node ?? d.step.node);
  const rel: RelatedLocation[] = [{ ...dlWhere, message: `step "${d.step.label}" downloads artifacts of the triggering run, which a fork's pull request controls` }];
  const ex = u.area.extractedBy;
  if (ex?.step.run) rel.push({ ...scriptLocation(wf.source, ex.step.run, ex.offset), message: `step "${ex.step.label}" extracts them into the workspace` });
  const trig = wf.triggers.find((t) => t.name === 'workflow_run');
  if (trig) rel.push(related(wf.source, trig.node, '"workflow_run" gives this job the base repository\'s secrets and token'));
  const advice = u.kind === 'exec' || u.kind === 'env' ? 'treat artifacts as untrusted data' : u.validated ? 'keep validating it' : 'validate it before use';
  report({
    message: `step "${step.label}" ${u.what} from artifacts of the triggering run (downloaded by step "${d.step.label}"); ${advice}`,
    location: u.location,
    related: rel,
    severity,
    confidence,
    route: `jobs.${job.id}.steps[${stepKey(step)}]:${u.kind}`,
  });
}
