import type { Scalar } from 'yaml';
import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Action, GithubModel } from '../../../platforms/github/model.js';
import { actionTriggers, normalizeLocalPath } from '../../../platforms/github/callers.js';
import { contextPath, type Expr } from '../../../platforms/github/expressions/ast.js';
import { PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import { taintOfExpr, type TaintOrigin } from '../../../platforms/github/taint.js';
import { related, stepSites, templatesIn, type StepSite } from '../util.js';
import { injectionFixes, type InjectionSink } from '../../../fix/injection.js';
import { dialectOf } from '../../../platforms/github/dialect.js';

/** Inputs of popular actions whose value is executed as code (owner/repo, lower-case → inputs). */
export const CODE_INPUTS: Record<string, string[]> = {
  'actions/github-script': ['script'],
  'azure/cli': ['inlinescript'],
  'azure/powershell': ['inlinescript'],
  'jannekem/run-python-script-action': ['script'],
  'cardinalby/js-eval-action': ['expression'],
  'addnab/docker-run-action': ['run'],
  'appleboy/ssh-action': ['script'],
  'mikefarah/yq': ['cmd'],
  'uraimo/run-on-arch-action': ['run'],
  'nick-fields/retry': ['command', 'on_retry_command', 'new_command_on_retry'],
  'nick-invision/retry': ['command', 'on_retry_command', 'new_command_on_retry'],
  'pwsh/run': ['script'],
  'wandalen/wretry.action': ['command'],
  'cypress-io/github-action': ['build', 'start', 'command', 'install-command'],
  'reactivecircus/android-emulator-runner': ['script', 'pre-emulator-launch-script'],
  'garygrossgarten/github-action-ssh': ['command'],
  'cross-platform-actions/action': ['run'],
  'coactions/setup-xvfb': ['run'],
  'gabrielbb/xvfb-action': ['run'],
  'kohlerdominik/docker-run-action': ['run'],
  'mathiasvr/command-output': ['run'],
};

/** Code inputs of an action: the table above, plus every `vmactions/<os>-vm` (`run`, `prepare` run in the VM). */
export function codeInputsOf(key: string): string[] {
  const known = CODE_INPUTS[key];
  if (known) return known;
  return /^vmactions\/[a-z0-9]+-vm$/.test(key) ? ['run', 'prepare'] : [];
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-controlled expression expanded into code',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-78'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      const { step } = site;
      if (step.run) checkSink(site, step.run, 'run: script', `${site.route}.run`, report, 'run');
      if (step.uses?.kind === 'repo') {
        const key = `${step.uses.owner}/${step.uses.repo}`.toLowerCase();
        const inputs = codeInputsOf(key);
        for (const w of step.with) {
          if (!inputs.includes(w.key.toLowerCase())) continue;
          const node = w.value;
          if (node && 'value' in node && typeof (node as Scalar).value === 'string') {
            // Only github-script reads the step's env in the same process; other code inputs run elsewhere (ssh, docker).
            const sink = key === 'actions/github-script' ? 'script' : undefined;
            checkSink(site, node as Scalar, `"${w.key}" input of ${key}`, `${site.route}.with.${w.key}`, report, sink);
          }
        }
      }
    }
  },
};

type Report = Parameters<Rule<GithubModel>['check']>[1];

function checkSink(site: StepSite, scalar: Scalar, what: string, route: string, report: Report, sink?: InjectionSink): void {
  const unknownCallers = site.action !== undefined && (site.action.dir === '' || (actionTriggers(site.model, site.action.dir).has('workflow_call') && !calledFromSubdir(site.model, site.action.dir)));
  const hits = templatesIn(site.source, scalar).flatMap((t) => {
    const origins = t.ast ? taintOfExpr(t.ast, site.scope) : [];
    if (origins.length === 0 && unknownCallers && t.ast) {
      const input = unknownInput(t.ast, site.action!);
      if (input) return [{ t, origins: [input] }];
    }
    return origins.length > 0 ? [{ t, origins }] : [];
  });
  const fixes = sink && hits.length > 0
    ? injectionFixes({ source: site.source, step: site.step, job: site.job, workflow: site.workflow, scalar, sink, tainted: new Set(hits.map((h) => h.t.start)) })
    : undefined;
  for (const { t, origins } of hits) {
    const worst = pickWorst(origins);
    const expr = t.inner.trim();
    const direct = worst.chain.length === 0 && !worst.whole;
    const source = direct ? `"${worst.path}"` : `"${expr}" (carrying ${worst.path})`;
    // Values only people with write access set (a release's tag): defence in depth, not an outsider's door.
    let who = worst.strength === 'low' ? 'writer-controlled (only people with write access set it)' : 'attacker-controlled';
    if (worst.via.includes(CALLER_INPUT)) {
      who = worst.declared
        ? `set by the action's callers (none in this repository${worst.strength === 'high' ? '; a free-text input such as a title or message is what callers fill from issues and pull requests' : ''})`
        : 'not a declared input of the action (a typo, or an input callers pass unchecked)';
    }
    // PowerShell reads the environment as $env:VAR; "$VAR" there is an unset PowerShell variable.
    const read = what !== 'run: script' ? 'read it from the environment' : dialectOf(site.step, site.job, site.workflow) === 'pwsh' ? 'read "$env:VAR"' : 'read "$VAR"';
    report({
      message: `${source} is ${who} and is expanded into the ${what} of step "${site.step.label}"; pass it through env: and ${read} instead`,
      location: t.location,
      related: [...worst.chain, ...triggerNotes(site, worst)],
      severity: worst.via.includes(CALLER_INPUT) ? (worst.strength === 'high' ? 'high' : 'low') : severityOf(worst),
      confidence: worst.via.includes(CALLER_INPUT) ? (worst.strength === 'high' ? 'medium' : 'low') : confidenceOf(worst),
      route: `${route}:${expr}`,
      fix: fixes?.fixFor(t.start),
    });
  }
}

