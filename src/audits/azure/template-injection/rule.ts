import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Node } from 'yaml';
import type { AzureModel, Pipeline } from '../../../platforms/azure/model.js';
import { envNamesIn, scriptSinks, type ScriptSink } from '../../../platforms/azure/scripts.js';
import { originsOfEnv, taintOfText, type TaintOrigin } from '../../../platforms/azure/taint.js';
import { CI_OFF_PR_NOTE, prReach } from '../../../platforms/azure/reach.js';
import { parseScript, ScalarText, statementsOf, blankSingleQuoted } from '../../../shell/script.js';
import { jobPrivileges, related, stepSites, type Privilege, type Report, type StepSite } from '../util.js';

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-controlled macro or template expression substituted into a script',
    platform: 'azure',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-78'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      for (const sink of scriptSinks(site.step, site.job, site.pipeline)) {
        if (typeof sink.scalar.value !== 'string') continue;
        const privileges = jobPrivileges(site.job, site.pipeline);
        checkSubstitution(site, sink, privileges, report);
        if (sink.dialect !== 'other') checkReparse(site, sink, privileges, report);
      }
    }
  },
};

/** `$(macro)` and `${{ }}` are replaced in the script text before the interpreter parses it. */
function checkSubstitution(site: StepSite, sink: ScriptSink, privileges: Privilege[], report: Report): void {
  const value = sink.scalar.value as string;
  const text = new ScalarText(site.step.ctx.source, sink.scalar);
  for (const hit of taintOfText(value, site.scope, site.step.ctx)) {
    const worst = pickWorst(hit.origins);
    const direct = worst.chain.length === 0 || (worst.kind === 'queue' && worst.chain.length === 1);
    const expr = hit.expr.replace(/\s+/g, ' ');
    const what = direct ? `"${expr}"` : `"${expr}" (carrying ${worst.path})`;
    report({
      message: `${what} is attacker-controlled (${worst.who}) and is substituted into the ${sink.what} of step "${site.step.label}" before it runs; map it to an env: variable and read "$VAR" instead`,
      location: text.location(hit.start, hit.end),
      related: [...worst.chain, ...defaultPrNote(worst, site.pipeline), ...privilegeNotes(privileges)],
      severity: severityOf(worst, privileges),
      confidence: confidenceOf(worst, direct),
      route: `${site.route}.${sink.key}:${expr}`,
    });
  }
}

const REPARSE_BASH = /(?:^|[\s;&|(])(eval|(?:ba|z|da|k)?sh\s+(?:-\S+\s+)*-c|python[0-9.]*\s+-c|node\s+-e|perl\s+-e|ruby\s+-e|pwsh\s+(?:-\S+\s+)*-c(?:ommand)?)\s/;
const REPARSE_PWSH = /(?:^|[\s;|(])(iex|invoke-expression|pwsh\s+(?:-\S+\s+)*-c(?:ommand)?|powershell\s+(?:-\S+\s+)*-c(?:ommand)?)\b/i;

/** `eval "$X"`, `bash -c "... $X"`, `Invoke-Expression $env:X`: the shell re-parses the value as code. */
function checkReparse(site: StepSite, sink: ScriptSink, privileges: Privilege[], report: Report): void {
  if (sink.dialect === 'cmd') return;
  const script = parseScript(sink.scalar.value as string, sink.dialect);
  const text = new ScalarText(site.step.ctx.source, sink.scalar);
  for (const st of statementsOf(script)) {
    const m = (sink.dialect === 'pwsh' ? REPARSE_PWSH : REPARSE_BASH).exec(st.code);
    if (!m) continue;
    const after = m.index + m[0].length;
    // Inside single quotes the outer shell passes `$X` through and the inner one reads it as data.
    const args = sink.dialect === 'bash' ? blankSingleQuoted(st.code).slice(after) : st.code.slice(after);
    for (const e of envNamesIn(args, sink.dialect)) {
      const origins = originsOfEnv(e.name, site.scope);
      if (origins.length === 0) continue;
      const worst = pickWorst(origins);
      const interpreter = m[1]!.split(/\s+/)[0]!;
      const start = st.start + after + e.index;
      report({
        message: `"${e.name}" carries ${worst.path} (${worst.who}) and ${interpreter === 'eval' || /^(?:iex|invoke-expression)$/i.test(interpreter) ? interpreter : `${interpreter} -c`} in step "${site.step.label}" re-parses it as code; pass it as an argument or compare it as data instead`,
        location: text.location(start, start + e.name.length + (sink.dialect === 'pwsh' ? 5 : 1)),
        related: [...worst.chain, ...defaultPrNote(worst, site.pipeline), ...privilegeNotes(privileges)],
        severity: severityOf(worst, privileges),
        confidence: worst.prByDefault || worst.prDisabled ? 'low' : 'medium',
        route: `${site.route}.${sink.key}:reparse:${e.name}`,
      });
    }
  }
}

function rank(o: TaintOrigin): number {
  return (o.severity === 'medium' ? 20 : 10) + (o.strength === 'high' ? 5 : 0) + (o.prDisabled ? -8 : 0) - o.chain.length * 0.1;
}

export function pickWorst(origins: TaintOrigin[]): TaintOrigin {
  return origins.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

/** One level higher when the job holds what an attacker wants (secrets, connections, machines). */
export function severityOf(o: TaintOrigin, privileges: Privilege[]): Severity {
  const raised = privileges.length > 0 && !(o.kind === 'pr' && privileges.every((p) => p.kind === 'variable-group'));
  if (o.severity === 'medium') return raised ? 'high' : 'medium';
  return raised ? 'medium' : 'low';
}

function confidenceOf(o: TaintOrigin, direct: boolean): Confidence {
  if (o.prDisabled) return 'low';
  const c: Confidence = !direct || o.kind === 'branch' || o.kind === 'queue' ? 'medium' : 'high';
  // No pr: key: PR builds happen by default for GitHub/Bitbucket repositories, not for Azure Repos
  // (branch policies): with the host unknown, one level lower.
  return o.prByDefault ? (c === 'high' ? 'medium' : 'low') : c;
}

/** Where a finding rests on the default PR trigger: say so at the top of the pipeline. */
export function defaultPrNote(o: TaintOrigin, pipeline: Pipeline): RelatedLocation[] {
  if (!o.prByDefault) return [];
  if (prReach(pipeline) === 'ci-off-default' && pipeline.trigger.node) return [related(pipeline.ctx, pipeline.trigger.node, CI_OFF_PR_NOTE)];
  return [related(pipeline.ctx, (pipeline.root.items[0]?.key as Node | undefined) ?? pipeline.root, DEFAULT_PR_NOTE)];
}

export const DEFAULT_PR_NOTE = 'no pr: key here, so Azure builds every pull request when the repository is on GitHub or Bitbucket (Azure Repos builds pull requests only under a build-validation branch policy); pr: none turns it off';

export function privilegeNotes(privileges: Privilege[]): RelatedLocation[] {
  return privileges.slice(0, 3).map((p) => related(p.ctx, p.node, `the job has ${p.what}`));
}
