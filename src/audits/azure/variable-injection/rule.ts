import type { Rule } from '../../../core/rule.js';
import type { AzureModel } from '../../../platforms/azure/model.js';
import { envNamesIn, loggingCommands, scriptSinks, type ScriptSink } from '../../../platforms/azure/scripts.js';
import { originsOfEnv, taintOfText, type TaintOrigin } from '../../../platforms/azure/taint.js';
import { blankSingleQuoted, parseScript, ScalarText, splitCode, statementsOf } from '../../../shell/script.js';
import { stepSites, type Report, type StepSite } from '../util.js';
import { pickWorst } from '../template-injection/rule.js';

/** `$(git log -1 --format=%B)` and friends read the commit message, which its author wrote. */
const GIT_MESSAGE = /\$\(\s*git\s+(?:log|show)\b[^)]*(?:%[sbBaAnNeE]|--pretty|--format|--oneline)[^)]*\)|\$\(\s*git\s+log\b[^)]*\)/;

const PRINTERS_BASH = /^(?:echo|printf)$/;
const PRINTERS_PWSH = /^(?:write-host|write-output|echo)$/i;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'variable-injection',
    title: 'Logging commands fed by attacker-controlled data',
    platform: 'azure',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-77', 'CWE-117'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      for (const sink of scriptSinks(site.step, site.job, site.pipeline)) {
        if (typeof sink.scalar.value !== 'string' || sink.dialect === 'other') continue;
        checkCommands(site, sink, report);
        checkPrints(site, sink, report);
      }
    }
  },
};

function payloadOrigins(site: StepSite, sink: ScriptSink, payload: string): { origins: TaintOrigin[]; via: string; macro?: boolean } {
  const macro = taintOfText(payload, site.scope, site.step.ctx);
  if (macro.length > 0) return { origins: macro.flatMap((h) => h.origins), via: macro[0]!.expr, macro: true };
  for (const e of envNamesIn(payload, sink.dialect)) {
    const o = originsOfEnv(e.name, site.scope);
    if (o.length > 0) return { origins: o, via: `$${sink.dialect === 'pwsh' ? 'env:' : ''}${e.name}` };
  }
  const git = GIT_MESSAGE.exec(payload);
  if (git) return { origins: [{ path: 'the commit message', strength: 'high', severity: 'medium', kind: 'ci', multiline: true, chain: [], who: 'the commit author writes it' }], via: git[0] };
  return { origins: [], via: '' };
}

/** `##vso[task.setvariable]` / `##vso[task.prependpath]` whose value is attacker-controlled. */
function checkCommands(site: StepSite, sink: ScriptSink, report: Report): void {
  const value = sink.scalar.value as string;
  const text = new ScalarText(site.step.ctx.source, sink.scalar);
  for (const cmd of loggingCommands(value)) {
    if (cmd.command !== 'task.setvariable' && cmd.command !== 'task.prependpath') continue;
    const { origins, via, macro } = payloadOrigins(site, sink, value.slice(cmd.valueStart, cmd.valueEnd));
    if (origins.length === 0) continue;
    const worst = pickWorst(origins);
    const name = cmd.props.get('variable') ?? '';
    const prepend = cmd.command === 'task.prependpath';
    report({
      message: prepend
        ? `step "${site.step.label}" prepends ${via} (${worst.path}) to PATH with ##vso[task.prependpath]; every later step then runs programs from a directory whose name an attacker chooses — use a fixed path`
        : `step "${site.step.label}" sets variable "${name}" from ${via} (${worst.path}) with ##vso[task.setvariable]; later $(${name}) macros substitute it into scripts${worst.multiline ? ' and a line break in it issues further logging commands' : ''} — validate it against a strict pattern first, or keep it in an env variable`,
      location: text.location(cmd.start, cmd.end),
      related: worst.chain,
      severity: prepend || worst.multiline ? 'high' : 'medium',
      confidence: worst.chain.length === 0 && macro ? 'high' : 'medium',
      route: `${site.route}.${sink.key}:${cmd.command}:${name}`,
    });
  }
}

/**
 * Printing a multi-line attacker value to the log: the agent runs any `##vso[...]` line the job
 * prints, so a commit message can set variables or prepend PATH for the following steps.
 * (Macros printed this way are already template-injection findings.)
 */
function checkPrints(site: StepSite, sink: ScriptSink, report: Report): void {
  if (sink.dialect === 'cmd') return;
  const script = parseScript(sink.scalar.value as string, sink.dialect);
  const text = new ScalarText(site.step.ctx.source, sink.scalar);
  for (const st of statementsOf(script)) {
    if (/##vso\[/.test(st.code)) continue; // a logging command of its own: handled above
    for (const seg of splitCode(st.code, 'pipeline', sink.dialect)) {
      const part = st.code.slice(seg.start, seg.end);
      const cmd = part.trim().split(/\s+/)[0] ?? '';
      if (!(sink.dialect === 'pwsh' ? PRINTERS_PWSH : PRINTERS_BASH).test(cmd)) continue;
      if (/(?:^|[^0-9&])>>?/.test(part) || seg.end < st.code.length) continue; // redirected or piped: not the log
      const readable = sink.dialect === 'bash' ? blankSingleQuoted(part) : part;
      for (const e of envNamesIn(readable, sink.dialect)) {
        const origins = originsOfEnv(e.name, site.scope).filter((o) => o.multiline);
        if (origins.length === 0) continue;
        const worst = pickWorst(origins);
        report({
          message: `step "${site.step.label}" prints "${e.name}" (${worst.path}) to the log; the agent runs every "##vso[" line a job prints, so that text can set variables or prepend PATH for later steps — print it only after removing "##vso[" (or not at all)`,
          location: text.location(st.start + seg.start, st.start + seg.end),
          related: worst.chain,
          severity: 'medium',
          confidence: 'medium',
          route: `${site.route}.${sink.key}:print:${e.name}`,
        });
        break;
      }
    }
  }
}
