import type { Scalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { loc, stepRoute, uniqueSteps } from '../util.js';

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'debug-enabled',
    title: 'Pipe runs with DEBUG output switched on',
    platform: 'bitbucket',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-10'],
    cwe: ['CWE-532'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { step } of uniqueSteps(model)) {
      for (const item of [...step.script, ...step.afterScript]) {
        if (item.kind !== 'pipe') continue;
        const debug = item.variables.find((e) => e.key === 'DEBUG');
        const value = debug?.value as Scalar | null | undefined;
        if (!debug || !value || !/^(?:true|1|yes)$/i.test(String(value.value ?? '').trim())) continue;
        const name = item.ref.replace(/:.*$/, '');
        report({
          message: `step "${step.label}" runs pipe ${name} with DEBUG: ${String(value.value)}, which prints the pipe's internal commands and requests (values derived from secured variables, such as encoded tokens or signed URLs, are not masked); remove it once troubleshooting is over`,
          location: loc(step.source, value),
          route: `${stepRoute(step)}.pipe.${name}.DEBUG`,
        });
      }
    }
  },
};
