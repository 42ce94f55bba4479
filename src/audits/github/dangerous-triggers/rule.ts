import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Job, Trigger, Workflow } from '../../../platforms/github/model.js';
import { effectiveTriggers } from '../../../platforms/github/callers.js';
import { actionName } from '../../../platforms/github/action-inputs.js';
import { defaultWorkingDirectory, normalizeWorkspacePath } from '../../../platforms/github/workspace.js';
import { jobGate, type Gate } from '../../../platforms/github/gates.js';
import { jobRefScope, prCodeFlow, type PrCheckout } from '../../../platforms/github/pr-code-flow.js';
import { scriptLocation } from '../../../shell/location.js';
import { triggeringRunDownloads, workflowRunReachableByOutsiders } from '../../../platforms/github/workflow-run.js';
import { loc, related } from '../util.js';

/**
 * Actions that only read event metadata and call the API: they never run the pull request's
 * code, so a job made only of them is the intended use of pull_request_target.
 */
export const METADATA_ONLY_ACTIONS = new Set([
  'actions/labeler',
  'actions/first-interaction',
  'actions/stale',
  'actions/add-to-project',
  'srvaroa/labeler',
  'github/issue-labeler',
  'timonvs/pr-labeler-action',
  'kentaro-m/auto-assign-action',
  'actions-ecosystem/action-add-labels',
  'actions-ecosystem/action-remove-labels',
  'amannn/action-semantic-pull-request',
  'codelytv/pr-size-labeler',
  'pascalgn/size-label-action',
  'dependabot/fetch-metadata',
  'wow-actions/welcome',
  'thollander/actions-comment-pull-request',
  'marocchino/sticky-pull-request-comment',
  'peter-evans/create-or-update-comment',
  'mshick/add-pr-comment',
]);

const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const lowerSeverity = (s: Severity): Severity => ORDER[Math.min(ORDER.indexOf(s) + 1, ORDER.length - 1)]!;

interface JobRisk {
  job: Job;
  gate: Gate;
  /** What makes the job dangerous, strongest first. */
  kind: 'pr-exec' | 'pr-checkout' | 'artifacts' | 'generic' | 'metadata';
  related: RelatedLocation[];
  confidence: Confidence;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'dangerous-triggers',
    title: 'Privileged trigger that outsiders can start',
    platform: 'github',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-4', 'CICD-SEC-1'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      const triggers = effectiveTriggers(model, wf);
      for (const t of wf.triggers) {
        if (t.name !== 'pull_request_target' && t.name !== 'workflow_run' && t.name !== 'issue_comment') continue;
        if (t.name === 'workflow_run' && !workflowRunReachableByOutsiders(model, wf, (w) => effectiveTriggers(model, w))) continue;
        const risks = wf.jobs.map((job) => assess(wf, job, t.name, triggers));
        const open = risks.filter((r) => r.gate.kind !== 'trusted');
        const finding = judge(t, open, risks.length);
        if (!finding) continue;
        report({
          message: finding.message,
          location: loc(wf.source, t.node),
          related: finding.related,
          severity: finding.severity,
          confidence: finding.confidence,
          route: `on.${t.name}`,
        });
      }
    }
  },
};

