import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const REQUIRE = { require: true };
const BUILD = yaml`
  stages: [test]
  test:
    image: node:22.11.0
    script:
      - npm ci
      - npm test
`;

describe('missing-sast (gitlab)', () => {
  it('reports nothing until the config requires SAST', () => {
    expect(auditFiles(rule, { '.gitlab-ci.yml': BUILD })).toEqual([]);
    expect(auditFiles(rule, { '.gitlab-ci.yml': BUILD }, { require: false })).toEqual([]);
  });

  it('reports a pipeline with no SAST job, template or component', () => {
    expect(summarize(auditFiles(rule, { '.gitlab-ci.yml': BUILD }, REQUIRE))).toEqual([
      ".gitlab-ci.yml:1:1-6:15 medium/high no job runs static analysis of the code (GitLab's SAST template or component, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add `include: - template: Jobs/SAST.gitlab-ci.yml` or a SAST job",
    ]);
  });

  it.each([
    ['the SAST template', 'include:\n  - template: Jobs/SAST.gitlab-ci.yml\n'],
    ['the legacy template path', 'include:\n  - template: Security/SAST.gitlab-ci.yml\n'],
    ['Auto DevOps (which includes SAST)', 'include:\n  template: Auto-DevOps.gitlab-ci.yml\n'],
    ['the CI/CD catalog component', 'include:\n  - component: $CI_SERVER_FQDN/components/sast/sast@2.1.0\n'],
    ['a shared SAST file from another project', 'include:\n  - project: acme/ci-templates\n    ref: 4b1d6c0e\n    file: /security/sast.yml\n'],
    ['a semgrep job', 'semgrep:\n  image: semgrep/semgrep:1.97.0\n  script: [semgrep ci]\n'],
    ['pipewarden sast', 'sast:\n  script: [npx pipewarden sast . --format gitlab -o gl-sast-report.json]\n'],
    ['a job extending the template\'s analyzer', '.sast-analyzer:\n  script: [/analyzer run]\nmy-sast:\n  extends: .sast-analyzer\n'],
  ])('is satisfied by %s', (_what, extra) => {
    expect(auditFiles(rule, { '.gitlab-ci.yml': `${BUILD}${extra}` }, REQUIRE)).toEqual([]);
  });

  it('a local include that runs the scan counts; a configured tool name counts', () => {
    const files = { '.gitlab-ci.yml': `include: ci/scan.yml\n${BUILD}`, 'ci/scan.yml': 'scan:\n  script: [codeql database analyze db --format=sarif-latest]\n' };
    expect(auditFiles(rule, files, REQUIRE)).toEqual([]);
    const custom = `${BUILD}lint-sec:\n  image: registry.example.com/acme/secscan:3\n  script: [secscan --all]\n`;
    expect(auditFiles(rule, { '.gitlab-ci.yml': custom }, REQUIRE)).toHaveLength(1);
    expect(auditFiles(rule, { '.gitlab-ci.yml': custom }, { require: true, tools: ['secscan'] })).toEqual([]);
  });

  it('names that only look like SAST do not count', () => {
    const decoy = `${BUILD}include:\n  - template: Jobs/Dependency-Scanning.gitlab-ci.yml\nsast-docs:\n  script: [echo "see the semgrep docs"]\n`;
    expect(auditFiles(rule, { '.gitlab-ci.yml': decoy }, REQUIRE)).toHaveLength(1);
  });

  it('rejects unknown options', () => {
    expect(() => auditFiles(rule, { '.gitlab-ci.yml': BUILD }, { require: true, tool: ['x'] })).toThrow('unknown option "tool"');
  });
});
