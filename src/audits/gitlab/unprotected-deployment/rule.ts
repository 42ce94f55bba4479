import type { Rule } from '../../../core/rule.js';
import { jobRuns, SITUATION_TEXT, type Situation } from '../../../platforms/gitlab/conditions.js';
import { deployKind } from '../../../platforms/gitlab/deploy.js';
import type { GitlabModel } from '../../../platforms/gitlab/model.js';
import { jobLabel, jobRoute, jobsOf, loc, related } from '../util.js';

const UNPROTECTED: readonly Situation[] = ['branch', 'merge_request'];

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'unprotected-deployment',
    title: 'Deployment or release job not restricted to protected refs',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-1', 'CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const job of jobsOf(model)) {
      const kind = deployKind(job);
      if (!kind) continue;
      const where = UNPROTECTED.map((s) => ({ s, v: jobRuns(job, s) })).filter((x) => x.v.runs);
      if (where.length === 0) continue;
      const because = where.find((w) => w.v.because)?.v.because;
      report({
        message: `${jobLabel(job)} ${kind.what} and may run in ${where.map((w) => SITUATION_TEXT[w.s]).join(' and ')}, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD`,
        location: loc(job.keyAt),
        related: [related(kind.at.at, 'the deployment is declared here'), ...(because ? [related(because.at, 'this rule lets the job run there')] : [])],
        severity: kind.severity,
        route: `${jobRoute(job)}:deploy`,
      });
    }
  },
};
