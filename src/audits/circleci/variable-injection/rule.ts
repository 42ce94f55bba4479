import type { Rule } from '../../../core/rule.js';
import type { CircleModel } from '../../../platforms/circleci/model.js';
import { maskInterpolations, } from '../../../platforms/circleci/interpolate.js';
import { stepSites } from '../../../platforms/circleci/resolve.js';
import { ParameterTaint, taintedEnvironment } from '../../../platforms/circleci/taint.js';
import { blankSingleQuoted, commandName, envReads, parseScript, ScalarText, splitCode, statementsOf } from '../../../shell/script.js';
import { runLabel } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'variable-injection',
    title: 'Attacker-controlled text written to $BASH_ENV',
    platform: 'circleci',
    severity: 'high',
    confidence: 'medium',
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
        const step = site.step;
        if (step.type !== 'run' || !step.command || typeof step.command.value !== 'string') continue;
        const env = taintedEnvironment(taint, file, step, site.def);
        const script = parseScript(maskInterpolations(step.command.value), 'bash');
        let text: ScalarText | undefined;
        for (const st of statementsOf(script)) {
          if (!writesBashEnv(st.code)) continue;
          // printf %q quotes for the shell; a jq segment encodes its arguments.
          const segments = splitCode(st.code, 'pipeline')
            .map((sp) => st.code.slice(sp.start, sp.end))
            .filter((seg) => commandName(seg) !== 'jq' && !(commandName(seg) === 'printf' && /%q/.test(seg)));
          const parts = [...segments.map(blankSingleQuoted), ...script.lines.filter((l) => l.heredoc?.opener === st.lineIndex && l.heredoc.expands && !l.heredoc.terminator).map((l) => l.text)];
          const hit = parts.flatMap((p) => envReads(p, 'bash')).find((n) => env.has(n));
          if (!hit) continue;
          const c = env.get(hit)!;
          text ??= new ScalarText(file.source, step.command);
          report({
            message: `${runLabel(step)} in ${site.where} writes the value of "$${hit}" (${c.what}) into $BASH_ENV, which every later step sources as shell code; write the reference instead (echo 'export X="$${hit}"' >> "$BASH_ENV") or quote it with printf %q`,
            location: text.location(st.start, st.end),
            severity: c.strength,
            route: `${site.route}.run:BASH_ENV:${hit}`,
          });
        }
      }
    }
  },
};

/** `>> $BASH_ENV`, `> "${BASH_ENV}"`, `| tee -a $BASH_ENV`. */
function writesBashEnv(code: string): boolean {
  return /(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?\$\{?BASH_ENV\}?["']?(?![\w])/.test(code);
}
