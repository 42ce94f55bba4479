import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { parseScript, ScalarText, statementsOf } from '../../../shell/script.js';
import { pipelineLabel, related, stepRoute, uniqueSteps } from '../util.js';

const DANGEROUS: Array<[RegExp, string]> = [
  [/\s--privileged(?:=true)?(?:\s|$)/, '--privileged'],
  [/\s(?:-v|--volume|--mount)[\s=]\S*\/var\/run\/docker\.sock/, 'the Docker socket mounted'],
  [/\s--pid[\s=]host(?:\s|$)/, '--pid=host'],
  [/\s--cap-add[\s=](?:SYS_ADMIN|ALL)(?:\s|$)/i, '--cap-add SYS_ADMIN'],
];

/**
 * On Bitbucket Cloud, privileged containers need runtime v3 and run in Atlassian's isolated build
 * VM. On a self-hosted runner the same flags give the step root on the runner machine, which
 * keeps state between builds and often holds credentials for other pipelines.
 */
export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'insecure-dind',
    title: 'Privileged Docker container on a self-hosted runner',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-250'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { step, uses } of uniqueSteps(model)) {
      if (!step.runsOn.some((r) => r.label === 'self.hosted')) continue;
      const unreviewed = uses.find((u) => u.pipeline.trust === 'unreviewed');
      for (const item of [...step.script, ...step.afterScript]) {
        if (item.kind !== 'command') continue;
        const text = new ScalarText(step.source, item.scalar);
        for (const st of statementsOf(parseScript(item.text, 'bash'))) {
          if (!/(?:^|\s)docker\s+(?:container\s+)?(?:run|create)\b/.test(st.code)) continue;
          const hit = DANGEROUS.find(([re]) => re.test(st.code));
          if (!hit) continue;
          report({
            message: `step "${step.label}" runs a Docker container with ${hit[1]} on a self-hosted runner, which gives the step root on the runner machine${unreviewed ? ` and the ${pipelineLabel(unreviewed.pipeline)} pipeline runs it for unreviewed code` : ''}; drop the flag, or use an ephemeral runner per build`,
            location: text.location(st.start, st.end),
            related: unreviewed ? [related(unreviewed.pipeline.source, unreviewed.pipeline.keyNode, `the ${pipelineLabel(unreviewed.pipeline)} pipeline runs unreviewed code`)] : [],
            severity: unreviewed ? 'high' : 'medium',
            route: `${stepRoute(step)}.script:${hit[1]}`,
          });
        }
      }
    }
  },
};
