import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { memoryRepo, summarize, yaml } from '../../audits/circleci/testing.js';
import { auditor } from './platform.js';

function audit(files: Record<string, string>): string[] {
  const { entries, read } = memoryRepo(files);
  const { findings, diagnostics } = auditor.audit(entries, read, DEFAULT_CONFIG, false);
  expect(diagnostics).toEqual([]);
  return summarize(findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn));
}

const rules = (lines: string[]): string[] => lines.map((l) => l.split(' ')[0]!);

describe('circleci auditor', () => {
  it('recognises entry files and sniffs CircleCI configs', () => {
    expect(auditor.matches('.circleci/config.yml')).toBe(true);
    expect(auditor.matches('services/api/.circleci/config.yaml')).toBe(true);
    expect(auditor.matches('.circleci/continue_config.yml')).toBe(false);
    expect(auditor.matches('circleci/config.yml')).toBe(false);
    expect(auditor.sniff('version: 2.1\njobs:\n  a:\n    docker: []\n')).toBe(true);
    expect(auditor.sniff("version: '3'\nservices:\n  db: {}\n")).toBe(false);
    expect(auditor.sniff('on: push\njobs:\n  a: {}\n')).toBe(false);
  });

  it('lists rule metadata for the circleci platform', () => {
    const metas = auditor.rules();
    expect(metas.every((m) => m.platform === 'circleci')).toBe(true);
    expect(metas.map((m) => m.id)).toContain('dynamic-config-injection');
  });

  it('follows a setup config into its continuation config and audits both', () => {
    const out = audit({
      '.circleci/config.yml': yaml`
        version: 2.1
        setup: true
        orbs:
          path-filtering: circleci/path-filtering@1.0.0
        workflows:
          setup:
            jobs:
              - path-filtering/filter:
                  mapping: src/.* build true
      `,
      '.circleci/continue_config.yml': yaml`
        version: 2.1
        jobs:
          build:
            docker: [{ image: cimg/base:2024.01 }]
            steps:
              - run: echo "<< pipeline.git.commit.subject >>"
        workflows:
          w:
            jobs: [build]
      `,
    });
    expect(out).toEqual([
      '.circleci/continue_config.yml:4:23-4:40 low/high job "build" runs in cimg/base:2024.01, a CircleCI convenience image whose tag "2024.01" CircleCI rebuilds for security patches; pin it by digest (image@sha256:...)',
      '.circleci/continue_config.yml:6:20-6:53 high/high "<< pipeline.git.commit.subject >>" (the commit subject) is attacker-controlled and is substituted into the command of run step 1 in job "build" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
  });

  it('reports a missing continuation config at the line naming it, and still audits the rest', () => {
    const out = audit({
      '.circleci/config.yml': yaml`
        version: 2.1
        setup: true
        orbs:
          continuation: circleci/continuation@volatile
        jobs:
          setup:
            docker: [{ image: cimg/base:2024.01@sha256:${'b'.repeat(64)} }]
            steps:
              - continuation/continue:
                  configuration_path: .circleci/missing.yml
        workflows:
          w:
            jobs: [setup]
      `,
    });
    expect(out).toEqual([
      '.circleci/config.yml:4:17-4:47 medium/high orb "continuation" is imported as circleci/continuation@volatile, which resolves to whatever CircleCI published last; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:10:31-10:52 high/high continuation config ".circleci/missing.yml" cannot be read (no such file); it was not audited',
    ]);
  });

  it('handles continuation cycles and a continuation that is also an entry, once each', () => {
    const setup = (next: string): string => yaml`
      version: 2.1
      setup: true
      orbs:
        continuation: circleci/continuation@1.0.0
      jobs:
        s:
          docker: [{ image: cimg/base:2024.01@sha256:${'c'.repeat(64)} }]
          steps:
            - continuation/continue:
                configuration_path: ${next}
      workflows:
        w:
          jobs: [s]
    `;
    const out = audit({
      '.circleci/config.yml': setup('.circleci/a.yml'),
      '.circleci/a.yml': setup('.circleci/config.yml'),
    });
    expect(out).toEqual([]);
  });

  it('turns malformed YAML, a non-map document and an alias bomb into syntax-error findings without throwing', () => {
    const bomb = ['version: 2.1', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 1100; i++) bomb.push(`b${i}: *a`);
    const out = audit({
      '.circleci/config.yml': 'version: 2.1\njobs:\n  build:\n    steps: [checkout\n',
      'x/.circleci/config.yml': '- just\n- a list\n',
      'y/.circleci/config.yml': bomb.join('\n') + '\n',
    });
    expect(rules(out).every((r) => r.startsWith('.circleci/config.yml') || r.startsWith('x/') || r.startsWith('y/'))).toBe(true);
    expect(out.some((l) => l.startsWith('.circleci/config.yml:') && l.includes('high/high'))).toBe(true);
    expect(out).toContain('x/.circleci/config.yml:1:1-2:9 high/high a CircleCI config must be a map at the top level; not audited');
    expect(out.find((l) => l.startsWith('y/'))).toMatch(/alias bomb/);
  });

  it('survives self-referencing merge keys and deeply nested when-steps', () => {
    let steps = '      - run: echo << pipeline.git.branch >>\n';
    for (let i = 0; i < 40; i++) steps = `      - when:\n          condition: true\n          steps:\n${steps.replace(/^/gm, '        ')}`;
    const out = audit({
      '.circleci/config.yml': `version: 2.1\nbase: &base\n  docker: [{ image: "cimg/base:2024.01@sha256:${'d'.repeat(64)}" }]\n  <<: *base\njobs:\n  a:\n    <<: *base\n    steps:\n${steps}`,
    });
    expect(Array.isArray(out)).toBe(true);
  });

  it('yields the documented findings on examples/.circleci', () => {
    const root = fileURLToPath(new URL('../../../examples/', import.meta.url));
    const read = (p: string): { file: { path: string; repoPath: string; text: string } } | { error: string } => {
      try {
        return { file: { path: `examples/${p}`, repoPath: p, text: readFileSync(`${root}${p}`, 'utf8') } };
      } catch {
        return { error: 'no such file' };
      }
    };
    const entry = read('.circleci/config.yml');
    if (!('file' in entry)) throw new Error('examples/.circleci/config.yml is missing');
    const { findings, diagnostics } = auditor.audit([entry.file], read, DEFAULT_CONFIG, false);
    expect(diagnostics).toEqual([]);
    const rows = findings
      .sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn)
      .map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId} ${f.severity}/${f.confidence}`);
    expect(rows).toEqual([
      'examples/.circleci/config.yml:7 unpinned-uses medium/high',
      'examples/.circleci/config.yml:12 unpinned-images low/high',
      'examples/.circleci/config.yml:18 dynamic-config-injection medium/medium',
      'examples/.circleci/continue_config.yml:13 unpinned-uses low/high',
      'examples/.circleci/continue_config.yml:14 unpinned-uses high/high',
      'examples/.circleci/continue_config.yml:19 untrusted-checkout-exec medium/low',
      'examples/.circleci/continue_config.yml:27 template-injection low/medium',
      'examples/.circleci/continue_config.yml:32 unpinned-images medium/high',
      'examples/.circleci/continue_config.yml:33 unpinned-images high/high',
      'examples/.circleci/continue_config.yml:37 hardcoded-credentials high/medium',
      'examples/.circleci/continue_config.yml:49 template-injection high/high',
      'examples/.circleci/continue_config.yml:50 variable-injection medium/medium',
      'examples/.circleci/continue_config.yml:54 artipacked medium/high',
      'examples/.circleci/continue_config.yml:60 unverified-script-exec medium/high',
      'examples/.circleci/continue_config.yml:65 unpinned-images low/high',
      'examples/.circleci/continue_config.yml:68 hardcoded-credentials high/high',
      'examples/.circleci/continue_config.yml:73 cache-poisoning high/high',
      'examples/.circleci/continue_config.yml:81 template-injection medium/high',
      'examples/.circleci/continue_config.yml:88 untrusted-checkout-exec medium/low',
      'examples/.circleci/continue_config.yml:90 unprotected-deployment medium/medium',
    ]);
  });
});
