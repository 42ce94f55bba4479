import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Confidence, Location, Severity } from '../../../core/finding.js';
import { RuleOptionsError, type Rule } from '../../../core/rule.js';
import { EXTERNALLY_TRIGGERABLE } from '../../../platforms/github/contexts.js';
import { FORK_CODE_EVENTS, selfHosted } from '../pr-runs-on-self-hosted/rule.js';
import { contextPath, type Expr } from '../../../platforms/github/expressions/ast.js';
import type { GithubModel, Job } from '../../../platforms/github/model.js';
import { jobGate, reachableBy } from '../../../platforms/github/permissions.js';
import { jobSites, loc, related, templatesIn } from '../util.js';
import { effectiveTriggers } from '../../../platforms/github/callers.js';
import { workflowRunReachableByOutsiders } from '../../../platforms/github/workflow-run.js';

/**
 * Labels of GitHub-hosted standard runners. Larger GitHub-hosted runners get custom labels chosen
 * by the organisation; list those in the `github-hosted-labels` option.
 */
export const GITHUB_HOSTED_LABELS = new Set([
  'ubuntu-latest', 'ubuntu-24.04', 'ubuntu-22.04', 'ubuntu-20.04', 'ubuntu-18.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'ubuntu-slim',
  'windows-latest', 'windows-2025', 'windows-2022', 'windows-2019', 'windows-11-arm', 'windows-latest-8-cores',
  'macos-latest', 'macos-26', 'macos-15', 'macos-14', 'macos-13', 'macos-12', 'macos-11',
  'macos-latest-large', 'macos-26-large', 'macos-15-large', 'macos-14-large', 'macos-13-large',
  'macos-latest-xlarge', 'macos-26-xlarge', 'macos-15-xlarge', 'macos-14-xlarge', 'macos-13-xlarge', 'macos-15-intel',
]);

/**
 * Names organisations give their larger GitHub-hosted runners follow GitHub's own examples: an OS
 * name plus a size or architecture (`ubuntu-22.04-16core`, `16-core-ubuntu`,
 * `windows-latest-8-cores`, `ubuntu-24.04-arm64-xl`, `macos-15-xlarge`). Those are GitHub-hosted
 * (fresh VM per job), not self-hosted.
 */
const OS = '(?:ubuntu|linux|windows|win|macos|mac|osx)';
const SIZE = '(?:\\d+-?(?:core|cores|cpu|cpus|vcpu|vcpus)|arm|arm64|aarch64|xl|xlarge|large|gpu(?:-[a-z0-9]+)?)';
const LARGER_HOSTED = [
  new RegExp(`^${OS}(?:-[a-z0-9.]+)*-${SIZE}(?:-[a-z0-9.]+)*$`, 'i'),
  new RegExp(`^\\d+-?(?:core|cores|cpu|cpus|vcpu|vcpus)-${OS}(?:-[a-z0-9.]+)*$`, 'i'),
];

/**
 * Runner services that start a fresh VM or container for each job (Depot, Blacksmith, BuildJet,
 * Namespace, WarpBuild, Ubicloud, Cirrus): not machines that keep state between jobs.
 */
const EPHEMERAL_SERVICES = /^(?:depot-|blacksmith(?:-|$)|buildjet-|namespace-profile-|nscloud-|warp-|ubicloud(?:-|$)|ghcr\.io\/cirruslabs\/)/i;

