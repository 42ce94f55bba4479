import type { Confidence, Location, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Step, Workflow } from '../../../platforms/github/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { actionTriggers, effectiveTriggers } from '../../../platforms/github/callers.js';
import { conditionGate, jobGate, strongerGate, type Gate } from '../../../platforms/github/gates.js';
import { defaultWorkingDirectory } from '../../../platforms/github/workspace.js';
import { jobRefScope, prCodeFlow, type PrCheckout, type PrExecution } from '../../../platforms/github/pr-code-flow.js';
import { scriptLocation } from '../../../shell/location.js';
import { workflowRunReachableByOutsiders } from '../../../platforms/github/workflow-run.js';
import { loc, related, stepKey } from '../util.js';

/** Triggers that run with the base repository's secrets and token while a PR's code is at hand. */
export const PR_PRIVILEGED = ['pull_request_target', 'workflow_run', 'issue_comment'];

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'untrusted-checkout-exec',
    title: "Pull request code checked out and executed in a privileged workflow",
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-829', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      const triggers = effectiveTriggers(model, wf);
      const unknownCaller = triggers.has('workflow_call');
      let events = new Set(PR_PRIVILEGED.filter((t) => triggers.has(t)));
      if (events.has('workflow_run') && !workflowRunReachableByOutsiders(model, wf, (w) => effectiveTriggers(model, w))) events.delete('workflow_run');
      const knownEvents = events;
      if (events.size === 0 && !unknownCaller) continue;
      if (events.size === 0) events = new Set(PR_PRIVILEGED); // a reusable workflow with unknown callers
      for (const job of wf.jobs) {
        const flow = prCodeFlow(job.steps, jobRefScope(wf, job, triggers, model), defaultWorkingDirectory(wf, job));
        const base = jobGate(wf, job, events);
        for (const ex of flow.executions) {
          if (!underEvents(ex.checkout, events)) continue;
          let gate = strongerGate(base, strongerGate(conditionGate(ex.checkout.step.if, events), conditionGate(ex.step.if, events)));
          for (const c of ex.checkout.callers ?? []) gate = strongerGate(gate, c.gate);
          if (gate.kind === 'trusted') continue;
          // With no caller in the repository, which privileged event (if any) reaches the job is
          // unknown: name none of them. A privileged trigger of its own is known, though.
          emit(report, wf.source, wf, ex, gate, knownEvents.size > 0 ? knownEvents : events, knownEvents.size === 0, `jobs.${job.id}`, job.environment !== undefined);
        }
      }
    }
    // Composite actions that check out and run PR code themselves, for privileged callers.
    for (const action of model.actions) {
      const triggers = actionTriggers(model, action.dir);
      const events = new Set(PR_PRIVILEGED.filter((t) => triggers.has(t)));
      const unknownCaller = triggers.has('workflow_call');
      if (events.size === 0 && !unknownCaller) continue;
      // `inputs.*` are followed to what each caller passes (or the input's default): see actionInputRef.
      const flow = prCodeFlow(action.steps, (i) => ({ steps: action.steps.slice(0, i), env: [action.steps[i]?.env ?? []], triggers, action, model }), undefined);
      for (const ex of flow.executions) {
        if (!underEvents(ex.checkout, events.size ? events : new Set(PR_PRIVILEGED))) continue;
        const gate = strongerGate(conditionGate(ex.checkout.step.if, events), conditionGate(ex.step.if, events));
        if (gate.kind === 'trusted') continue;
        emit(report, action.source, undefined, ex, gate, events.size ? events : new Set(PR_PRIVILEGED), events.size === 0, 'runs', false);
      }
    }
  },
};

/** A checkout that names the PR head only under some events (an event_name guard) matters only under those. */
function underEvents(co: PrCheckout, events: ReadonlySet<string>): boolean {
  return !co.events || [...co.events].some((e) => events.has(e));
}

type Report = Parameters<Rule<GithubModel>['check']>[1];

export function checkoutLocation(source: SourceText, co: PrCheckout): Location {
  if (co.kind === 'run' && co.step.run) return scriptLocation(source, co.step.run, co.offset);
  return loc(source, co.node ?? co.step.node);
}

function execLocation(source: SourceText, step: Step, offset: number | undefined): Location {
  if (step.run) return scriptLocation(source, step.run, offset);
  return loc(source, step.uses?.node ?? step.node);
}

function lower<T extends string>(order: readonly T[], v: T): T {
  return order[Math.min(order.indexOf(v) + 1, order.length - 1)]!;
}

function emit(
  report: Report, source: SourceText, wf: Workflow | undefined, ex: PrExecution, gate: Gate, events: ReadonlySet<string>,
  unknownCaller: boolean, routePrefix: string, environment: boolean,
): void {
  const co = ex.checkout;
  const via = [...events].sort().join('/');
  let severity: Severity = 'high';
  let confidence: Confidence = co.confidence;
  if (gate.kind === 'maintainer') {
    severity = 'medium';
    confidence = lower(['high', 'medium', 'low'] as const, confidence);
  }
  if (environment) confidence = lower(['high', 'medium', 'low'] as const, confidence);
  // No caller in the repository: nothing shows a privileged event reaches the job (a reusable
  // workflow run only from pull_request or push is harmless), so the finding is a hint to check
  // the callers elsewhere, not a claim.
  if (unknownCaller) {
    severity = 'low';
    confidence = 'low';
  }
  // The PR ref handed down by callers that also hand over their secrets (`secrets: inherit`):
  // outsider code runs with every secret the caller has, not just the token.
  if (co.callers?.some((c) => c.secrets) && severity === 'high') severity = 'critical';
  const rel: RelatedLocation[] = [{ ...checkoutLocation(source, co), message: `step "${co.step.label}" checks out the pull request's code (${co.what})` }];
  for (const c of co.callers ?? []) rel.push({ ...c.location, message: c.message });
  if (gate.kind === 'maintainer' && gate.node) rel.push(related(source, gate.node, 'runs only after a maintainer acts, but the pull request can change after that'));
  const trig = wf?.triggers.find((t) => events.has(t.name));
  if (wf && trig) rel.push(related(wf.source, trig.node, `"${trig.name}" gives this job the base repository's secrets and token`));
  const where = co.path === '' ? '' : ` in ${co.path}/`;
  report({
    message: `step "${ex.step.label}" runs "${ex.exec.what}" on pull request code${where} checked out by step "${co.step.label}", with the privileges of ${unknownCaller ? 'its callers' : via}`,
    location: execLocation(source, ex.step, ex.exec.offset),
    related: rel,
    severity,
    confidence,
    route: `${routePrefix}.steps[${stepKey(ex.step)}]:${ex.exec.what}`,
  });
}
