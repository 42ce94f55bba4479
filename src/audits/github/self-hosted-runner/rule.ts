import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Confidence, Location, Severity } from '../../../core/finding.js';
import { RuleOptionsError, type Rule } from '../../../core/rule.js';
import { EXTERNALLY_TRIGGERABLE } from '../../../platforms/github/contexts.js';
import { FORK_CODE_EVENTS, selfHosted } from '../pr-runs-on-self-hosted/rule.js';
import { contextPath, type Expr } from '../../../platforms/github/expressions/ast.js';
import type { GithubModel, Job } from '../../../platforms/github/model.js';
import { jobGate, reachableBy } from '../../../platforms/github/permissions.js';
import { jobSites, loc, related, templatesIn } from '../util.js';

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
      // Fork pull requests running their own code on a `self-hosted` runner are
      // pr-runs-on-self-hosted's finding: one finding per problem, not two on the same line.
      if (selfHosted(job) && external.some((t) => FORK_CODE_EVENTS.has(t))) {
        external = external.filter((t) => !FORK_CODE_EVENTS.has(t));
        if (external.length === 0) continue;
      }
      const severity: Severity = external.length > 0 ? 'high' : 'low';
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
  const custom = candidates.find((c) => c.label !== '' && !hosted.has(c.label.toLowerCase()));
  if (custom) {
    return {
      what: `runner label "${custom.label}" (${custom.via ? `${custom.via}; ` : ''}not a GitHub-hosted label, so most likely self-hosted)`,
      label: custom.label,
      confidence: 'medium',
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
      return matrixValues(job, p.slice(1)).map((label) => ({ label, via: `matrix value "${label}"` }));
    }
  }
}

/** Static values of `matrix.<path>` from the matrix axes and `include` entries. */
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
  for (const pair of m.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value).toLowerCase();
    if (key === path[0]) {
      if (isSeq(pair.value)) for (const item of pair.value.items) follow(item, path.slice(1));
      else follow(pair.value, path.slice(1));
    } else if (key === 'include' && isSeq(pair.value)) {
      for (const entry of pair.value.items) follow(entry, path);
    }
  }
  return [...new Set(out)];
}
