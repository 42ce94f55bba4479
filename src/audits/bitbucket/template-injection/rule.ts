import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel, PipeItem } from '../../../platforms/bitbucket/model.js';
import { contextTaints, taintedExpansions, type SinkKind } from '../../../platforms/bitbucket/script.js';
import { analyzedSteps, pipelineLabel, placeInScalar, related, stepRoute, strengthSeverity, WorstOf } from '../util.js';

/** Pipes whose variables are run as shell code (on another host). Pipe variables are expanded by Bitbucket first. */
export const CODE_VARIABLES: Record<string, { variables: string[]; unless?: [string, RegExp] }> = {
  'atlassian/ssh-run': { variables: ['COMMAND'], unless: ['MODE', /^script$/i] },
};

const ADVICE: Record<SinkKind, string> = {
  eval: 'do not eval it; use the value directly as a quoted argument ("$VAR")',
  shell: `pass it as an argument instead (bash -c '... "$1"' _ "$VAR")`,
  interpreter: 'read it from the environment inside the program (os.environ, process.env) instead of writing it into the code',
  ssh: `send it as data, quoted for the remote shell (printf %q), or read it there from stdin`,
  heredoc: `quote the here-document delimiter (<<'EOF') and pass the value as an argument or environment variable`,
  pipe: 'validate it against a strict pattern first, or pass it as a separate, quoted argument to a fixed remote script',
};

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-chosen text (branch, tag, commit message) parsed as code',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-78', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const out = new WorstOf();
    for (const a of analyzedSteps(model)) {
      const { step, pipeline } = a;
      for (const hit of a.analysis.sinks) {
        const t = hit.taint;
        const direct = t.chain.length === 0;
        out.add({
          message: `${hit.expansion} expands ${t.source} (set by ${t.who}) into code that ${hit.sink.what} parses again, in step "${step.label}"; ${ADVICE[hit.sink.kind]}`,
          location: hit.location,
          related: [...t.chain, related(pipeline.source, pipeline.keyNode, `runs in the ${pipelineLabel(pipeline)} pipeline`)],
          severity: strengthSeverity(t.strength),
          confidence: direct ? 'high' : 'medium',
          route: `${stepRoute(step)}.script:${hit.sink.what}:${hit.expansion}`,
        });
      }
      for (const item of step.script) if (item.kind === 'pipe') checkPipe(item, a, out);
    }
    out.flush(report);
  },
};

function checkPipe(item: PipeItem, a: ReturnType<typeof analyzedSteps>[number], out: WorstOf): void {
  const name = item.ref.replace(/:.*$/, '').toLowerCase();
  const spec = CODE_VARIABLES[name];
  if (!spec) return;
  if (spec.unless) {
    const v = item.variables.find((e) => e.key === spec.unless![0]);
    const text = v?.value && 'value' in v.value ? String((v.value as { value: unknown }).value) : undefined;
    if (text !== undefined && spec.unless[1].test(text)) return;
  }
  const env = contextTaints(a.pipeline);
  for (const e of item.variables) {
    if (!spec.variables.includes(e.key) || !e.value || !('value' in e.value)) continue;
    const scalar = e.value as import('yaml').Scalar;
    if (typeof scalar.value !== 'string') continue;
    for (const x of taintedExpansions(scalar.value, env)) {
      out.add({
        message: `${x.text} expands ${x.taint.source} (set by ${x.taint.who}) into the ${e.key} variable of pipe ${name}, which the remote shell parses as code, in step "${a.step.label}"; ${ADVICE.pipe}`,
        location: placeInScalar(a.step.source, scalar, scalar.value, x.start, x.text),
        related: [related(a.pipeline.source, a.pipeline.keyNode, `runs in the ${pipelineLabel(a.pipeline)} pipeline`)],
        severity: strengthSeverity(x.taint.strength),
        confidence: 'high',
        route: `${stepRoute(a.step)}.pipe.${name}.${e.key}:${x.text}`,
      });
    }
  }
}
