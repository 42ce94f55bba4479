import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Step } from '../../../platforms/azure/model.js';
import { envNamesIn, loggingCommands, scriptSinks } from '../../../platforms/azure/scripts.js';
import { findVariable, type Scope } from '../../../platforms/azure/taint.js';
import { parseScript, ScalarText, statementsOf } from '../../../shell/script.js';
import { stepSites } from '../util.js';

/** Names people give secrets; `System.AccessToken` is the job's own OAuth token. */
const SECRET_NAME = /^system\.accesstoken$|(?:password|passwd|secret|token|apikey|api[._-]key|privatekey|private[._-]key|credentials?|connectionstring)$|(?:^|[._-])(?:pwd|pat|sas)$/i;
/** Encodings and character-level rewrites that defeat Azure's log masking (it masks the exact value). */
const TRANSFORM = /\b(?:base64|xxd|od|hexdump|rev|fold|openssl\s+(?:enc|base64)|iconv|gzip)\b|\bsed\s+['"]?s|\btr\s|\bawk\b|\bcut\s|ToBase64String|ToCharArray|\[char\[\]\]|-join\b|\.Replace\(|Format-Hex/i;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'secret-echo',
    title: 'Secret printed in a form log masking does not catch, or re-exported as a plain variable',
    platform: 'azure',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-6', 'CICD-SEC-10'],
    cwe: ['CWE-532', 'CWE-200'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      for (const sink of scriptSinks(site.step, site.job, site.pipeline)) {
        if (typeof sink.scalar.value !== 'string' || sink.dialect === 'other') continue;
        const value = sink.scalar.value;
        const text = new ScalarText(site.step.ctx.source, sink.scalar);
        const secretIn = (code: string): string | undefined => {
          for (const m of code.matchAll(/\$\(([A-Za-z0-9_][A-Za-z0-9_.-]*)\)/g)) if (isSecret(m[1]!, site.scope)) return `$(${m[1]})`;
          for (const e of envNamesIn(code, sink.dialect)) {
            const name = envSecret(site.step, e.name, site.scope);
            if (name) return `${e.name} (${name})`;
          }
          return undefined;
        };
        for (const cmd of loggingCommands(value)) {
          if (cmd.command !== 'task.setvariable' || /^true$/i.test(cmd.props.get('issecret') ?? '')) continue;
          const secret = secretIn(value.slice(cmd.valueStart, cmd.valueEnd));
          if (!secret) continue;
          const output = /^true$/i.test(cmd.props.get('isoutput') ?? '');
          report({
            message: `step "${site.step.label}" copies secret ${secret} into variable "${cmd.props.get('variable') ?? ''}" without issecret=true; ${output ? 'as an output variable it reaches later jobs, which do not mask it' : 'it becomes a plain variable that later tasks and templates treat as non-secret'} — add issecret=true`,
            location: text.location(cmd.start, cmd.end),
            severity: output ? 'high' : 'medium',
            confidence: 'high',
            route: `${site.route}.${sink.key}:setvariable:${cmd.props.get('variable') ?? ''}`,
          });
        }
        for (const st of statementsOf(parseScript(value, sink.dialect))) {
          if (/##vso\[/.test(st.code) || !TRANSFORM.test(st.code)) continue;
          const secret = secretIn(st.code);
          if (!secret) continue;
          report({
            message: `step "${site.step.label}" transforms secret ${secret} (encoding or rewriting it) in a command whose output reaches the log; Azure masks only the exact secret value, so the transformed text is printed in clear — do not print secrets in any form`,
            location: text.location(st.start, st.end),
            confidence: 'medium',
            route: `${site.route}.${sink.key}:transform:${secret}`,
          });
        }
      }
    }
  },
};

/** A secret name that is not a plain (visible) variable of the pipeline. */
function isSecret(name: string, scope: Scope): boolean {
  if (!SECRET_NAME.test(name)) return false;
  const def = findVariable(name.toLowerCase(), scope);
  if (!def || def.kind !== 'variable') return true;
  const text = def.ctx.view.text(def.value);
  // Defined in YAML: a literal is not secret (hardcoded-credentials covers it); a reference may be.
  return text !== undefined && /\$\(|\$\[|\$\{\{/.test(text);
}

/** Secrets reach scripts only through env: mappings (`TOKEN: $(System.AccessToken)`). */
function envSecret(step: Step, env: string, scope: Scope): string | undefined {
  const e = step.env.find((x) => x.key === env) ?? step.env.find((x) => x.key.toUpperCase() === env.toUpperCase());
  const m = e?.text && /\$\(([A-Za-z0-9_][A-Za-z0-9_.-]*)\)/.exec(e.text);
  return m && isSecret(m[1]!, scope) ? `$(${m[1]})` : undefined;
}
