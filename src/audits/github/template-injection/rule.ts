import type { Scalar } from 'yaml';
import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import { taintOfExpr, type TaintOrigin } from '../../../platforms/github/taint.js';
import { related, stepSites, templatesIn, type StepSite } from '../util.js';
import { injectionFixes, type InjectionSink } from '../../../fix/injection.js';
import { dialectOf } from '../../../platforms/github/shell.js';

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
  const hits = templatesIn(site.source, scalar).flatMap((t) => {
    const origins = t.ast ? taintOfExpr(t.ast, site.scope) : [];
    return origins.length > 0 ? [{ t, origins }] : [];
  });
  const fixes = sink && hits.length > 0
    ? injectionFixes({ source: site.source, step: site.step, job: site.job, workflow: site.workflow, scalar, sink, tainted: new Set(hits.map((h) => h.t.start)) })
    : undefined;
  for (const { t, origins } of hits) {
    const worst = pickWorst(origins);
    const expr = t.inner.trim();
    const direct = worst.chain.length === 0;
    const source = direct ? `"${worst.path}"` : `"${expr}" (carrying ${worst.path})`;
    // Values only people with write access set (a release's tag): defence in depth, not an outsider's door.
    const who = worst.strength === 'low' ? 'writer-controlled (only people with write access set it)' : 'attacker-controlled';
    // PowerShell reads the environment as $env:VAR; "$VAR" there is an unset PowerShell variable.
    const read = what !== 'run: script' ? 'read it from the environment' : dialectOf(site.step, site.job, site.workflow) === 'pwsh' ? 'read "$env:VAR"' : 'read "$VAR"';
    report({
      message: `${source} is ${who} and is expanded into the ${what} of step "${site.step.label}"; pass it through env: and ${read} instead`,
      location: t.location,
      related: [...worst.chain, ...triggerNotes(site, worst)],
      severity: severityOf(worst),
      confidence: confidenceOf(worst),
      route: `${route}:${expr}`,
      fix: fixes?.fixFor(t.start),
    });
  }
}

function rank(o: TaintOrigin): number {
  const s = o.strength === 'high' ? 3 : o.strength === 'medium' ? 2 : 1;
  return s * 10 + (o.via.some((v) => PRIVILEGED_TRIGGERS.has(v)) ? 5 : 0) - o.chain.length * 0.1;
}

function pickWorst(origins: TaintOrigin[]): TaintOrigin {
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
