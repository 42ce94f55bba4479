import { describe, expect, it } from 'vitest';
import { memoryReader } from '../../audits/bitbucket/testing.js';
import { buildBitbucketModel, isProtectedGlob, trustOf } from './parse.js';
import { commitTextCommand, shellWords, sinksOf, taintedExpansions } from './script.js';

const build = (text: string) => {
  const { model, problems } = buildBitbucketModel([{ path: 'bitbucket-pipelines.yml', repoPath: 'bitbucket-pipelines.yml', text }], memoryReader({}));
  expect(problems).toEqual([]);
  return model.files[0]!;
};

describe('bitbucket model', () => {
  it('flattens parallel and stage groups, applies stage deployment/trigger, merges <<: keys', () => {
    const file = build(
      [
        'definitions:',
        '  steps:',
        '    - step: &base',
        '        name: Base',
        '        image: node:20',
        '        caches: [node]',
        '        script: [npm ci]',
        'pipelines:',
        '  branches:',
        '    main:',
        '      - step:',
        '          <<: *base',
        '          name: Override',
        '      - parallel:',
        '          fail-fast: true',
        '          steps:',
        '            - step: {name: A, script: [a]}',
        '            - step: {name: B, script: [b]}',
        '      - stage:',
        '          deployment: production',
        '          trigger: manual',
        '          steps:',
        '            - step:',
        '                name: Deploy',
        '                runs-on: [self.hosted, linux]',
        '                artifacts: {download: false, paths: [dist/**]}',
        '                script:',
        '                  - pipe: atlassian/aws-s3-deploy:1.1.0',
        '                    variables: {S3_BUCKET: b}',
        '',
      ].join('\n'),
    );
    const p = file.pipelines[0]!;
    expect(p.kind).toBe('branches');
    expect(p.trust).toBe('protected');
    expect(p.steps.map((s) => s.label)).toEqual(['Override', 'A', 'B', 'Deploy']);
    expect(p.steps[0]!.image?.name).toBe('node:20');
    expect(p.steps[0]!.caches.map((c) => c.name)).toEqual(['node']);
    const d = p.steps[3]!;
    expect(d.deployment).toMatchObject({ name: 'production', fromStage: true });
    expect(d.manual).toBe(true);
    expect(d.runsOn.map((r) => r.label)).toEqual(['self.hosted', 'linux']);
    expect(d.artifacts.map((a) => a.pattern)).toEqual(['dist/**']);
    expect(d.artifactsDownload).toBe(false);
    expect(d.script[0]).toMatchObject({ kind: 'pipe', ref: 'atlassian/aws-s3-deploy:1.1.0' });
  });

  it('classifies pipelines by who can make them run unreviewed code', () => {
    expect(trustOf('default', undefined)).toBe('unreviewed');
    expect(trustOf('pull-requests', 'main')).toBe('unreviewed');
    expect(trustOf('tags', 'v*')).toBe('protected');
    expect(isProtectedGlob('main')).toBe(true);
    expect(isProtectedGlob('{main,develop}')).toBe(true);
    expect(isProtectedGlob('release/*')).toBe(true);
    expect(isProtectedGlob('**')).toBe(false);
    expect(isProtectedGlob('feature/*')).toBe(false);
    expect(isProtectedGlob('{main,feature/*}')).toBe(false);
  });

  it('reads custom pipeline variables and import references', () => {
    const file = build(['pipelines:', '  custom:', '    run:', '      - variables:', '          - name: VERSION', '      - step: {script: [x]}', '    remote:', '      import: shared:main:build', ''].join('\n'));
    expect(file.pipelines[0]!.variables.map((v) => v.name)).toEqual(['VERSION']);
    expect(file.imports[0]).toMatchObject({ kind: 'repository', repo: 'shared', ref: 'main', pipeline: 'build' });
  });
});

describe('bitbucket script analysis', () => {
  it('splits shell words keeping quotes and substitutions', () => {
    expect(shellWords(`bash -c "echo $(date +%s) x" 'a b' c\\ d`).map((w) => w.text)).toEqual(['bash', '-c', '"echo $(date +%s) x"', "'a b'", 'c\\ d']);
  });

  it('finds re-parsing sinks and only their code argument', () => {
    expect(sinksOf(`bash -c 'deploy "$1"' _ "$X"`).map((s) => [s.what, s.words.map((w) => w.text)])).toEqual([['bash -c', [`'deploy "$1"'`]]]);
    expect(sinksOf('sudo eval "$X"').map((s) => s.what)).toEqual(['eval']);
    expect(sinksOf('kubectl exec pod -- sh -ec "run $X"').map((s) => s.what)).toEqual(['sh -c']);
    expect(sinksOf('ssh -p 22 -o StrictHostKeyChecking=no host "x $X"').map((s) => s.words.map((w) => w.text))).toEqual([['"x $X"']]);
    expect(sinksOf('echo "$X"')).toEqual([]);
  });

  it('recognises commit text commands', () => {
    expect(commitTextCommand('git log -1 --pretty=%B')?.strength).toBe('high');
    expect(commitTextCommand('git log -1 --format="%an <%ae>"')?.strength).toBe('high');
    expect(commitTextCommand('git show -s --format=%H')).toBeUndefined();
    expect(commitTextCommand('git log --oneline -5')?.strength).toBe('high');
    expect(commitTextCommand('git rev-parse HEAD')).toBeUndefined();
    expect(commitTextCommand('git rev-parse --abbrev-ref HEAD')?.strength).toBe('medium');
  });

  it('ignores single-quoted and escaped expansions', () => {
    const env = new Map([['B', { source: 'B', strength: 'medium' as const, who: 'x', chain: [] }]]);
    expect(taintedExpansions(`"a $B" '$B' \\$B \${B:-x}`, env).map((e) => e.text)).toEqual(['$B', '${B:-x}']);
  });
});
