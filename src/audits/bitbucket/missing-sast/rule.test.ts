import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const REQUIRE = { require: true };
const pipeline = (extra: string): string =>
  `image: node:22.11.0\npipelines:\n  default:\n    - step:\n        name: Test\n        script:\n          - npm ci\n          - npm test\n${extra}`;
const BUILD = pipeline('');

describe('missing-sast (bitbucket)', () => {
  it('reports nothing until the config requires SAST', () => {
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': BUILD })).toEqual([]);
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': BUILD }, { require: false })).toEqual([]);
  });

  it('reports pipelines with no SAST pipe or command, at the top of the first bitbucket-pipelines.yml', () => {
    expect(summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': BUILD, 'services/api/bitbucket-pipelines.yml': BUILD }, REQUIRE))).toEqual([
      'bitbucket-pipelines.yml:1:1-8:21 medium/high no step runs static analysis of the code (the SonarQube Cloud or SonarQube scan pipe, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add a SAST step',
    ]);
  });

  it.each([
    ['the SonarQube Cloud scan pipe', '          - pipe: sonarsource/sonarcloud-scan:2.0.0\n'],
    ['the SonarQube scan pipe, pinned by digest', `          - pipe: sonarsource/sonarqube-scan:3.1.0@sha256:${'c'.repeat(64)}\n`],
    ['semgrep in a script', '          - semgrep ci\n'],
    ['pipewarden sast in after-script', '        after-script:\n          - npx pipewarden sast . --format sarif -o sast.sarif\n'],
  ])('is satisfied by %s', (_what, extra) => {
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': pipeline(extra) }, REQUIRE)).toEqual([]);
  });

  it('a step shared through definitions and a pull-request pipeline count', () => {
    const text = `definitions:\n  steps:\n    - step: &sast\n        name: SAST\n        image: semgrep/semgrep:1.97.0\n        script:\n          - semgrep scan --config auto --error\n${BUILD}  pull-requests:\n    '**':\n      - step: *sast\n`;
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, REQUIRE)).toEqual([]);
  });

  it('the Snyk pipe (a dependency test), secret scanning and decoys do not count; a configured pipe, command or image does', () => {
    const notSast = pipeline('          - pipe: snyk/snyk-scan:1.0.1\n            variables:\n              SNYK_TOKEN: $SNYK_TOKEN\n              LANGUAGE: npm\n          - pipe: atlassian/git-secrets-scan:3.1.0\n          - echo "semgrep runs nightly"\n');
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': notSast }, REQUIRE)).toHaveLength(1);
    const custom = pipeline('          - pipe: acme/secscan-pipe:2.4.0\n');
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': custom }, REQUIRE)).toHaveLength(1);
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': custom }, { require: true, tools: ['acme/secscan-pipe'] })).toEqual([]);
    const image = pipeline('    - step:\n        image: registry.example.com/secscan:3\n        script:\n          - run-checks\n');
    expect(auditFiles(rule, { 'bitbucket-pipelines.yml': image }, { require: true, tools: ['secscan'] })).toEqual([]);
    expect(summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': BUILD }, { require: true, tools: ['secscan'] }))[0]).toMatch(/add a SAST step \(or one of: secscan\)$/);
  });

  it('rejects unknown options', () => {
    expect(() => auditFiles(rule, { 'bitbucket-pipelines.yml': BUILD }, { require: true, tool: ['x'] })).toThrow('unknown option "tool"');
  });
});
