import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { analyzedSteps, pipelineLabel, related, stepRoute, strengthSeverity, WorstOf } from '../util.js';

/**
 * Attacker-chosen text written to a file that a later command sources (`source f`, `. f`,
 * `eval "$(cat f)"`): the file is shell code, so the text becomes code. Within a step, or in a
 * later step of the same pipeline (files travel as artifacts or stay in the clone directory).
 * Also: multi-line commit text written to $BITBUCKET_PIPELINES_VARIABLES_PATH, where extra
 * lines set other output variables of later steps.
 */
export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'variable-injection',
    title: 'Attacker-chosen text written into a sourced env file or the output-variables file',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-77'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const out = new WorstOf();
    const all = analyzedSteps(model);
    for (const a of all) {
      for (const w of a.analysis.writes) {
        if (w.variablesFile) {
          if (w.taint.strength !== 'high') continue; // ref names cannot hold line breaks; commit messages can
          out.add({
            message: `step "${a.step.label}" writes ${w.expansion} (${w.taint.source}, set by ${w.taint.who}) into $BITBUCKET_PIPELINES_VARIABLES_PATH; a line break in it adds NAME=value lines that overwrite other output variables of later steps; write a single sanitized line (tr -d '\\n') or a digest instead`,
            location: w.location,
            related: [...w.taint.chain, related(a.pipeline.source, a.pipeline.keyNode, `runs in the ${pipelineLabel(a.pipeline)} pipeline`)],
            severity: 'medium',
            route: `${stepRoute(a.step)}.script:variables-file:${w.expansion}`,
          });
          continue;
        }
        const later = all.filter((b) => b.pipeline === a.pipeline && b.index >= a.index);
        for (const b of later) {
          const read = b.analysis.reads.find((r) => r.file === w.file && (b.index > a.index || r.location.startLine > w.location.startLine || r.location.file !== w.location.file));
          if (!read) continue;
          out.add({
            message: `step "${a.step.label}" writes ${w.expansion} (${w.taint.source}, set by ${w.taint.who}) into ${w.target}, which ${b.index === a.index ? 'the same step' : `step "${b.step.label}"`} runs as shell code (${read.how}); write it as a quoted assignment (printf 'X=%q\\n' "$VALUE") or read it as data instead of sourcing the file`,
            location: w.location,
            related: [...w.taint.chain, { ...read.location, message: `${w.target} is run as code here` }, related(a.pipeline.source, a.pipeline.keyNode, `runs in the ${pipelineLabel(a.pipeline)} pipeline`)],
            severity: strengthSeverity(w.taint.strength),
            confidence: w.taint.chain.length === 0 ? 'high' : 'medium',
            route: `${stepRoute(a.step)}.script:${w.file}:${w.expansion}`,
          });
          break;
        }
      }
    }
    out.flush(report);
  },
};
