import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config/types.js';
import type { CiFile } from '../../audit/platform.js';
import { auditor } from './platform.js';
import { memoryReader, yaml } from '../../audits/azure/testing.js';

function audit(files: Record<string, string>, entries = Object.keys(files).filter((p) => auditor.matches(p))) {
  const list: CiFile[] = entries.map((p) => ({ path: p, repoPath: p, text: files[p]! }));
  const r = auditor.audit(list, memoryReader(files), DEFAULT_CONFIG, false);
  expect(r.diagnostics).toEqual([]);
  return r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.message}`);
}

describe('azure auditor', () => {
  it('recognises entry files by name and place', () => {
    expect(auditor.matches('azure-pipelines.yml')).toBe(true);
    expect(auditor.matches('build/azure-pipelines.yaml')).toBe(true);
    expect(auditor.matches('.azure-pipelines/release.yml')).toBe(false); // a candidate: content decides (discovery.test.ts);
    expect(auditor.matches('.azure-pipelines/templates/steps.yml')).toBe(false);
    expect(auditor.matches('.github/workflows/ci.yml')).toBe(false);
    expect(auditor.matches('pipelines.yml')).toBe(false);
  });

  it('sniffs pipeline content but not other CI systems', () => {
    expect(auditor.sniff('trigger: none\nsteps:\n  - script: make\n')).toBe(true);
    expect(auditor.sniff('jobs:\n  - job: a\n    steps:\n      - bash: make\n')).toBe(true);
    expect(auditor.sniff('extends:\n  template: x.yml\n')).toBe(true);
    expect(auditor.sniff('on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n')).toBe(false);
    expect(auditor.sniff('stages: [build]\nbuild:\n  script: make\n')).toBe(false);
    expect(auditor.sniff('version: 2.1\njobs:\n  build:\n    steps:\n      - run: make\n')).toBe(false);
    expect(auditor.sniff('a: [')).toBe(false);
  });

  it('lists its rules with platform azure', () => {
    const metas = auditor.rules();
    expect(metas.map((m) => m.id)).toContain('template-injection');
    expect(metas.every((m) => m.platform === 'azure')).toBe(true);
  });

  it('reports malformed YAML as syntax-error and does not throw', () => {
    expect(audit({ 'azure-pipelines.yml': 'steps:\n  - script: [unclosed\n' })).toEqual([
      expect.stringMatching(/^azure-pipelines\.yml:\d+:\d+ syntax-error /),
    ]);
  });

  it('reports a missing template at the reference and still audits the rest', () => {
    const out = audit({
      'azure-pipelines.yml': yaml`
        steps:
          - template: ci/missing.yml
          - script: echo "$(System.PullRequest.SourceBranch)"
      `,
    });
    expect(out).toEqual([
      'azure-pipelines.yml:2:15 syntax-error template "ci/missing.yml" cannot be read (ci/missing.yml): no such file',
      'azure-pipelines.yml:3:19 template-injection "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('stops at template include cycles', () => {
    const out = audit({
      'azure-pipelines.yml': yaml`
        steps:
          - template: a.yml
      `,
      'a.yml': yaml`
        steps:
          - template: b.yml
      `,
      'b.yml': yaml`
        steps:
          - template: a.yml
          - script: echo ok
      `,
    });
    expect(out).toEqual(['b.yml:2:15 syntax-error template "a.yml" includes itself (cycle through a.yml -> b.yml -> a.yml); not expanded']);
  });

  it('bounds template fan-out', () => {
    const files: Record<string, string> = { 'azure-pipelines.yml': 'steps:\n' + '  - template: t0.yml\n'.repeat(4) };
    for (let i = 0; i < 8; i++) files[`t${i}.yml`] = 'steps:\n' + `  - template: t${i + 1}.yml\n`.repeat(4);
    files['t8.yml'] = 'steps:\n  - script: echo leaf\n';
    const out = audit(files);
    expect(out).toEqual([expect.stringMatching(/syntax-error more than 500 template expansions in one pipeline/)]);
  });

  it('rejects templates outside the repository and templates that are not mappings', () => {
    const out = audit({
      'azure-pipelines.yml': yaml`
        steps:
          - template: ../../etc/passwd
          - template: list.yml
      `,
      'list.yml': '- a\n- b\n',
    });
    expect(out).toEqual([
      'azure-pipelines.yml:2:15 syntax-error template "../../etc/passwd" points outside the repository; not expanded',
      'azure-pipelines.yml:3:15 syntax-error template "list.yml" is not a mapping; not audited',
    ]);
  });

  it('reports a broken template once, in the template, and audits the caller', () => {
    const out = audit({
      'azure-pipelines.yml': yaml`
        steps:
          - template: bad.yml
          - template: bad.yml
      `,
      'bad.yml': 'steps:\n  - script: "unterminated\n',
    });
    expect(out.filter((l) => l.startsWith('bad.yml'))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('azure-pipelines.yml:2:15 syntax-error template "bad.yml" could not be parsed'))).toHaveLength(1);
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 1200; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    const out = audit({ 'azure-pipelines.yml': lines.join('\n') + '\n' });
    expect(out).toEqual([expect.stringMatching(/syntax-error more than 1000 YAML aliases/)]);
  });

  it('audits a template under .azure-pipelines/ once, through the pipeline that uses it', () => {
    const files = {
      '.azure-pipelines/ci.yml': yaml`
        steps:
          - template: steps.yml
            parameters:
              branch: $(System.PullRequest.SourceBranch)
      `,
      '.azure-pipelines/steps.yml': yaml`
        parameters:
          - name: branch
            default: main
        steps:
          - script: echo \${{ parameters.branch }}
      `,
    };
    // Both named as entries (as on a command line): the template is still audited once, through ci.yml.
    expect(audit(files, Object.keys(files))).toEqual([
      '.azure-pipelines/steps.yml:5:18 template-injection "${{ parameters.branch }}" (carrying System.PullRequest.SourceBranch) is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('reports a problem in a template shared by several pipelines once', () => {
    const files = {
      'azure-pipelines.yml': 'trigger: [main]\npr: none\njobs:\n  - job: build\n    steps:\n      - template: ci/setup.yml\n',
      'ci/.azure-pipelines.yml': 'trigger: none\npr: [main]\njobs:\n  - job: test\n    steps:\n      - template: setup.yml\n',
      'ci/setup.yml': 'steps:\n  - bash: curl -fsSL https://example.invalid/get.sh | sh\n',
    };
    expect(audit(files)).toEqual([
      'ci/setup.yml:2:11 unverified-script-exec step "step 1" pipes a script downloaded with curl into sh without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
    ]);
  });

  it('treats a non-mapping document as a syntax error and an empty one as nothing', () => {
    expect(audit({ 'azure-pipelines.yml': '- just\n- a list\n' })).toEqual(['azure-pipelines.yml:1:1 syntax-error an Azure pipeline must be a mapping']);
    expect(audit({ 'azure-pipelines.yml': '' })).toEqual([]);
  });
});

describe('azure example pipeline', () => {
  it('yields the findings the examples README documents', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const root = new URL('../../../examples/', import.meta.url);
    const read = (p: string) => {
      const url = new URL(p, root);
      return existsSync(url) ? { file: { path: `examples/${p}`, repoPath: p, text: readFileSync(url, 'utf8') } } : { error: 'no such file' };
    };
    const entry = read('azure-pipelines.yml');
    if ('error' in entry) throw new Error('example missing');
    const r = auditor.audit([entry.file], read, DEFAULT_CONFIG, false);
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.severity}/${f.confidence}`)).toEqual([
      'examples/azure-pipelines.yml:20:12 unpinned-uses high/high',
      'examples/azure-pipelines.yml:23:14 unpinned-images medium/high',
      'examples/azure-pipelines.yml:28:12 debug-enabled low/high',
      'examples/azure-pipelines.yml:32:12 hardcoded-credentials high/high',
      // No pr: key: PR builds are the default for GitHub/Bitbucket repositories, but the host is unknown.
      'examples/azure-pipelines.yml:43:23 untrusted-checkout-exec high/low',
      'examples/azure-pipelines.yml:44:33 artipacked high/high',
      'examples/azure-pipelines.yml:46:30 template-injection high/medium',
      'examples/azure-pipelines.yml:47:29 template-injection high/medium',
      'examples/azure-pipelines.yml:50:15 unverified-script-exec medium/high',
      'examples/azure-pipelines.yml:51:15 variable-injection medium/medium',
      'examples/azure-pipelines.yml:52:21 variable-injection high/medium',
      'examples/azure-pipelines.yml:57:21 secret-echo high/medium',
      'examples/azure-pipelines.yml:68:19 unpinned-uses low/medium',
      'examples/ci/azure/deploy.yml:10:7 cache-poisoning medium/low',
      'examples/ci/azure/deploy.yml:11:18 unprotected-deployment medium/low',
      'examples/ci/azure/deploy.yml:23:34 template-injection high/high',
      'examples/ci/azure/steps.yml:8:22 template-injection medium/medium',
      // steps.yml:9:68 expands the same parameter again: an occurrence of the finding at 8:22
      'examples/ci/azure/steps.yml:9:13 variable-injection high/medium',
    ]);
  });
});
