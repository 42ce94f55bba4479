/** Source hosting: GitHub, GitLab, Bitbucket, Gitea, Sourcegraph. */
import type { Detector, Validation } from '../types.js';
import { validateBase62Checksum } from '../validators/github.js';
import { validateGitlabRoutable } from '../validators/gitlab.js';
import { keyed, token } from './build.js';

const family = 'vcs';

/** GitLab routable body (17.x+): base64url payload, optional version, length and CRC-32. */
const ROUTABLE = '[A-Za-z0-9_-]{27,300}\\.(?:[0-9a-z]{2}\\.)?[0-9a-z]{9}';

/** Routable tokens carry a checksum; the older 20-character ones carry none. */
function validateGitlab(secret: string): Validation {
  return secret.includes('.') ? validateGitlabRoutable(secret) : { status: 'unknown', note: 'legacy format, no checksum' };
}

function github(id: string, prefix: string, title: string, severity: Detector['severity'], body = '[A-Za-z0-9]{36}'): Detector {
  return token({ id, title, family, severity, keywords: [prefix], pattern: `${prefix}${body}`, minEntropy: 3, validate: validateBase62Checksum });
}

/** A GitLab token family: `prefix` + routable body or legacy body. */
function gitlab(id: string, prefix: string, title: string, legacy: string, routable = true): Detector {
  return token({
    id,
    title,
    family,
    keywords: [prefix],
    pattern: routable ? `${prefix}(?:${ROUTABLE}|${legacy})` : `${prefix}${legacy}`,
    after: '(?![A-Za-z0-9_.-])',
    minEntropy: 3,
    validate: routable ? validateGitlab : undefined,
  });
}

export const VCS_DETECTORS: Detector[] = [
  github('github-pat-classic', 'ghp_', 'GitHub personal access token (classic)', 'critical'),
  github('github-oauth-token', 'gho_', 'GitHub OAuth access token', 'critical'),
  github('github-user-to-server-token', 'ghu_', 'GitHub App user-to-server token', 'high'),
  github('github-server-to-server-token', 'ghs_', 'GitHub App installation (server-to-server) token', 'high'),
  // Refresh tokens are 36 or 76 characters after the prefix; only the short form has a known checksum.
  github('github-refresh-token', 'ghr_', 'GitHub App refresh token', 'high', '(?:[A-Za-z0-9]{76}|[A-Za-z0-9]{36})'),
  token({
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    family,
    severity: 'critical',
    keywords: ['github_pat_'],
    pattern: 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'github-oauth-app-secret',
    title: 'GitHub OAuth/GitHub App client secret',
    family,
    keywords: ['github', 'gh_client'],
    names: ['github[_.-]?(?:app[_.-]|oauth[_.-]|app|oauth)?client[_.-]?secret', 'gh[_.-]?client[_.-]?secret'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
  gitlab('gitlab-pat', 'glpat-', 'GitLab personal, project or group access token', '[A-Za-z0-9_-]{20}'),
  gitlab('gitlab-deploy-token', 'gldt-', 'GitLab deploy token', '[A-Za-z0-9_-]{20}'),
  token({
    id: 'gitlab-runner-token',
    title: 'GitLab runner authentication token',
    family,
    keywords: ['glrt-'],
    pattern: `glrt-(?:t[0-9]_${ROUTABLE}|${ROUTABLE}|[A-Za-z0-9_-]{20})`,
    after: '(?![A-Za-z0-9_.-])',
    minEntropy: 3,
    validate: validateGitlab,
  }),
  token({
    id: 'gitlab-runner-registration-token',
    title: 'GitLab runner registration token (deprecated)',
    family,
    severity: 'medium',
    keywords: ['gr1348941'],
    pattern: 'GR1348941[A-Za-z0-9_-]{20}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3,
  }),
  gitlab('gitlab-pipeline-trigger-token', 'glptt-', 'GitLab pipeline trigger token', '[a-f0-9]{40}', false),
  gitlab('gitlab-ci-job-token', 'glcbt-', 'GitLab CI/CD job token', '[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}', false),
  gitlab('gitlab-scim-token', 'glsoat-', 'GitLab SCIM token', '[A-Za-z0-9_-]{20}', false),
  gitlab('gitlab-feed-token', 'glft-', 'GitLab feed token', '[A-Za-z0-9_-]{20}', false),
  gitlab('gitlab-incoming-mail-token', 'glimt-', 'GitLab incoming mail token', '[A-Za-z0-9_-]{25}', false),
  gitlab('gitlab-agent-token', 'glagent-', 'GitLab agent for Kubernetes token', '[A-Za-z0-9_-]{50}', false),
  gitlab('gitlab-oauth-app-secret', 'gloas-', 'GitLab OAuth application secret', '[A-Za-z0-9_-]{64}', false),
  gitlab('gitlab-feature-flag-client-token', 'glffct-', 'GitLab feature flag client token', '[A-Za-z0-9_-]{20}', false),
  token({
    id: 'gitlab-session-cookie',
    title: 'GitLab session cookie',
    family,
    severity: 'high',
    keywords: ['_gitlab_session='],
    before: '_gitlab_session=',
    pattern: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  token({
    id: 'bitbucket-app-password',
    title: 'Bitbucket app password',
    family,
    keywords: ['atbb'],
    pattern: 'ATBB[A-Za-z0-9_=.-]{32}',
    after: '(?![A-Za-z0-9_=.-])',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'bitbucket-client-secret',
    title: 'Bitbucket OAuth consumer secret',
    family,
    keywords: ['bitbucket'],
    names: ['bitbucket[A-Za-z0-9_.-]{0,16}(?:secret|key)'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.5,
  }),
  token({
    id: 'sourcegraph-access-token',
    title: 'Sourcegraph access token',
    family,
    keywords: ['sgp_'],
    pattern: 'sgp_(?:[a-f0-9]{16}|local)_[a-f0-9]{40}|sgp_[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'gitea-access-token',
    title: 'Gitea / Forgejo access token',
    family,
    keywords: ['gitea', 'forgejo'],
    names: ['gitea', 'forgejo'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
];
