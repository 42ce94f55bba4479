import { describe, expect, it } from 'vitest';
import { auditFiles, yaml } from '../testing.js';
import { rule } from './rule.js';

describe('unpinned-uses (gitlab): silent', () => {
  it('reports nothing for local includes, commit-pinned projects and components, and remote includes with integrity', () => {
    const text = yaml`
      include:
        - local: /ci/build.yml
        - remote: https://example.com/ci.yml
          integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=
        - project: acme/templates
          ref: 0123456789abcdef0123456789abcdef01234567
          file: /c.yml
        - component: gitlab.com/acme/lint/check@0123456789abcdef0123456789abcdef01234567
    `;
    expect(auditFiles(rule, { '.gitlab-ci.yml': text, 'ci/build.yml': 'build:\n  script: [make]\n' })).toEqual([]);
  });
});
