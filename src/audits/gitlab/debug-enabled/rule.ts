import type { Rule } from '../../../core/rule.js';
import type { GitlabModel } from '../../../platforms/gitlab/model.js';
import { isTruthy, loc, uniqueVariables, variableLabel } from '../util.js';

const DEBUG_VARS: Record<string, { what: string; severity: 'medium' | 'low' }> = {
  CI_DEBUG_TRACE: { what: 'prints every command with the values of all variables the job can see (secrets included) to the job log', severity: 'medium' },
  CI_DEBUG_SERVICES: { what: 'copies the logs of service containers (which often print their credentials) into the job log', severity: 'low' },
};

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'debug-enabled',
    title: 'Debug logging left enabled in the pipeline',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-10', 'CICD-SEC-6'],
    cwe: ['CWE-532', 'CWE-489'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { variable, jobs } of uniqueVariables(model)) {
      const d = DEBUG_VARS[variable.name];
      if (!d || !variable.value || !isTruthy(String(variable.value.value))) continue;
      if (variable.scope !== 'global' && jobs.length === 0) continue; // only in a template no job uses
      report({
        message: `${variableLabel(variable, jobs)} is true: it ${d.what}; remove it, and set it only for a one-off run from the Run pipeline form`,
        location: loc(variable.value.at),
        severity: d.severity,
        route: `${variable.keyAt.file.repoPath}:${variable.scope}:${variable.name}`,
      });
    }
  },
};
