import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree } from '../helpers.js';

/**
 * Issue 8, item 4: one `run:` expanding the same attacker-controlled value N times used to give N
 * findings each carrying N fix edits (N = 2,000: "Invalid string length", exit 3). Now it is one
 * finding with a count, its other places listed up to a cap, and output linear in N.
 * No wall-clock asserts: sizes and counts only.
 */

const WF = '.github/workflows/ci.yml';

function repeated(n: number): string {
  const lines = Array.from({ length: n }, () => '          echo "${{ github.head_ref }}"\n').join('');
  return `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${lines}`;
}

interface JsonFinding {
  ruleId: string;
  fingerprint: string;
  location: { startLine: number; startColumn: number };
  related: Array<{ startLine: number; message: string }>;
  occurrences?: { count: number; listed: number };
  fix?: { edits: unknown[] };
}

describe('hostile sizes: repeated expansions (CLI)', { timeout: 120_000 }, () => {
  it('N = 2,000 in one run: is one template-injection finding with a count; JSON stays linear', () => {
    const root = tree({ [WF]: repeated(2000) });
    const r = cli(['audit', '--format', 'json', '.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    // 2,000 occurrences, 100 listed locations and one fix of 2,001 edits: 361,785 bytes today; the
    // old output was ~600 MB. The bound leaves room for message wording, not for N² growth.
    expect(r.stdout.length).toBeLessThan(500_000);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(['dangerous-triggers', 'template-injection']);
    const ti = findings[1]!;
    expect(ti.location).toMatchObject({ startLine: 8, startColumn: 17 });
    expect(ti.occurrences).toEqual({ count: 2000, listed: 100 });
    const listed = ti.related.filter((x) => x.message.includes('of the same problem'));
    expect(listed).toHaveLength(100);
    expect(listed[0]).toMatchObject({ startLine: 9, message: 'occurrence 2 of 2000 of the same problem' });
    expect(listed[99]).toMatchObject({ startLine: 108, message: 'occurrence 101 of 2000 of the same problem' });
    expect(ti.fix!.edits).toHaveLength(2001); // every expansion and the env: entry, once
  });

  it('the merged finding keeps the fingerprint of the single occurrence (baselines survive)', () => {
    const one = cli(['audit', '--format', 'json', '.'], { cwd: tree({ [WF]: repeated(1) }) });
    const many = cli(['audit', '--format', 'json', '.'], { cwd: tree({ [WF]: repeated(300) }) });
    const fp = (out: string): string[] => (JSON.parse(out) as { findings: JsonFinding[] }).findings.map((f) => f.fingerprint);
    expect(fp(many.stdout)).toEqual(fp(one.stdout));
    expect((JSON.parse(one.stdout) as { findings: JsonFinding[] }).findings[1]!.occurrences).toBeUndefined();
    // The same file audited again: the same fingerprints (stable, not order- or run-dependent).
    const again = cli(['audit', '--format', 'json', '.'], { cwd: tree({ [WF]: repeated(300) }) });
    expect(fp(again.stdout)).toEqual(fp(many.stdout));
  });

  it('text: one finding per rule and step, saying how many occurrences and how many are listed', () => {
    const root = tree({ [WF]: repeated(300) });
    const r = cli(['audit', '.'], { cwd: root });
    expect(r.code).toBe(1);
    const heads = r.stdout.split('\n').filter((l) => l.startsWith(`${WF}:`));
    expect(heads).toEqual([
      `${WF}:1:5: medium[medium] dangerous-triggers: "pull_request_target" runs with the base repository's secrets and a write token on pull requests from forks; job "a" must never run or trust the pull request's code`,
      `${WF}:8:17: high[high] template-injection: "github.head_ref" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead (300 occurrences; 100 more listed below, 199 not listed)`,
    ]);
    expect(r.stdout.split('\n').filter((l) => l.includes('of the same problem'))).toHaveLength(100);
    expect(r.stdout.split('\n').slice(-3, -1)).toEqual([
      '2 findings (1 high, 1 medium)',
      '(severity[confidence]: medium[medium] means medium severity, medium confidence that the finding is real)',
    ]);
  });

  it('1,000 different expressions in one run: 1,000 findings, the shared fix of the step attached once', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `          echo "\${{ github.event.issue.title || 'x${i}' }}"\n`).join('');
    const root = tree({ [WF]: `on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${lines}` });
    const r = cli(['audit', '--format', 'json', '.'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeLessThan(1_500_000); // 1,197,538 bytes: ~1.2 KB per finding, not 1,000 edits each
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings).toHaveLength(1000);
    expect(findings.filter((f) => f.fix).map((f) => f.fix!.edits.length)).toEqual([1001]);
  });

  it('fix rewrites all 2,000 expansions in one pass and the file re-audits clean of template-injection', () => {
    const root = tree({ [WF]: repeated(2000) });
    const r = cli(['fix', '.'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').at(-2)).toBe('1 fix applied in 1 file, 1 remaining finding');
    const body = Array.from({ length: 2000 }, () => '          echo "${HEAD_REF}"\n').join('');
    expect(readFileSync(join(root, WF), 'utf8')).toBe(
      `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${body}        env:\n          HEAD_REF: \${{ github.head_ref }}\n`,
    );
  });
});

/**
 * Issue 8, item 7: time grew quadratically (and, for CircleCI requires chains, cubically) with
 * jobs. These shapes ran for minutes before the passes were indexed; they now finish in seconds.
 * Asserted: exact exit code and output (the helper's 60 s spawn limit is the only clock).
 */
describe('hostile sizes: many jobs, needs and steps (CLI)', { timeout: 120_000 }, () => {
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

  it('CircleCI: 3,000 workflow entries in a requires chain', () => {
    const jobs = range(3000).map((i) => `  j${i}:\n    docker:\n      - image: cimg/base:2024.01@sha256:${'a'.repeat(64)}\n    steps:\n      - run: echo ${i}\n`).join('');
    const entries = range(3000).map((i) => `      - j${i}${i ? `:\n          requires: [j${i - 1}]` : ''}\n`).join('');
    const root = tree({ '.circleci/config.yml': `version: 2.1\njobs:\n${jobs}workflows:\n  main:\n    jobs:\n${entries}` });
    const r = cli(['audit', '.'], { cwd: root });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'no findings\n', '']);
  });

  it('GitHub: 3,000 jobs, each needing the 20 before it', () => {
    const jobs = range(3000).map((i) => `  j${i}:\n    runs-on: ubuntu-latest\n${i ? `    needs: [${range(Math.min(i, 20)).map((k) => `j${i - 1 - k}`).join(', ')}]\n` : ''}    steps:\n      - run: echo ${i}\n`).join('');
    const root = tree({ '.github/workflows/ci.yml': `on: push\npermissions: {}\njobs:\n${jobs}` });
    const r = cli(['audit', '.'], { cwd: root });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'no findings\n', '']);
  });

  it('GitHub pull_request_target: 3,000 gated jobs in a needs chain, each checking out and running the PR head', () => {
    // Every job's gate walked the whole chain above it and re-parsed each if: (347 s of CPU).
    const jobs = range(3000).map((i) =>
      `  j${i}:\n    runs-on: ubuntu-latest\n${i ? `    needs: j${i - 1}\n` : ''}    if: github.event.pull_request.head.repo.full_name != github.repository\n    steps:\n` +
      `      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: npm test\n`).join('');
    const root = tree({ '.github/workflows/ci.yml': `on: pull_request_target\npermissions: {}\njobs:\n${jobs}` });
    const r = cli(['audit', '--format', 'json', '.'], { cwd: root });
    expect(r.code).toBe(1);
    const counts: Record<string, number> = {};
    for (const f of (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
    expect(counts).toEqual({ 'dangerous-triggers': 1, 'untrusted-checkout-exec': 3000 });
  });

  it('GitLab: 3,000 jobs with needs and dependencies on the 20 before', () => {
    const jobs = range(3000).map((i) => {
      const prev = range(Math.min(i, 20)).map((k) => `j${i - 1 - k}`);
      return `j${i}:\n  script: echo ${i}\n${prev.length ? `  needs: [${prev.join(', ')}]\n  dependencies: [${prev.join(', ')}]\n` : ''}`;
    }).join('');
    const root = tree({ '.gitlab-ci.yml': jobs });
    const r = cli(['audit', '.'], { cwd: root });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'no findings\n', '']);
  });

  it('Azure: 3,000 stages in a dependsOn chain', () => {
    const stages = range(3000).map((i) => `  - stage: s${i}\n${i ? `    dependsOn: s${i - 1}\n` : ''}    jobs:\n      - job: j\n        steps:\n          - script: echo ${i}\n`).join('');
    const root = tree({ 'azure-pipelines.yml': `stages:\n${stages}` });
    const r = cli(['audit', '.'], { cwd: root });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'no findings\n', '']);
  });
});
