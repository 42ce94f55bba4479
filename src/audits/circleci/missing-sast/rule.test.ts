import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const REQUIRE = { require: true };
const config = (orbs: string, steps: string, jobs = '      - test\n'): string =>
  `version: 2.1\n${orbs}jobs:\n  test:\n    docker:\n      - image: cimg/node:22.11.0\n    steps:\n      - checkout\n      - run: npm ci && npm test\n${steps}workflows:\n  ci:\n    jobs:\n${jobs}`;
const BUILD = config('', '');

describe('missing-sast (circleci)', () => {
  it('reports nothing until the config requires SAST', () => {
    expect(auditFiles(rule, { '.circleci/config.yml': BUILD })).toEqual([]);
    expect(auditFiles(rule, { '.circleci/config.yml': BUILD }, { require: false })).toEqual([]);
  });

  it('reports a config with no SAST orb or command, at the top of .circleci/config.yml', () => {
    expect(summarize(auditFiles(rule, { '.circleci/config.yml': BUILD }, REQUIRE))).toEqual([
      '.circleci/config.yml:1:1-12:13 medium/high no job runs static analysis of the code (the SonarQube Cloud orb, Snyk Code, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add a SAST step',
    ]);
  });

  it.each([
    ['the SonarQube Cloud orb', config('orbs:\n  sonarcloud: sonarsource/sonarcloud@2.0.0\n', '      - sonarcloud/scan\n')],
    ['the Snyk orb running Snyk Code', config('orbs:\n  snyk: snyk/snyk@2.3.0\n', '      - snyk/scan:\n          command: code test\n          severity-threshold: high\n')],
    ['semgrep in a run step', config('', '      - run:\n          name: Semgrep\n          command: semgrep ci\n')],
    ['pipewarden sast', config('', '      - run: npx pipewarden sast . --format sarif -o sast.sarif\n')],
    ['a command of the config that runs the scan', `${config('', '      - scan\n')}commands:\n  scan:\n    steps:\n      - run: codeql database analyze db --format=sarif-latest --output=out.sarif\n`],
  ])('is satisfied by %s', (_what, text) => {
    expect(auditFiles(rule, { '.circleci/config.yml': text }, REQUIRE)).toEqual([]);
  });

  it('a continuation config that runs the scan counts', () => {
    const setup = yaml`
      version: 2.1
      setup: true
      orbs:
        continuation: circleci/continuation@1.0.0
      workflows:
        setup:
          jobs:
            - continuation/continue:
                configuration_path: .circleci/continue.yml
    `;
    expect(auditFiles(rule, { '.circleci/config.yml': setup, '.circleci/continue.yml': config('', '      - run: semgrep scan --config p/default\n') }, REQUIRE)).toEqual([]);
    expect(auditFiles(rule, { '.circleci/config.yml': setup, '.circleci/continue.yml': BUILD }, REQUIRE)).toHaveLength(1);
  });

  it('the Snyk orb testing dependencies, other orbs and decoys do not count; a configured orb, command or image does', () => {
    const sca = config('orbs:\n  snyk: snyk/snyk@2.3.0\n  node: circleci/node@7.1.0\n', '      - snyk/scan:\n          severity-threshold: high\n      - node/test\n      - run: echo "see the semgrep docs"\n');
    expect(auditFiles(rule, { '.circleci/config.yml': sca }, REQUIRE)).toHaveLength(1);
    const orb = config('orbs:\n  scan: acme/secscan@1.4.0\n', '', '      - test\n      - scan/analyze\n');
    expect(auditFiles(rule, { '.circleci/config.yml': orb }, REQUIRE)).toHaveLength(1);
    expect(auditFiles(rule, { '.circleci/config.yml': orb }, { require: true, tools: ['acme/secscan'] })).toEqual([]);
    expect(auditFiles(rule, { '.circleci/config.yml': BUILD.replace('cimg/node:22.11.0', 'registry.example.com/secscan:3') }, { require: true, tools: ['secscan'] })).toEqual([]);
    expect(summarize(auditFiles(rule, { '.circleci/config.yml': BUILD }, { require: true, tools: ['secscan'] }))[0]).toMatch(/add a SAST step \(or one of: secscan\)$/);
  });

  it('rejects unknown options', () => {
    expect(() => auditFiles(rule, { '.circleci/config.yml': BUILD }, { require: true, tool: ['x'] })).toThrow('unknown option "tool"');
  });
});
