/**
 * The npm package as a user gets it: `npm pack`, unpacked into an empty folder with its
 * production dependencies installed from the npm-shrinkwrap.json it ships (offline, from the
 * local npm cache that `npm ci` filled: the tests never depend on a registry), then run as the
 * CLI and as the Action's entry point: that folder is exactly what a release tag of the Action
 * holds (scripts/action-release.mjs). When a registry answers, `npm i -g ./pipewarden-*.tgz`
 * into an empty prefix is run as well (it resolves dependency metadata there).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INJECTABLE, REPO } from '../helpers.js';
import { commitAll, initRepo, tempDir, write } from '../secrets/fixtures.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

const run = promisify(execFile);

/** Asynchronous on purpose: a long synchronous child would stall the test worker's heartbeat. */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return (await run('npm', args, { cwd, env, maxBuffer: 64 << 20 })).stdout;
}

describe('the npm package', { timeout: 600_000 }, () => {
  const work = tempDir('pw-pack-');
  let tarball = '';
  let files: string[] = [];

  beforeAll(async () => {
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', work], REPO)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path).sort();
  }, 600_000);

  it('holds the built CLI, the Action entry point, schemas and data, and no tests or fixtures', () => {
    expect(tarball.endsWith(`${pkg.name}-${pkg.version}.tgz`)).toBe(true);
    expect(pkg.bin).toEqual({ pipewarden: 'dist/cli/main.js' });
    for (const f of ['dist/cli/main.js', 'dist/action/main.js', 'schemas/config.schema.json', 'data/popular-actions.json', 'package.json', 'README.md', 'npm-shrinkwrap.json']) {
      expect(files).toContain(f);
    }
    const offending = files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures?|examples)\//.test(f) || /\.test\.[jt]s$|(^|\/)testing\.js$|\.ts$|\.map$/.test(f) || f.startsWith('src/'));
    expect(offending).toEqual([]);
    // Rule docs ship beside the code, so `pipewarden rules ID` works from an install.
    expect(files).toContain('dist/audits/github/template-injection/README.md');
  });

  it('laid out as a release tag of the Action, runs the Action entry point with nothing installed at run time', async () => {
    const tree = join(work, 'action');
    await run(process.execPath, [join(REPO, 'scripts/action-release.mjs'), tree, '--offline', '--ignore-scripts'], { cwd: REPO });
    expect(readdirSync(tree).sort()).toEqual(['LICENSE', 'README.md', 'action.yml', 'data', 'dist', 'node_modules', 'npm-shrinkwrap.json', 'package.json', 'schemas']);
    expect(readFileSync(join(tree, 'action.yml'), 'utf8')).toBe(readFileSync(join(REPO, 'action.yml'), 'utf8'));
    // Production dependencies only.
    expect(existsSync(join(tree, 'node_modules/yaml/package.json'))).toBe(true);
    expect(existsSync(join(tree, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(REPO, 'npm-shrinkwrap.json'))).toBe(false); // postpack removed the generated copy
    runInstalled([process.execPath, join(tree, 'dist/cli/main.js')], work);

    const repo = tempDir('pw-pack-repo-');
    initRepo(repo);
    write(repo, '.github/workflows/a.yml', INJECTABLE);
    const sha = commitAll(repo, 'one workflow');
    const runner = tempDir('pw-pack-runner-');
    writeFileSync(join(runner, 'event.json'), '{}');
    writeFileSync(join(runner, 'out'), '');
    writeFileSync(join(runner, 'summary'), '');
    const r = spawnSync(process.execPath, [join(tree, 'dist/action/main.js')], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_WORKSPACE: repo,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: join(runner, 'event.json'),
        GITHUB_OUTPUT: join(runner, 'out'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary'),
        GITHUB_SHA: sha,
        RUNNER_TEMP: runner,
        INPUT_COMMAND: 'audit',
      },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error file=.github/workflows/a.yml,line=7,col=20,');
    expect(readFileSync(join(runner, 'out'), 'utf8')).toMatch(/^findings<<(\S+)\n1\n\1\n/);
    expect(readFileSync(join(runner, 'summary'), 'utf8')).toContain('## pipewarden audit: 1 finding (1 high)');
  });

  it.skipIf(!registryAnswers())('npm i -g ./pipewarden-*.tgz into an empty prefix, then pipewarden audit', async () => {
    const prefix = join(work, 'prefix');
    await npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', tarball], work);
    runInstalled([join(prefix, 'bin', 'pipewarden')], work);
  });
});

/** Runs the installed CLI (argv prefix) in a fresh folder outside this repository. */
function runInstalled(cmd: string[], work: string): void {
  const dir = tempDir('pw-pack-run-');
  const run = (args: string[], cwd: string) => spawnSync(cmd[0]!, [...cmd.slice(1), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run(['--version'], dir).stdout).toBe(`${pkg.version}\n`);
  const examples = join(dir, 'examples');
  cpSync(join(REPO, 'examples'), examples, { recursive: true });
  const audit = run(['audit', '-f', 'json'], examples);
  expect(audit.status).toBe(1);
  expect((JSON.parse(audit.stdout) as { findings: unknown[] }).findings).toHaveLength(113);
  const secrets = run(['secrets', '-f', 'json', '--fail-on', 'never'], examples);
  expect(secrets.status).toBe(0);
  expect((JSON.parse(secrets.stdout) as { findings: unknown[] }).findings).toHaveLength(6);
  const rules = run(['rules', 'template-injection'], dir);
  expect(rules.status).toBe(0);
  expect(rules.stdout).toMatch(/^# /);
  writeFileSync(join(dir, 'audit.json'), audit.stdout);
  const report = run(['report', '--html', join(dir, 'r.html'), join(dir, 'audit.json'), '--no-history', '--quiet'], examples);
  expect(report.status).toBe(0);
  expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('<!doctype html>');
  void work;
}

/** Whether an npm registry answers within a few seconds (never required). */
function registryAnswers(): boolean {
  return spawnSync('npm', ['ping'], { timeout: 15_000, stdio: 'ignore' }).status === 0;
}