/** A label of a GitHub-hosted larger runner or of a per-job ephemeral runner service. */
export function isHostedLike(label: string): boolean {
  return EPHEMERAL_SERVICES.test(label) || LARGER_HOSTED.some((re) => re.test(label));
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'self-hosted-runner',
    title: 'Job runs on a self-hosted runner',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-7', 'CICD-SEC-4'],
    cwe: ['CWE-829', 'CWE-250'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const hosted = new Set([...GITHUB_HOSTED_LABELS, ...readLabels(options)]);
    for (const site of jobSites(model)) {
      const { job, source, workflow } = site;
      if (!job.runsOn) continue;
      const verdict = classify(site.source, job, job.runsOn, hosted);
      if (!verdict) continue;
      const gate = jobGate(job, site.triggers);
      let external = reachableBy(gate, EXTERNALLY_TRIGGERABLE);
      // A workflow_run fed only by workflows outsiders cannot start (pushes, schedules) is not theirs to trigger.
      if (external.includes('workflow_run') && !workflowRunReachableByOutsiders(model, workflow, (w) => effectiveTriggers(model, w))) {
        external = external.filter((t) => t !== 'workflow_run');
      }
      // Fork pull requests running their own code on a `self-hosted` runner are
      // pr-runs-on-self-hosted's finding: one finding per problem, not two on the same line.
      if (selfHosted(job) && external.some((t) => FORK_CODE_EVENTS.has(t))) {
        external = external.filter((t) => !FORK_CODE_EVENTS.has(t));
        if (external.length === 0) continue;
      }
      // An unknown label or a bare group is only possibly self-hosted (larger GitHub-hosted runners
      // take any name their owner gives them): a lead to check, low whoever can start the job.
      const severity: Severity = external.length === 0 || verdict.confidence === 'low' ? 'low' : 'high';
      const message =
        external.length > 0
          ? `job "${job.id}" runs on ${verdict.what} and can be started by outside users through ${external.map((t) => `"${t}"`).join(', ')}, so their code or input reaches a machine that keeps state between jobs; use a GitHub-hosted or ephemeral runner`
          : `job "${job.id}" runs on ${verdict.what}, which keeps state between jobs; no trigger of this workflow lets outside users start it`;
      report({
        message,
        location: verdict.location,
        severity,
        confidence: verdict.confidence,
        related: workflow.triggers
          .filter((t) => external.includes(t.name))
          .map((t) => related(source, t.node, `"${t.name}" can be caused by users without write access`)),
        route: `jobs.${job.id}.runs-on:${verdict.label}`,
      });
    }
  },
};

function readLabels(options: Readonly<Record<string, unknown>>): string[] {
  const v = options['github-hosted-labels'];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new RuleOptionsError('"github-hosted-labels" must be a list of strings');
  }
  return (v as string[]).map((s) => s.toLowerCase());
}

interface Verdict {
  what: string;
  label: string;
  confidence: Confidence;
  location: Location;
}

interface Candidate {
  label: string;
  node: Scalar;
  location: Location;
  /** Came from a matrix value or expression branch (not written literally in runs-on). */
  via?: string;
}

function classify(source: Parameters<typeof loc>[0], job: Job, runsOn: unknown, hosted: ReadonlySet<string>): Verdict | undefined {
  const candidates: Candidate[] = [];
  let group: Scalar | undefined;
  const addScalar = (s: Scalar): void => {
    const text = String(s.value ?? '');
    const templates = templatesIn(source, s);
    if (templates.length === 0) {
      candidates.push({ label: text.trim(), node: s, location: loc(source, s) });
      return;
    }
    // Only a label that is one whole expression can be resolved.
    const t = templates[0]!;
    if (templates.length !== 1 || text.trim() !== `\${{${t.inner}}}`.trim() || !t.ast) return;
    for (const v of outcomes(t.ast, job)) candidates.push({ label: v.label, node: s, location: t.location, via: v.via });
  };
  if (isScalar(runsOn)) addScalar(runsOn);
  else if (isSeq(runsOn)) for (const item of runsOn.items) { if (isScalar(item)) addScalar(item); }
  else if (isMap(runsOn)) {
    const g = runsOn.get('group', true);
    if (isScalar(g)) group = g;
    const labels: unknown = runsOn.get('labels', true);
    if (isScalar(labels)) addScalar(labels);
    else if (isSeq(labels)) for (const item of labels.items) { if (isScalar(item)) addScalar(item); }
  }
  const explicit = candidates.find((c) => c.label.toLowerCase() === 'self-hosted');
  if (explicit) {
    return {
      what: explicit.via ? `a self-hosted runner (${explicit.via})` : 'a self-hosted runner',
      label: 'self-hosted',
      confidence: 'high',
      location: explicit.location,
    };
  }
  const custom = candidates.find((c) => c.label !== '' && !hosted.has(c.label.toLowerCase()) && !isHostedLike(c.label));
  if (custom) {
    return {
      what: `runner label "${custom.label}" (${custom.via ? `${custom.via}; ` : ''}neither a known GitHub-hosted label nor "self-hosted": possibly self-hosted)`,
      label: custom.label,
      confidence: 'low',
      location: custom.location,
    };
  }
  if (group && candidates.length === 0) {
    const name = String(group.value ?? '');
    return {
      what: `runner group "${name}" (self-hosted unless it holds larger GitHub-hosted runners)`,
      label: `group:${name}`,
      confidence: 'low',
      location: loc(source, group),
    };
  }
  return undefined;
}

