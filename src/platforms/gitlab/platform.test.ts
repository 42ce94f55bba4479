import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { compareFindings } from '../../core/finding.js';
import { auditor } from './platform.js';
import { memoryRepo, summarize, yaml } from '../../audits/gitlab/testing.js';

function audit(files: Record<string, string>) {
  const { entries, read } = memoryRepo(files);
  return auditor.audit(entries, read, DEFAULT_CONFIG, false);
}

const lines = (files: Record<string, string>, rule?: string) =>
  audit(files)
    .findings.filter((f) => !rule || f.ruleId === rule)
    .sort(compareFindings)
    .map((f) => `${f.ruleId} ${summarize([f])[0]}`);

describe('gitlab auditor', () => {
  it('recognises entry files by name at any depth, and sniffs GitLab content', () => {
    expect(auditor.matches('.gitlab-ci.yml')).toBe(true);
    expect(auditor.matches('services/api/.gitlab-ci.yaml')).toBe(true);
    expect(auditor.matches('ci/gitlab-ci.yml')).toBe(false);
    expect(auditor.matches('.gitlab-ci.yml.bak')).toBe(false);
    expect(auditor.sniff('stages: [build]\nbuild:\n  stage: build\n  script:\n    - make\n')).toBe(true);
    expect(auditor.sniff('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n')).toBe(false);
    expect(auditor.sniff('pipelines:\n  default:\n    - step:\n        script: [make]\n')).toBe(false);
    expect(auditor.rules().every((r) => r.platform === 'gitlab')).toBe(true);
  });

  it('reports malformed YAML as a syntax-error finding and does not throw', () => {
    expect(lines({ '.gitlab-ci.yml': 'build:\n  script: [make\n' }, 'syntax-error')).toHaveLength(1);
    expect(lines({ '.gitlab-ci.yml': 'a: 1\na: 2\n' }, 'syntax-error')[0]).toMatch(/^syntax-error \.gitlab-ci\.yml:2:1-2:2 /);
  });

  it('reports a missing include at the include line and still audits the rest', () => {
    const out = lines({
      '.gitlab-ci.yml': yaml`
        include:
          - local: ci/missing.yml
        job:
          image: node:latest
          script: [make]
      `,
    });
    expect(out).toEqual([
      'syntax-error .gitlab-ci.yml:2:12-2:26 high/high cannot read included file "ci/missing.yml": no such file in the repository',
      'unpinned-images .gitlab-ci.yml:4:10-4:21 high/high the image of job "job" is "node:latest", whose tag "latest" is a channel that moves to new builds; pin it by digest (name:tag@sha256:...)',
    ]);
  });

  it('stops at include cycles, with a finding at the include that closes the cycle', () => {
    const out = lines(
      {
        '.gitlab-ci.yml': 'include: a.yml\nroot:\n  script: [make]\n',
        'a.yml': 'include: /b.yml\n',
        'b.yml': 'include:\n  - local: a.yml\nb:\n  script: [make]\n',
      },
      'syntax-error',
    );
    expect(out).toEqual(['syntax-error b.yml:2:12-2:17 high/high include cycle: a.yml -> b.yml -> a.yml; not followed']);
  });

  it('refuses includes that leave the repository', () => {
    expect(lines({ '.gitlab-ci.yml': 'include: ../../etc/passwd\n' }, 'syntax-error')).toEqual([
      'syntax-error .gitlab-ci.yml:1:10-1:26 high/high include "../../etc/passwd" is not a path inside the repository',
    ]);
  });

  it('survives an alias bomb with a syntax-error finding', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    levels.push('job:\n  script: *i');
    const result = audit({ '.gitlab-ci.yml': levels.join('\n') + '\n' });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['syntax-error']);
    expect(result.findings[0]!.message).toMatch(/alias bomb/);
  });

  it('reports extends and !reference errors, and audits what resolves', () => {
    const out = lines({
      '.gitlab-ci.yml': yaml`
        a:
          extends: .missing
          script:
            - !reference [.nothing, script]
            - curl https://x.example/i.sh | sh
        b:
          extends: b
          script: [make]
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'syntax-error .gitlab-ci.yml:2:12-2:20',
      'syntax-error .gitlab-ci.yml:4:7-4:36',
      'unverified-script-exec .gitlab-ci.yml:5:7-5:39',
      'syntax-error .gitlab-ci.yml:7:12-7:13',
    ]);
  });

  it('does not throw on odd shapes', () => {
    const odd = [
      '',
      '42\n',
      '- a\n- b\n',
      'job:\n',
      'job: [1, 2]\ninclude: 7\n',
      'include: [{ local: 5 }, { nothing: x }, [a]]\njob:\n  script: { a: b }\n',
      'job:\n  extends: { a: b }\n  rules: yes\n  only: { refs: 5, variables: [1] }\n  script: [!reference [[a], {b: c}]]\n',
      'job:\n  script: make\n  image: { entrypoint: [x] }\n  services: [{ alias: x }, 5, null]\n  cache: [5, { key: { files: 5 } }]\n  artifacts: { paths: 5, reports: { dotenv: [1] } }\n  environment: { name: 5, action: [x] }\n  variables: { A: { value: [1] }, B: [x], C: null }\n  inherit: { default: 5, variables: [A] }\n',
      'spec:\n  inputs: 5\n---\njob:\n  script: ["$[[ inputs.x ]]"]\n',
      'spec: [1]\n---\njob:\n  script: [x]\n',
      'a: &a { <<: *a }\n',
      'workflow: { rules: [{ if: "((((" }, 5] }\njob:\n  rules: [{ if: "$A =~ /[/" }, { changes: [x] }]\n  script: [eval "$X"]\n',
    ];
    for (const text of odd) expect(() => audit({ '.gitlab-ci.yml': text })).not.toThrow();
  });

  it('notes wildcard and variable includes without failing', () => {
    const r = audit({ '.gitlab-ci.yml': "include:\n  - local: 'ci/*.yml'\n  - local: $FILE\nj:\n  script: [make]\n" });
    expect(r.findings).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.level}`)).toEqual(['2:note', '3:note']);
  });

  it('audits child pipelines from trigger: include:', () => {
    const out = lines({
      '.gitlab-ci.yml': yaml`
        child:
          trigger:
            include: ci/child.yml
      `,
      'ci/child.yml': 'deploy:\n  script:\n    - eval "$CI_COMMIT_TITLE"\n',
    });
    expect(out).toEqual([
      'template-injection ci/child.yml:3:13-3:29 high/high "$CI_COMMIT_TITLE" (the commit title) is attacker-controlled and the shell expands it into code that eval parses again, in job "deploy" of child pipeline ci/child.yml; keep it data: single-quote the code so the inner shell reads "$CI_COMMIT_TITLE" from the environment, or drop eval',
    ]);
  });

  it('finds what the README shows for the examples', () => {
    const base = '../../../examples/';
    const read = (p: string) => {
      try {
        return { file: { path: `examples/${p}`, repoPath: p, text: readFileSync(new URL(base + p, import.meta.url), 'utf8') } };
      } catch (e) {
        return { error: String(e) };
      }
    };
    const entry = read('.gitlab-ci.yml');
    if ('error' in entry) throw new Error(entry.error);
    const r = auditor.audit([entry.file], read, DEFAULT_CONFIG, false);
    const ids = new Set(r.findings.map((f) => f.ruleId));
    for (const id of ['template-injection', 'untrusted-checkout-exec', 'variable-injection', 'unprotected-deployment', 'cache-poisoning', 'artipacked', 'unpinned-uses', 'unpinned-images', 'hardcoded-credentials', 'unverified-script-exec', 'debug-enabled', 'insecure-dind']) {
      expect(ids, id).toContain(id);
    }
    expect(ids).not.toContain('syntax-error');
  });
});
