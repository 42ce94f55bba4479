import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, INJECTABLE } from '../helpers.js';
import { commitAll, git, GH_PAT, GH_PAT_2, initRepo, tempDir, write } from '../secrets/fixtures.js';

interface JsonFinding {
  ruleId: string;
  location: { file: string; startLine: number };
  fingerprint: string;
}

const BODY = INJECTABLE.replace('issue.title', 'issue.body');

/** A repository whose main branch has one injectable workflow and one leaked token, on branch `pr`. */
function prRepo(): string {
  const dir = tempDir('pw-newonly-');
  initRepo(dir);
  write(dir, '.github/workflows/old.yml', INJECTABLE);
  write(dir, 'config/settings.env', `TOKEN=${GH_PAT}\n`);
  commitAll(dir, 'base');
  git(dir, ['checkout', '-q', '-b', 'pr']);
  return dir;
}

function findings(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

function summary(f: JsonFinding[]): string[] {
  return f.map((x) => `${x.ruleId} ${x.location.file}:${x.location.startLine}`);
}

describe('--new-only REF', { timeout: 300_000 }, () => {
  it('reports what the change adds, not what the base already had, even when lines move', () => {
    const dir = prRepo();
    // Old problems move down; a new workflow and a new token appear.
    write(dir, '.github/workflows/old.yml', `# a comment\n\n${INJECTABLE}`);
    write(dir, 'config/settings.env', `# settings\nDEBUG=1\nTOKEN=${GH_PAT}\n`);
    write(dir, '.github/workflows/new.yml', BODY);
    write(dir, 'config/more.env', `OTHER=${GH_PAT_2}\n`);
    commitAll(dir, 'change');

    const all = cli(['scan', '.', '-f', 'json'], { cwd: dir });
    expect(summary(findings(all.stdout))).toEqual([
      'template-injection .github/workflows/new.yml:7',
      'template-injection .github/workflows/old.yml:9',
      'secrets/github-pat-classic config/more.env:1',
      'secrets/github-pat-classic config/settings.env:3',
    ]);
    const r = cli(['scan', '.', '-f', 'json', '--new-only', 'main'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(summary(findings(r.stdout))).toEqual(['template-injection .github/workflows/new.yml:7', 'secrets/github-pat-classic config/more.env:1']);
    const mergeBase = git(dir, ['merge-base', 'HEAD', 'main']).trim();
    expect(JSON.parse(r.stdout).newOnly).toEqual({ ref: 'main', mergeBase, preExisting: 2 });
    expect(JSON.parse(r.stdout).summary.total).toBe(2);
    expect(r.stderr).toBe(`note: --new-only main: 2 findings already present at the merge base ${mergeBase.slice(0, 12)} left out\n`);

    // The same for each scanner on its own.
    expect(summary(findings(cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: dir }).stdout))).toEqual(['template-injection .github/workflows/new.yml:7']);
    expect(summary(findings(cli(['secrets', '-f', 'json', '--new-only', 'main'], { cwd: dir }).stdout))).toEqual(['secrets/github-pat-classic config/more.env:1']);
  });

  it('exits 0 when the change adds nothing, and compares with the merge base, not the tip of REF', () => {
    const dir = prRepo();
    write(dir, 'README.md', 'docs only\n');
    commitAll(dir, 'docs');
    // main moves on and fixes its problem after the branch was cut: the branch still has it,
    // but it is not the branch's doing.
    git(dir, ['checkout', '-q', 'main']);
    rmSync(join(dir, '.github/workflows/old.yml'));
    commitAll(dir, 'fix on main');
    git(dir, ['checkout', '-q', 'pr']);
    const r = cli(['scan', '--new-only', 'main'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no findings\n');
  });

  it('a rename alone (committed or staged) is not new; uncommitted edits are compared too', () => {
    const dir = prRepo();
    git(dir, ['mv', '.github/workflows/old.yml', '.github/workflows/renamed.yml']);
    write(dir, '.github/workflows/renamed.yml', `# renamed and edited\n${INJECTABLE}`);
    const r = cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: dir });
    expect(findings(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
    write(dir, '.github/workflows/renamed.yml', `${INJECTABLE}\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ github.event.issue.body }}"\n`);
    expect(summary(findings(cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: dir }).stdout))).toEqual(['template-injection .github/workflows/renamed.yml:12']);
  });

  it('judges the base by the head config: a config change alone adds or removes nothing', () => {
    const dir = prRepo();
    write(dir, 'pipewarden.yml', 'rules:\n  template-injection:\n    enabled: false\n');
    commitAll(dir, 'silence the rule on main');
    git(dir, ['checkout', '-q', '-b', 'pr2']);
    rmSync(join(dir, 'pipewarden.yml'));
    commitAll(dir, 'turn it back on');
    // The rule now reports old.yml again, but old.yml was there before: not the change's finding.
    const r = cli(['audit', '-f', 'json', '--new-only', 'pr'], { cwd: dir });
    expect(findings(r.stdout)).toEqual([]);
  });

  it('removing an inline ignore makes the finding new', () => {
    const dir = tempDir('pw-newonly-');
    initRepo(dir);
    write(dir, '.github/workflows/a.yml', INJECTABLE.replace('      - run:', '      # pipewarden: ignore[template-injection] reviewed\n      - run:'));
    commitAll(dir, 'base');
    git(dir, ['checkout', '-q', '-b', 'pr']);
    write(dir, '.github/workflows/a.yml', INJECTABLE);
    expect(summary(findings(cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: dir }).stdout))).toEqual(['template-injection .github/workflows/a.yml:7']);
  });

  it('works from a subfolder, with absolute paths, and for a file the change adds', () => {
    const dir = prRepo();
    write(dir, 'svc/.github/workflows/svc.yml', BODY);
    write(dir, 'svc/README.md', 'service\n');
    const fromSub = cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: join(dir, 'svc') });
    expect(summary(findings(fromSub.stdout))).toEqual(['template-injection .github/workflows/svc.yml:7']);
    const absolute = cli(['audit', join(dir, 'svc'), join(dir, '.github'), '-f', 'json', '--new-only', 'main'], { cwd: dir });
    expect(summary(findings(absolute.stdout))).toEqual(['template-injection svc/.github/workflows/svc.yml:7']);
    // The file does not exist at the base: the base scan sees nothing there instead of failing.
    const single = cli(['audit', 'svc/.github/workflows/svc.yml', '-f', 'json', '--new-only=main'], { cwd: dir });
    expect(single.code).toBe(1);
    expect(summary(findings(single.stdout))).toEqual(['template-injection svc/.github/workflows/svc.yml:7']);
  });

  it('keeps thresholds, baselines and other options of the parent run', () => {
    const dir = prRepo();
    write(dir, '.github/workflows/new.yml', BODY);
    const baseline = join(dir, 'baseline.json');
    expect(cli(['audit', '--new-only', 'main', '--write-baseline', baseline, '--fail-on', 'never'], { cwd: dir }).code).toBe(0);
    // The baseline records everything found now, not only what is new.
    expect((JSON.parse(readFileSync(baseline, 'utf8')) as { findings: unknown[] }).findings).toHaveLength(2);
    expect(findings(cli(['audit', '-f', 'json', '--new-only', 'main', '--baseline', baseline], { cwd: dir }).stdout)).toEqual([]);
    expect(findings(cli(['audit', '-f', 'json', '--new-only', 'main', '--min-severity', 'critical'], { cwd: dir }).stdout)).toEqual([]);
    const sarif = cli(['audit', '-f', 'sarif', '--new-only', 'main'], { cwd: dir });
    expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(1);
  });

  it('usage errors: unknown ref, no repository, shallow clone without the base, history sources', () => {
    const dir = prRepo();
    const bad = cli(['audit', '--new-only', 'no-such-branch'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --new-only: "no-such-branch" is not a commit in this repository\n');
    const norepo = tempDir('pw-newonly-x-');
    write(norepo, '.github/workflows/a.yml', INJECTABLE);
    const r = cli(['audit', '--new-only', 'main'], { cwd: norepo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --new-only: .* is not inside a git work tree/);
    expect(cli(['secrets', '--git', '--new-only', 'main'], { cwd: dir }).stderr).toBe('error: --new-only compares the files with those of a base revision; with --git use --since REF instead\n');

    // A shallow clone of the branch alone has no merge base with main: say so, and how to fix it.
    write(dir, 'extra.txt', 'x\n');
    commitAll(dir, 'one');
    commitAll(dir, 'two');
    const clone = tempDir('pw-newonly-x-');
    git(clone, ['clone', '-q', '--depth', '1', '--branch', 'pr', '--no-single-branch', `file://${dir}`, 'c']);
    const shallow = cli(['audit', '--new-only', 'origin/main'], { cwd: join(clone, 'c') });
    expect(shallow.code).toBe(2);
    expect(shallow.stderr).toBe(
      'error: --new-only: HEAD and "origin/main" have no common ancestor (this is a shallow clone: fetch the base branch with enough history (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0))\n',
    );
  });

  it('runs nothing from the repository: no smudge filter, hook or fsmonitor', () => {
    const dir = prRepo();
    const marker = join(tempDir('pw-newonly-x-'), 'ran');
    write(dir, '.gitattributes', '* filter=evil diff=evil\n');
    commitAll(dir, 'attributes');
    git(dir, ['config', 'filter.evil.smudge', `touch ${marker}; cat`]);
    git(dir, ['config', 'filter.evil.clean', `touch ${marker}; cat`]);
    git(dir, ['config', 'diff.evil.textconv', `touch ${marker}; cat`]);
    git(dir, ['config', 'core.fsmonitor', `touch ${marker}; true`]);
    write(dir, '.git/hooks/post-checkout', `#!/bin/sh\ntouch ${marker}\n`);
    git(dir, ['checkout', '-q', '-b', 'pr3']);
    rmSync(marker, { force: true });
    write(dir, '.github/workflows/new.yml', BODY);
    const r = cli(['audit', '-f', 'json', '--new-only', 'main'], { cwd: dir });
    expect(summary(findings(r.stdout))).toEqual(['template-injection .github/workflows/new.yml:7']);
    expect(existsSync(marker)).toBe(false);
  });

  it('leaves no temporary copy behind', () => {
    const dir = prRepo();
    const tmp = tempDir('pw-newonly-x-');
    const before = readdirSync(tmp);
    cli(['audit', '--new-only', 'main'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(readdirSync(tmp)).toEqual(before);
  });

  it('follows a rename of the scanned folder itself', () => {
    const dir = prRepo();
    mkdirSync(join(dir, 'ci'));
    renameSync(join(dir, '.github'), join(dir, 'ci/.github'));
    git(dir, ['add', '-A']);
    const r = cli(['audit', 'ci', '-f', 'json', '--new-only', 'main'], { cwd: dir });
    expect(findings(r.stdout)).toEqual([]);
  });
});