function assess(wf: Workflow, job: Job, event: string, triggers: ReadonlySet<string>): JobRisk {
  const events = new Set([event]);
  const gate = jobGate(wf, job, events);
  // Only this trigger's payload matters for what the job checks out.
  const scopeOf = jobRefScope(wf, job, new Set([...triggers].filter((t) => t === event || !['pull_request_target', 'workflow_run', 'issue_comment'].includes(t))));
  const flow = prCodeFlow(job.steps, scopeOf, defaultWorkingDirectory(wf, job));
  const rel: RelatedLocation[] = [];
  const ran = flow.executions[0];
  const pr = ran?.checkout ?? flow.checkouts[0];
  if (pr) {
    rel.push(checkoutNote(wf, pr));
    if (ran) {
      const where = ran.step.run ? scriptLocation(wf.source, ran.step.run, ran.exec.offset) : loc(wf.source, ran.step.uses?.node ?? ran.step.node);
      rel.push({ ...where, message: `step "${ran.step.label}" runs it ("${ran.exec.what}")` });
    }
    if (gate.kind === 'maintainer' && gate.node) rel.push(related(wf.source, gate.node, 'runs only after a maintainer acts, but the pull request can change after that'));
    return { job, gate, kind: ran ? 'pr-exec' : 'pr-checkout', related: rel, confidence: pr.confidence };
  }
  if (event === 'workflow_run') {
    const cwd = normalizeWorkspacePath(defaultWorkingDirectory(wf, job));
    for (const step of job.steps) {
      const dl = triggeringRunDownloads(step, scopeOf(step.index), cwd)[0];
      if (dl) {
        const where = dl.step.run ? scriptLocation(wf.source, dl.step.run, dl.offset) : loc(wf.source, dl.node ?? dl.step.node);
        rel.push({ ...where, message: `step "${dl.step.label}" downloads artifacts of the triggering run, which a fork's pull request controls` });
        return { job, gate, kind: 'artifacts', related: rel, confidence: dl.confidence };
      }
    }
  }
  const metadataOnly = job.steps.length > 0 && job.steps.every((s) => {
    const n = actionName(s);
    return n !== undefined && METADATA_ONLY_ACTIONS.has(n);
  });
  return { job, gate, kind: job.uses ? 'generic' : metadataOnly ? 'metadata' : 'generic', related: rel, confidence: 'medium' };
}

function checkoutNote(wf: Workflow, co: PrCheckout): RelatedLocation {
  const where = co.kind === 'run' && co.step.run ? scriptLocation(wf.source, co.step.run, co.offset) : loc(wf.source, co.node ?? co.step.node);
  return { ...where, message: `step "${co.step.label}" checks out the pull request's code (${co.what})` };
}

const PRIVILEGE: Record<string, string> = {
  pull_request_target: '"pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks',
  workflow_run: '"workflow_run" runs with the base repository\'s secrets and a write token after workflows that fork pull requests can start',
  issue_comment: '"issue_comment" runs with the base repository\'s secrets and a write token for comments anyone can post',
};

function judge(t: Trigger, open: JobRisk[], total: number): { message: string; severity: Severity; confidence: Confidence; related: RelatedLocation[] } | undefined {
  const head = PRIVILEGE[t.name]!;
  const ungated = open.filter((r) => r.gate.kind === 'none');
  const pick = (kind: JobRisk['kind']): JobRisk | undefined => ungated.find((r) => r.kind === kind) ?? open.find((r) => r.kind === kind);
  const pr = pick('pr-exec') ?? pick('pr-checkout');
  if (t.name === 'issue_comment') {
    // Comments are an ordinary trigger; only flows that fetch and handle the PR's code are in scope here.
    if (!pr) return undefined;
  }
  if (pr) {
    const gated = pr.gate.kind === 'maintainer';
    const runs = pr.kind === 'pr-exec';
    const severity: Severity = runs ? 'high' : 'medium';
    return {
      message: `${head}, and job "${pr.job.id}" ${runs ? 'checks out and runs' : 'checks out'} the pull request's code${gated ? ' after a maintainer approves it' : ''}${runs ? '' : '; it must only be read as data'}`,
      severity: gated ? lowerSeverity(severity) : severity,
      confidence: pr.confidence,
      related: pr.related,
    };
  }
  const art = pick('artifacts');
  if (art) {
    const gated = art.gate.kind === 'maintainer';
    return {
      message: `${head}, and job "${art.job.id}" downloads the triggering run's artifacts`,
      severity: gated ? 'low' : 'medium',
      confidence: art.confidence,
      related: art.related,
    };
  }
  const generic = pick('generic');
  if (generic) {
    const gated = generic.gate.kind === 'maintainer';
    return {
      message: `${head}; job "${generic.job.id}" must never run or trust the pull request's code`,
      severity: gated ? lowerSeverity('medium') : 'medium',
      confidence: gated ? 'low' : 'medium',
      related: generic.related,
    };
  }
  if (open.length > 0) {
    return {
      message: `${head}; its jobs only use actions that read event metadata, which is the intended use`,
      severity: 'low',
      confidence: 'low',
      related: [],
    };
  }
  if (total === 0) return undefined;
  return {
    message: `${head}; every job is restricted to trusted pull requests, keep it that way`,
    severity: 'low',
    confidence: 'low',
    related: [],
  };
}
