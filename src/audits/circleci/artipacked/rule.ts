import type { Scalar } from 'yaml';
import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { CircleFile, CircleModel, Job } from '../../../platforms/circleci/model.js';
import { allDefinitions, defLabel, defRoute, expandedSteps } from '../../../platforms/circleci/resolve.js';
import { loc, related, type Report } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'artipacked',
    title: 'Credentials or the whole checkout uploaded as artifacts or workspace',
    platform: 'circleci',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-522', 'CWE-200'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const file of model.files) {
      for (const defs of allDefinitions(file)) for (const job of defs.jobs) checkJob(file, job, report);
    }
  },
};

const CREDENTIAL = /(?:^|\/)(?:\.ssh|\.aws|\.docker|\.kube|\.gnupg|\.config\/gcloud|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.env|id_rsa|id_ecdsa|id_ed25519|credentials\.json|service-account[^/]*\.json|[^/]*\.pem|[^/]*\.p12|[^/]*\.pfx)(?:\/|$)/i;

type Kind = 'home' | 'credential' | 'checkout' | 'git';

function checkJob(file: CircleFile, job: Job, report: Report): void {
  const wd = normalize(job.workingDirectory && typeof job.workingDirectory.value === 'string' ? job.workingDirectory.value : '~/project', '~/project');
  let checkout: Scalar | undefined;
  let n = 0;
  for (const { step } of expandedSteps(job.owner, job.steps)) {
    if (step.type === 'checkout') checkout ??= step.keyNode;
    if (step.type === 'store_artifacts' && step.path && typeof step.path.value === 'string') {
      const path = normalize(step.path.value, wd);
      const kind = classify(path, wd);
      if (!kind || ((kind === 'checkout' || kind === 'git') && !checkout)) continue;
      const d = describe(kind);
      report({
        message: `${defLabel(job)} uploads ${step.path.value} as a build artifact, ${d.what}; artifacts can be downloaded by anyone who can see the project's builds (everyone, for an open-source project); upload only the build outputs you need`,
        location: loc(file, step.path),
        related: checkout && (kind === 'checkout' || kind === 'git') ? [related(file, checkout, 'the repository is checked out here')] : [],
        severity: d.severity,
        route: `${defRoute(job)}.store_artifacts[${n++}]:${step.path.value}`,
      });
    } else if (step.type === 'persist_to_workspace') {
      const root = step.root && typeof step.root.value === 'string' ? normalize(step.root.value, wd) : wd;
      for (const p of step.paths) {
        if (typeof p.value !== 'string') continue;
        const path = normalize(p.value, root);
        const kind = classify(path, wd);
        // The workspace only reaches later jobs of the same workflow: the whole checkout there is the normal use.
        if (kind !== 'credential' && kind !== 'home') continue;
        const d = describe(kind);
        report({
          message: `${defLabel(job)} persists ${path} to the workspace, ${d.what}; every later job of the workflow (including ones running other code or orbs) can read it; persist only build outputs`,
          location: loc(file, p),
          severity: 'medium',
          confidence: 'medium',
          route: `${defRoute(job)}.persist_to_workspace:${path}`,
        });
      }
    }
  }
}

/** Absolute-ish form: `~/...` for the home directory, relative paths joined to `base`. */
function normalize(raw: string, base: string): string {
  let p = raw.trim().replace(/^\$\{?HOME\}?(?=\/|$)/, '~').replace(/^\/home\/circleci(?=\/|$)/, '~').replace(/^\/root(?=\/|$)/, '~');
  if (!p.startsWith('/') && !p.startsWith('~')) p = `${base}/${p}`;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '.' || (seg === '' && parts.length > 0)) continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  const out = parts.join('/');
  return out === '' ? '/' : out;
}

function classify(path: string, wd: string): Kind | undefined {
  if (path === '~' || path === '/') return 'home';
  if (CREDENTIAL.test(path)) return 'credential';
  if (path === wd) return 'checkout';
  if (path === `${wd}/.git`) return 'git';
  return undefined;
}

function describe(kind: Kind): { what: string; severity: Severity } {
  switch (kind) {
    case 'home':
      return { what: 'which includes ~/.ssh (the checkout key and keys from add_ssh_keys) and any tool credentials in the home directory', severity: 'high' };
    case 'credential':
      return { what: 'a credential file or directory', severity: 'high' };
    case 'checkout':
      return { what: 'the whole checkout, including .git and any credential files written there', severity: 'medium' };
    case 'git':
      return { what: 'the repository .git directory (full history and configuration)', severity: 'medium' };
  }
}
