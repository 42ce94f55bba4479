import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { compareFindings } from '../../core/finding.js';
import { auditor } from './platform.js';
import { entryFiles, memoryReader, summarize } from '../../audits/bitbucket/testing.js';

const audit = (files: Record<string, string>) => {
  const result = auditor.audit(entryFiles(files), memoryReader(files), DEFAULT_CONFIG, false);
  expect(result.diagnostics).toEqual([]);
  return result.findings;
};
const lines = (files: Record<string, string>) => summarize(audit(files).sort(compareFindings));
const ids = (files: Record<string, string>) => audit(files).sort(compareFindings).map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`);

describe('bitbucket auditor', () => {
  it('recognises entry files at any depth and sniffs explicit files', () => {
    expect(auditor.matches('bitbucket-pipelines.yml')).toBe(true);
    expect(auditor.matches('services/api/bitbucket-pipelines.yaml')).toBe(true);
    expect(auditor.matches('.gitlab-ci.yml')).toBe(false);
    expect(auditor.matches('ci/my-bitbucket-pipelines.yml')).toBe(false);
    expect(auditor.sniff('image: node:20\npipelines:\n  default:\n    - step:\n        script: [make]\n')).toBe(true);
    expect(auditor.sniff('stages: [build]\nbuild:\n  script: make\n')).toBe(false);
    expect(auditor.rules().every((m) => m.platform === 'bitbucket')).toBe(true);
  });

  it('runs every rule over one file', () => {
    expect(
      ids({
        'bitbucket-pipelines.yml': [
          'image: node:20',
          'pipelines:',
          '  pull-requests:',
          "    '**':",
          '      - step:',
          '          runs-on: self.hosted',
          '          script:',
          '            - bash -c "echo $BITBUCKET_BRANCH"',
          '            - curl -s https://x.example/i.sh | sh',
          '',
        ].join('\n'),
      }),
    ).toEqual([
      'bitbucket-pipelines.yml:1 unpinned-images',
      'bitbucket-pipelines.yml:6 untrusted-checkout-exec',
      'bitbucket-pipelines.yml:8 template-injection',
      'bitbucket-pipelines.yml:9 unverified-script-exec',
    ]);
  });

  it('turns malformed YAML into a syntax-error finding and audits the other files', () => {
    const out = ids({
      'bitbucket-pipelines.yml': 'pipelines:\n  default:\n    - step:\n      script: [\n',
      'app/bitbucket-pipelines.yml': 'image: node\npipelines:\n  default:\n    - step:\n        script: [make]\n',
    });
    expect(out).toContain('app/bitbucket-pipelines.yml:1 unpinned-images');
    expect(out.some((l) => l.startsWith('bitbucket-pipelines.yml:') && l.endsWith('syntax-error'))).toBe(true);
  });

  it('reports a non-mapping top level', () => {
    expect(lines({ 'bitbucket-pipelines.yml': '- just\n- a list\n' })).toEqual(['bitbucket-pipelines.yml:1:1-2:9 high/high bitbucket-pipelines.yml must be a mapping at the top level; not audited']);
  });

  it('follows local imports, audits the imported steps in their file, and reports missing ones', () => {
    const out = ids({
      'bitbucket-pipelines.yml': [
        'definitions:',
        '  imports:',
        '    shared: .bitbucket/shared-pipelines.yml',
        '    gone: .bitbucket/missing-pipelines.yml',
        'pipelines:',
        '  default:',
        '    import: build@shared',
        '  custom:',
        '    a:',
        '      import: build@gone',
        '    b:',
        '      import: nothing@shared',
        '    c:',
        '      import: build@undeclared',
        '',
      ].join('\n'),
      '.bitbucket/shared-pipelines.yml': ['definitions:', '  pipelines:', '    build:', '      - step:', '          image: alpine', '          script: [make]', ''].join('\n'),
    });
    expect(out).toEqual([
      '.bitbucket/shared-pipelines.yml:5 unpinned-images',
      'bitbucket-pipelines.yml:10 syntax-error',
      'bitbucket-pipelines.yml:12 syntax-error',
      'bitbucket-pipelines.yml:14 syntax-error',
    ]);
  });

  it('stops import cycles', () => {
    const findings = audit({
      'bitbucket-pipelines.yml': ['definitions:', '  imports:', '    a: a-pipelines.yml', 'pipelines:', '  default:', '    import: p@a', ''].join('\n'),
      'a-pipelines.yml': ['definitions:', '  imports:', '    b: b-pipelines.yml', '  pipelines:', '    p:', '      import: q@b', ''].join('\n'),
      'b-pipelines.yml': ['definitions:', '  imports:', '    a: a-pipelines.yml', '  pipelines:', '    q:', '      import: p@a', ''].join('\n'),
    });
    expect(findings.map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId} ${f.message}`)).toEqual([
      'b-pipelines.yml:6 syntax-error import "p@a" forms a cycle (bitbucket-pipelines.yml -> a-pipelines.yml -> b-pipelines.yml -> a-pipelines.yml); not followed',
    ]);
  });

  it('refuses alias bombs without expanding them', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 1100; i++) bomb.push(`k${i}: &k${i} [*a, *a]`);
    bomb.push('pipelines:', '  default:', '    - step:', '        script: [make]', '');
    const out = lines({ 'bitbucket-pipelines.yml': bomb.join('\n') });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('alias bomb');
  });

  it('survives odd shapes without throwing', () => {
    expect(
      audit({
        'bitbucket-pipelines.yml': [
          'image: {}',
          'pipelines:',
          '  default: 3',
          '  branches:',
          '    main: [1, {step: null}, {parallel: {steps: [{step: {script: null}}]}}, {stage: {steps: 7}}]',
          '  custom: []',
          '',
        ].join('\n'),
      }),
    ).toEqual([]);
  });
});

describe('bitbucket auditor limits', () => {
  it('merges fanned-out <<: chains once per node', () => {
    const text = ['a0: &a0 {script: [make]}'];
    for (let i = 1; i <= 40; i++) text.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}], name: n${i}}`);
    text.push('pipelines:', '  default:', '    - step: *a40', '');
    const started = Date.now();
    expect(auditor.audit(entryFiles({ 'bitbucket-pipelines.yml': text.join('\n') }), memoryReader({}), DEFAULT_CONFIG, false).findings).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
