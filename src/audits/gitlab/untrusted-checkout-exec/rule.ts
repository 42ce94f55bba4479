import type { Location, RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import { jobRuns } from '../../../platforms/gitlab/conditions.js';
import { isDindImage } from '../../../platforms/gitlab/images.js';
import type { GitlabModel, Job } from '../../../platforms/gitlab/model.js';
import { lookupVariable, str } from '../../../platforms/gitlab/parse.js';
import { blankSingleQuoted } from '../../../shell/script.js';
import { parsedLine } from '../../../platforms/gitlab/script.js';
import { jobLabel, jobRoute, jobsOf, loc, related } from '../util.js';

/** Runner tags that usually name privileged, shell or deployment runners. */
const PRIVILEGED_TAG = /(?:^|[-_.])(?:privileged|priv|shell|deploy|deployer|deployment|prod|production|release|secure|trusted|root|host|metal|baremetal|bare-metal|self-hosted|infra|ops)(?:$|[-_.])/i;
/** CI/CD variables named like secrets (set in the project settings, not in the file). */
const SECRET_NAME = /(?:TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:_[A-Z0-9]+)*$/;
/** Predefined variables that are always there (the job token is scoped to the pipeline's own project). */
const PREDEFINED_SECRET = /^(?:CI_|GITLAB_|FF_)/;

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'untrusted-checkout-exec',
    title: 'Job runs merge request code with secrets or on a privileged runner',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4', 'CICD-SEC-7'],
    cwe: ['CWE-829', 'CWE-269'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const job of jobsOf(model)) {
      const mr = jobRuns(job, 'merge_request');
      if (!mr.runs) continue;
      const strategy = lookupVariable(job, 'GIT_STRATEGY')?.value;
      if (strategy && str(strategy) === 'none') continue; // nothing of the merge request is checked out
      const strong: RelatedLocation[] = [];
      const weak: RelatedLocation[] = [];
      const what: string[] = [];
      if (job.idTokens) {
        strong.push(related(job.idTokens.at, 'OIDC ID tokens are issued to the job here'));
        what.push('OIDC ID tokens (id_tokens:)');
      }
      if (job.secrets) {
        strong.push(related(job.secrets.at, 'external secrets are fetched here'));
        what.push('external secrets (secrets:)');
      }
      const dind = job.services.find((s) => isDindImage(String(s.name.value)));
      if (dind) {
        strong.push(related(dind.name.at, 'docker:dind only runs on a runner in privileged mode'));
        what.push('a privileged runner (docker:dind)');
      }
      for (const t of job.tags) {
        if (!PRIVILEGED_TAG.test(String(t.value))) continue;
        strong.push(related(t.at, `runner tag "${String(t.value)}" selects this runner`));
        what.push(`runners tagged "${String(t.value)}"`);
      }
      const names = secretReads(job);
      for (const [name, at] of names) {
        weak.push({ ...at, message: `$${name} is read here` });
      }
      if (names.size > 0) what.push(`CI/CD variables ${[...names.keys()].map((n) => `$${n}`).join(', ')}`);
      if (strong.length === 0 && weak.length === 0) continue;
      const because = mr.because ? [related(mr.because.at, 'this rule lets the job run in merge request pipelines')] : [];
      report({
        message: `${jobLabel(job)} runs in merge request pipelines, on code the merge request author controls, and has ${what.join(', ')}; when a maintainer runs a fork's merge request pipeline in this project, or a developer pushes a branch, that code gets them. Keep such jobs to protected branches (rules: - if: $CI_COMMIT_REF_PROTECTED == "true") and review fork changes before running their pipelines`,
        location: loc(job.keyAt),
        related: [...because, ...strong, ...weak],
        severity: strong.length > 0 ? 'high' : 'medium',
        confidence: strong.length > 0 ? 'medium' : 'low',
        route: `${jobRoute(job)}:merge_request`,
      });
    }
  },
};

/** Secret-named variables the job's scripts read that the file does not define (they come from the settings). */
function secretReads(job: Job): Map<string, Location> {
  const out = new Map<string, Location>();
  for (const line of job.scripts) {
    if (typeof line.value.value !== 'string') continue;
    for (const st of parsedLine(line.value).statements) {
      for (const m of blankSingleQuoted(st.code).matchAll(/(?<!\\)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        const name = m[1]!;
        if (out.has(name) || PREDEFINED_SECRET.test(name) || !SECRET_NAME.test(name.toUpperCase())) continue;
        if (lookupVariable(job, name)) continue; // defined in the file: not a settings secret
        out.set(name, loc(line.value.at));
      }
    }
  }
  return out;
}