const SUBDIR_CALLS = new WeakMap<GithubModel, Set<string>>();

/**
 * Whether some step calls the action through a checkout in a subdirectory
 * (`uses: ./src/app/.github/actions/build` for `.github/actions/build`): the callers exist, the
 * path just does not start at the repository root, so the action is not "uncalled".
 */
function calledFromSubdir(model: GithubModel, dir: string): boolean {
  let paths = SUBDIR_CALLS.get(model);
  if (!paths) {
    paths = new Set();
    const steps = [...model.workflows.flatMap((w) => w.jobs.flatMap((j) => j.steps)), ...model.actions.flatMap((a) => a.steps)];
    for (const st of steps) if (st.uses?.kind === 'local') paths.add(normalizeLocalPath(st.uses.path));
    SUBDIR_CALLS.set(model, paths);
  }
  return [...paths].some((p) => p.endsWith(`/${dir}`));
}

/** Marker in `via` for a composite-action input whose callers are unknown. */
const CALLER_INPUT = '(caller input)';

/** `whole`: read through `toJSON(inputs)` (or `join(inputs.*)`), which writes out every input. */
type InputOrigin = TaintOrigin & { declared?: boolean; whole?: boolean };

/** Names and descriptions of inputs that carry prose: what callers fill from titles, bodies, comments. */
const FREE_TEXT = /title|body|message|\bmsg\b|comment|description|summary|notes?\b|\btext\b|markdown|changelog|commit/i;

/**
 * `inputs.x` read as a string by a composite action no known caller fills (an action published
 * for other repositories, or one with no caller here): its value is whatever callers pass. Strong
 * when the input is prose by its name or description, weak otherwise; undeclared inputs count too.
 * Booleans and numbers by default are not text.
 */
function unknownInput(e: Expr, action: Action): InputOrigin | undefined {
  let best: InputOrigin | undefined;
  for (const { name, whole } of inputReads(e, action)) {
    const input = action.inputs.find((i) => i.name.toLowerCase() === name);
    // Booleans and numbers by default are not text.
    if (input?.default !== undefined && /^(?:true|false|-?\d+(?:\.\d+)?)$/i.test(input.default.trim())) continue;
    const prose = input !== undefined && (FREE_TEXT.test(input.name) || FREE_TEXT.test(input.description ?? ''));
    const origin: InputOrigin = { path: `inputs.${input?.name ?? name}`, strength: prose ? 'high' : 'medium', via: [CALLER_INPUT], chain: [], declared: input !== undefined };
    if (whole) origin.whole = true;
    // `toJSON(inputs)` writes every input out: the strongest one decides (a single read is the first).
    if (!best || (origin.strength === 'high' && best.strength !== 'high')) best = origin;
    if (!whole) break;
  }
  return best;
}

/**
 * Input names whose value can become the string result of `e` (not inside comparisons or
 * contains()); `toJSON(inputs)` and `join(inputs.*)` write out every declared input (`whole`).
 */
function inputReads(e: Expr, action: Action, serialised = false): { name: string; whole: boolean }[] {
  switch (e.type) {
    case 'literal':
    case 'unary':
    case 'binary':
      return [];
    case 'logical':
      return e.op === '||' ? [...inputReads(e.left, action), ...inputReads(e.right, action)] : inputReads(e.right, action);
    case 'call': {
      if (['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles'].includes(e.callee)) return [];
      const whole = e.callee === 'tojson' || e.callee === 'join';
      return e.args.flatMap((a, i) => inputReads(a, action, whole && i === 0));
    }
    default: {
      const p = contextPath(e);
      if (p && p.length === 2 && p[0] === 'inputs' && p[1] !== '*') return [{ name: p[1]!, whole: false }];
      if (serialised && p && p[0] === 'inputs' && (p.length === 1 || (p.length === 2 && p[1] === '*'))) return action.inputs.map((i) => ({ name: i.name.toLowerCase(), whole: true }));
      return [];
    }
  }
}

function rank(o: TaintOrigin): number {
  const s = o.strength === 'high' ? 3 : o.strength === 'medium' ? 2 : 1;
  return s * 10 + (o.via.some((v) => PRIVILEGED_TRIGGERS.has(v)) ? 5 : 0) - o.chain.length * 0.1;
}

function pickWorst(origins: InputOrigin[]): InputOrigin {
  return origins.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

function severityOf(o: TaintOrigin): Severity {
  const privileged = o.via.some((v) => PRIVILEGED_TRIGGERS.has(v) || v === 'workflow_call');
  if (o.strength === 'high') return privileged ? 'high' : 'medium';
  if (o.strength === 'medium') return 'medium';
  return 'low';
}

function confidenceOf(o: TaintOrigin): Confidence {
  if (o.strength === 'low') return 'low';
  if (o.via.includes('workflow_call')) return 'medium';
  return o.chain.length === 0 ? 'high' : 'medium';
}

function triggerNotes(site: StepSite, o: TaintOrigin): RelatedLocation[] {
  const wf = site.workflow;
  const trig = wf?.triggers.find((t) => o.via.includes(t.name));
  if (!wf || !trig) return [];
  const who = o.strength === 'low' ? 'a user with write access' : 'an outside user';
  return [related(wf.source, trig.node, `"${trig.name}" lets ${who} set ${o.path}`)];
}