/** Label values an expression can take: literals, `a || b`, `c && a`, static matrix values, fromJSON of a literal. */
function outcomes(e: Expr, job: Job, depth = 0): Array<{ label: string; via?: string }> {
  if (depth > 16) return [];
  switch (e.type) {
    case 'literal':
      return typeof e.value === 'string' ? [{ label: e.value, via: 'chosen by an expression' }] : [];
    case 'logical':
      return e.op === '||' ? [...outcomes(e.left, job, depth + 1), ...outcomes(e.right, job, depth + 1)] : outcomes(e.right, job, depth + 1);
    case 'call':
      if (e.callee === 'fromjson' && e.args[0]?.type === 'literal' && typeof e.args[0].value === 'string') {
        try {
          const v: unknown = JSON.parse(e.args[0].value);
          const list = Array.isArray(v) ? v : [v];
          return list.filter((x): x is string => typeof x === 'string').map((label) => ({ label, via: 'chosen by an expression' }));
        } catch {
          return [];
        }
      }
      return [];
    default: {
      const p = contextPath(e);
      if (!p || p[0] !== 'matrix' || p.length < 2) return [];
      // A matrix value that is itself an expression (`${{ fromJSON(needs.x.outputs.os) }}`) is not a label.
      return matrixValues(job, p.slice(1))
        .filter((label) => !label.includes('${{'))
        .map((label) => ({ label, via: `matrix value "${label}"` }));
    }
  }
}

/** Most combinations expanded to apply `exclude:` exactly (GitHub allows 256 jobs per matrix). */
const MAX_COMBINATIONS = 256;

/**
 * Static values of `matrix.<path>` over the combinations that run: the product of the axes minus
 * `exclude:` entries (an entry removes the combinations it matches on every key it names), plus
 * `include:` entries. Falls back to every written value when the product is too large.
 */
function matrixValues(job: Job, path: string[]): string[] {
  const m = job.matrix;
  if (!m || !isMap(m)) return [];
  const out: string[] = [];
  const follow = (n: unknown, rest: string[]): void => {
    if (rest.length === 0) {
      if (isScalar(n) && typeof n.value === 'string') out.push(n.value);
      else if (isSeq(n)) for (const i of n.items) follow(i, rest);
      return;
    }
    if (isMap(n)) {
      for (const pair of n.items) if (isScalar(pair.key) && String(pair.key.value).toLowerCase() === rest[0]) follow(pair.value, rest.slice(1));
    } else if (isSeq(n)) for (const i of n.items) follow(i, rest);
  };
  const axes: Array<{ key: string; values: unknown[] }> = [];
  const excludes: unknown[] = [];
  const includes: unknown[] = [];
  for (const pair of m.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value).toLowerCase();
    if (key === 'include' && isSeq(pair.value)) includes.push(...pair.value.items);
    else if (key === 'exclude' && isSeq(pair.value)) excludes.push(...pair.value.items);
    else if (key !== 'include' && key !== 'exclude') axes.push({ key, values: isSeq(pair.value) ? pair.value.items : [pair.value] });
  }
  const size = axes.reduce((n, a) => n * Math.max(1, a.values.length), 1);
  const axis = axes.find((a) => a.key === path[0]);
  if (axis && excludes.length > 0 && size <= MAX_COMBINATIONS) {
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(plain(a)) === JSON.stringify(plain(b));
    const excluded = (combo: Map<string, unknown>): boolean =>
      excludes.some((ex) => isMap(ex) && ex.items.every((p) => isScalar(p.key) && combo.has(String(p.key.value).toLowerCase()) && same(combo.get(String(p.key.value).toLowerCase()), p.value)));
    let combos: Array<Map<string, unknown>> = [new Map()];
    for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => new Map([...c, [a.key, v]])));
    for (const c of combos) if (!excluded(c)) follow(c.get(axis.key), path.slice(1));
  } else if (axis) {
    for (const v of axis.values) follow(v, path.slice(1));
  }
  for (const entry of includes) follow(entry, path);
  return [...new Set(out)];
}

/** A YAML node as plain data, for comparing matrix values. */
function plain(n: unknown): unknown {
  return n && typeof n === 'object' && 'toJSON' in n ? (n as { toJSON(): unknown }).toJSON() : n;
}
