import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const CI = yaml`
  on:
    pull_request:
  jobs:
    test:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - run: npm ci && npm test
`;

const withStep = (step: string, on = 'pull_request'): string => yaml`
  on: ${on}
  jobs:
    scan:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - ${step}
`;

const REQUIRE = { require: true };

describe('missing-sast', () => {
  it('reports nothing until the config requires SAST', () => {
    expect(auditFiles(rule, { '.github/workflows/ci.yml': CI })).toEqual([]);
    expect(auditFiles(rule, { '.github/workflows/ci.yml': CI }, { require: false })).toEqual([]);
  });

  it('reports a repository whose workflows run no SAST, on the first code workflow', () => {
    expect(summarize(auditFiles(rule, { '.github/workflows/ci.yml': CI, '.github/workflows/a-release.yml': 'on: release\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n' }, REQUIRE))).toEqual([
      '.github/workflows/ci.yml:2:3-2:16 medium/high no workflow runs static analysis of the code (CodeQL, Semgrep, pipewarden sast, ...) on pushes or pull requests, and the config requires it; add a SAST job',
    ]);
  });

  it.each([
    ['uses: github/codeql-action/analyze@v3'],
    ['uses: github/codeql-action/init@v3'],
    ['uses: semgrep/semgrep-action@v1'],
    ['run: semgrep ci --sarif > semgrep.sarif'],
    ['run: npx pipewarden sast --format sarif -o sast.sarif'],
    ['run: node dist/cli/main.js scan .'],
    ['run: codeql database analyze db javascript-security-and-quality.qls'],
    ['run: snyk code test'],
    ['uses: SonarSource/sonarcloud-github-action@v2'],
  ])('accepts a SAST step: %s', (step) => {
    expect(auditFiles(rule, { '.github/workflows/ci.yml': CI, '.github/workflows/scan.yml': withStep(step) }, REQUIRE)).toEqual([]);
  });

  it('a SAST step only in a workflow that never runs on code changes does not count', () => {
    expect(auditFiles(rule, { '.github/workflows/ci.yml': CI, '.github/workflows/scan.yml': withStep('run: semgrep ci', 'workflow_dispatch') }, REQUIRE)).toHaveLength(1);
  });

  it('a mention in an echo or a comment-like word is not a SAST run', () => {
    expect(auditFiles(rule, { '.github/workflows/scan.yml': withStep('run: echo "we should add semgrep some day"') }, REQUIRE)).toHaveLength(1);
  });

  it('tools names other steps that count; a reusable code-scanning workflow counts', () => {
    const custom = withStep('run: ./scripts/corp-sast.sh');
    expect(auditFiles(rule, { '.github/workflows/scan.yml': custom }, REQUIRE)).toHaveLength(1);
    expect(auditFiles(rule, { '.github/workflows/scan.yml': custom }, { require: true, tools: ['./scripts/corp-sast.sh'] })).toEqual([]);
    const reusable = 'on: push\njobs:\n  codeql:\n    uses: corp/security/.github/workflows/codeql.yml@v2\n';
    expect(auditFiles(rule, { '.github/workflows/scan.yml': reusable }, REQUIRE)).toEqual([]);
  });

  it('rejects options it does not know', () => {
    expect(() => auditFiles(rule, { '.github/workflows/ci.yml': CI }, { required: true })).toThrow(/unknown option "required"/);
    expect(() => auditFiles(rule, { '.github/workflows/ci.yml': CI }, { require: 'yes' })).toThrow(/"require" must be true or false/);
  });
});
