import type { Confidence, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { CircleModel, RunStep } from '../../../platforms/circleci/model.js';
import { maskInterpolations, valueLocation, type Strength } from '../../../platforms/circleci/interpolate.js';
import { stepSites, type StepSite } from '../../../platforms/circleci/resolve.js';
import { ParameterTaint, taintedEnvironment, type Origin } from '../../../platforms/circleci/taint.js';
import { blankSingleQuoted, envReads, parseScript, ScalarText, statementsOf } from '../../../shell/script.js';
import { dialectOfRun, runLabel, type Report } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-controlled value substituted into a run command',
    platform: 'circleci',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-78'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const taint = new ParameterTaint(model);
    for (const file of model.files) {
      for (const site of stepSites(file)) {
        if (site.step.type !== 'run' || !site.step.command || typeof site.step.command.value !== 'string') continue;
        checkInterpolations(taint, site, site.step, report);
        checkReparse(taint, site, site.step, report);
      }
    }
  },
};

export function severityOf(s: Strength): Severity {
  return s;
}

function checkInterpolations(taint: ParameterTaint, site: StepSite, step: RunStep, report: Report): void {
  const cmd = step.command!;
  for (const { interp, origin } of taint.taintedIn(site.file, cmd, site.def)) {
    const direct = origin.chain.length === 0;
    const text = `<< ${interp.expr} >>`;
    const source = direct ? `"${text}" (${origin.what})` : `"${text}" (carrying ${origin.path}, ${origin.what})`;
    report({
      message: `${source} is attacker-controlled and is substituted into the command of ${runLabel(step)} in ${site.where} before the shell runs; pass it through environment: and read "$VAR" instead`,
      location: valueLocation(site.file.source, cmd, interp.start, interp.end),
      related: origin.chain,
      severity: severityOf(origin.strength),
      confidence: confidenceOf(origin),
      route: `${site.route}.run:${interp.expr}`,
    });
  }
}

function confidenceOf(o: Origin): Confidence {
  return o.strength === 'low' ? 'medium' : 'high';
}

/** `eval`, `sh -c`, `bash -c`, `python -c`, `node -e`... anywhere in a statement. */
const REPARSE_RE = /(?:^|[\s;&|(`])(eval|(?:ba|z|da|k)?sh\s+(?:-[A-Za-z]+\s+)*-[A-Za-z]*c|(?:python[0-9.]*|node|perl|ruby|php)\s+(?:-[A-Za-z]+\s+)*-[ce])(?=\s)/g;

/**
 * A variable the shell reads is data, unless the script hands the expanded text to a parser
 * again: `eval "deploy $CIRCLE_BRANCH"`, `bash -c "echo $TITLE"`. Tainted variables are the
 * built-in CIRCLE_BRANCH / CIRCLE_TAG and environment: entries (step, job, executor, primary
 * container) whose value holds a tainted `<< >>`.
 */
function checkReparse(taint: ParameterTaint, site: StepSite, step: RunStep, report: Report): void {
  const cmd = step.command!;
  const value = String(cmd.value);
  const job = site.def?.kind === 'job' ? site.def : undefined;
  const dialect = dialectOfRun(step, job?.shell ? String(job.shell.value) : undefined);
  if (dialect !== 'bash') return;
  const tainted = taintedEnvironment(taint, site.file, step, site.def);
  if (tainted.size === 0) return;
  const script = parseScript(maskInterpolations(value), dialect);
  let text: ScalarText | undefined;
  for (const st of statementsOf(script)) {
    const code = blankSingleQuoted(st.code);
    REPARSE_RE.lastIndex = 0;
    const m = REPARSE_RE.exec(code);
    if (!m) continue;
    const rest = code.slice(m.index + m[0].length);
    const hit = envReads(rest, 'bash').find((n) => tainted.has(n));
    if (!hit) continue;
    const c = tainted.get(hit)!;
    const parser = m[1]!.split(/\s+/)[0]!;
    text ??= new ScalarText(site.file.source, cmd);
    report({
      message: `"$${hit}" (${c.what}) is attacker-controlled and is expanded into code that ${parser === 'eval' ? 'eval' : `${parser} -${parser.endsWith('sh') ? 'c' : m[1]!.slice(-1)}`} parses again in ${runLabel(step)} in ${site.where}; pass it as an argument or read it inside the code instead`,
      location: text.location(st.start, st.end),
      related: c.related ? [c.related] : [],
      severity: severityOf(c.strength),
      confidence: 'medium',
      route: `${site.route}.run:reparse:${hit}`,
    });
  }
}
