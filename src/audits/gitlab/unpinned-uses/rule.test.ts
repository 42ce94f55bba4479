import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unpinned-uses (gitlab)', () => {
  it('flags remote, project and component includes that can change under the pipeline', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          include:
            - https://example.com/ci.yml
            - remote: https://example.com/ci.yml
              integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=
            - project: acme/templates
              file: /build.yml
            - project: acme/templates
              ref: v1.2.0
              file: [/a.yml, /b.yml]
            - project: acme/templates
              ref: 0123456789abcdef0123456789abcdef01234567
              file: /c.yml
            - component: gitlab.com/acme/lint/check@1.2
            - component: gitlab.com/acme/lint/check@main
            - component: gitlab.com/acme/lint/check@0123456789abcdef0123456789abcdef01234567
            - template: Security/SAST.gitlab-ci.yml
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:2:5-2:31 high/high include remote: https://example.com/ci.yml is fetched when each pipeline is created and whoever controls that server decides its content; add integrity: sha256-... or vendor the file into this repository',
      '.gitlab-ci.yml:5:14-5:28 high/high include project: acme/templates (/build.yml) has no ref: and follows the default branch of acme/templates; pin ref: to a full 40-character commit SHA',
      '.gitlab-ci.yml:7:14-7:28 medium/high include project: acme/templates (/a.yml, /b.yml) uses ref: v1.2.0, a tag the maintainers of acme/templates can move; pin ref: to a full 40-character commit SHA',
      '.gitlab-ci.yml:13:16-13:46 medium/high include component: gitlab.com/acme/lint/check@1.2 is a partial version that resolves to the newest matching release; pin it to a commit SHA (@<40-hex>)',
      '.gitlab-ci.yml:14:16-14:47 high/high include component: gitlab.com/acme/lint/check@main follows the branch "main"; pin it to a commit SHA (@<40-hex>)',
    ]);
  });

  it('does not flag the project itself, ~latest is high', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          include:
            - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA
            - project: $CI_PROJECT_PATH
              file: /other.yml
            - component: $CI_SERVER_FQDN/acme/lint/check@~latest
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:5:16-5:55 high/high include component: $CI_SERVER_FQDN/acme/lint/check@~latest follows the newest release of the component at every pipeline; pin it to a commit SHA (@<40-hex>)',
    ]);
  });

  it('reports includes written in included files, where they are written', () => {
    expect(
      run({
        '.gitlab-ci.yml': 'include: ci/base.yml\n',
        'ci/base.yml': 'include:\n  - remote: https://example.com/x.yml\njob:\n  script: [make]\n',
      }),
    ).toEqual([
      'ci/base.yml:2:13-2:38 high/high include remote: https://example.com/x.yml is fetched when each pipeline is created and whoever controls that server decides its content; add integrity: sha256-... or vendor the file into this repository',
    ]);
  });
});
