import type { PostureCheck } from './check.js';
import { GITHUB_CHECKS } from './checks/github/index.js';
import { GITLAB_CHECKS } from './checks/gitlab/index.js';

/** The checks table of docs/posture.md (kept in sync by a test): one row per check and platform. */
export function postureChecksTable(): string {
  const rows = (platform: string, checks: ReadonlyArray<PostureCheck<never>>): string[] =>
    checks.map((c) => `| [\`${c.meta.id}\`](../src/posture/checks/${platform}/${c.meta.id.replace(/^posture\//, '')}/README.md) | ${platform} | ${c.meta.severity} | ${c.meta.owasp.join(', ')} | ${c.meta.title} | ${c.meta.scopes} |`);
  return [
    '| check | platform | severity | OWASP | what it finds | token needs |',
    '|---|---|---|---|---|---|',
    ...rows('github', GITHUB_CHECKS as ReadonlyArray<PostureCheck<never>>),
    ...rows('gitlab', GITLAB_CHECKS as ReadonlyArray<PostureCheck<never>>),
  ].join('\n');
}
