import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { loc, stepRoute, uniqueSteps } from '../util.js';

/** Artifact globs that publish credentials (name → what it holds). */
const CREDENTIAL_FILES: Array<[RegExp, string]> = [
  [/(?:^|\/)\.npmrc$/, 'npm registry tokens'],
  [/(?:^|\/)\.pypirc$/, 'PyPI credentials'],
  [/(?:^|\/)\.netrc$/, 'machine passwords'],
  [/(?:^|\/)\.docker(?:\/|$)|(?:^|\/)config\.json$/, 'registry logins (docker config)'],
  [/(?:^|\/)\.ssh(?:\/|$)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)/, 'SSH keys'],
  [/(?:^|\/)\.aws(?:\/|$)/, 'AWS credentials'],
  [/(?:^|\/)\.kube(?:\/|$)|(?:^|\/)kubeconfig/i, 'cluster credentials (kubeconfig)'],
  [/(?:^|\/)\.env(?:\.[\w-]+)?$/, 'environment secrets (.env)'],
  [/\.(?:pem|key|p12|pfx|jks|keystore)$/i, 'private keys'],
  [/(?:^|\/)(?:credentials|secrets?)(?:\.[\w]+)?$/i, 'credentials'],
  [/(?:service[-_]?account|gcloud|gcp[-_]key)[\w-]*\.json$/i, 'cloud service-account keys'],
  [/\.tfstate(?:\.backup)?$/, 'Terraform state (resource secrets)'],
];

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'artipacked',
    title: 'Artifacts publish git metadata or credential files',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-538'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { step } of uniqueSteps(model)) {
      for (const a of step.artifacts) {
        const p = a.pattern.trim().replace(/^\.\//, '');
        if (/(?:^|\/)\.git(?:\/|$)/.test(p)) {
          report({
            message: `step "${step.label}" publishes "${a.pattern}" as an artifact: the repository's .git directory (full history, including secrets removed from later commits, and any credentials written into .git/config) can be downloaded from the pipeline for 14 days by anyone who can read the repository; list only the build outputs`,
            location: loc(step.source, a.node),
            severity: 'medium',
            route: `${stepRoute(step)}.artifacts:${a.pattern}`,
          });
          continue;
        }
        const hit = CREDENTIAL_FILES.find(([re]) => re.test(p));
        if (!hit) continue;
        report({
          message: `step "${step.label}" publishes "${a.pattern}" as an artifact, which holds ${hit[1]}; artifacts can be downloaded from the pipeline for 14 days by anyone who can read the repository, so keep credential files out of them`,
          location: loc(step.source, a.node),
          route: `${stepRoute(step)}.artifacts:${a.pattern}`,
        });
      }
    }
  },
};
