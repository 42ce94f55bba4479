import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFreshBuild, staleBuild } from './fresh-build.js';
import { tree } from './helpers.js';

describe('the end-to-end build check', () => {
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  function fixture(): { root: string; cli: string; src: string } {
    const root = tree({ 'src/cli/main.ts': 'x', 'src/audits/r/README.md': 'y', 'src/audits/r/rule.test.ts': 'z', 'dist/cli/main.js': 'built' });
    return { root, cli: join(root, 'dist/cli/main.js'), src: join(root, 'src') };
  }

  it('accepts a build newer than every source, ignoring test files', () => {
    const { root, cli, src } = fixture();
    for (const f of ['src/cli/main.ts', 'src/audits/r/README.md']) at(join(root, f), 1_000);
    at(join(root, 'src/audits/r/rule.test.ts'), 3_000);
    at(cli, 2_000);
    expect(staleBuild(cli, src)).toBeNull();
  });

  it('names the source file edited after the build, a README included', () => {
    const { root, cli, src } = fixture();
    at(join(root, 'src/cli/main.ts'), 1_000);
    at(join(root, 'src/audits/r/README.md'), 3_000);
    at(cli, 2_000);
    expect(staleBuild(cli, src)).toMatch(/\/src\/audits\/r\/README\.md changed after .*\/dist\/cli\/main\.js was built$/);
  });

  it('names a missing build', () => {
    const { root, src } = fixture();
    mkdirSync(join(root, 'other'));
    const cli = join(root, 'other/main.js');
    expect(staleBuild(cli, src)).toMatch(/other\/main\.js is missing$/);
    writeFileSync(cli, '');
    at(cli, 0);
    expect(staleBuild(cli, src)).toMatch(/changed after .*other\/main\.js was built$/);
  });
});

describe('the end-to-end build, run once when needed', () => {
  function setup(initial: string | null, after: string | null = null) {
    const root = tree({ 'keep': '' });
    const state = { reason: initial, builds: 0, logs: [] as string[] };
    const lock = join(root, 'cache/e2e-build.lock');
    const options = {
      stale: () => state.reason,
      build: () => {
        state.builds++;
        expect(readFileSync(lock, 'utf8')).toBe(String(process.pid)); // built while holding the lock
        state.reason = after;
        return { status: 0 };
      },
      lock,
      env: {},
      waitMs: 2_000,
      pollMs: 10,
      log: (line: string) => state.logs.push(line),
    };
    return { state, options, lock };
  }

  it('does nothing when dist/ is fresh', async () => {
    const { state, options } = setup(null);
    expect(await ensureFreshBuild(options)).toBeNull();
    expect(state.builds).toBe(0);
    expect(state.logs).toEqual([]);
  });

  it('builds a stale dist/ once, says so on stderr, and releases the lock', async () => {
    const { state, options, lock } = setup('src/a.ts changed after dist/cli/main.js was built');
    expect(await ensureFreshBuild(options)).toBeNull();
    expect(state.builds).toBe(1);
    expect(state.logs).toEqual(['end-to-end tests: src/a.ts changed after dist/cli/main.js was built; running `npm run build` once before they start']);
    expect(existsSync(lock)).toBe(false);
    expect(await ensureFreshBuild(options)).toBeNull();
    expect(state.builds).toBe(1);
  });

  it('fails clearly when building is turned off, fails, or leaves dist/ stale', async () => {
    const off = setup('dist/cli/main.js is missing');
    expect(await ensureFreshBuild({ ...off.options, env: { PIPEWARDEN_E2E_BUILD: '0' } })).toBe(
      'dist/cli/main.js is missing: run `npm run build` (npm test does it) so end-to-end tests do not test stale code (PIPEWARDEN_E2E_BUILD=0 turned the automatic build off)',
    );
    expect(off.state.builds).toBe(0);

    const failed = setup('dist/cli/main.js is missing');
    expect(await ensureFreshBuild({ ...failed.options, build: () => ({ status: 2 }) })).toBe('dist/cli/main.js is missing, and `npm run build` failed (exit code 2): fix the build, then run the tests again');
    expect(await ensureFreshBuild({ ...failed.options, build: () => ({ status: null, error: new Error('spawn npm ENOENT') }) })).toBe(
      'dist/cli/main.js is missing, and `npm run build` failed (spawn npm ENOENT): fix the build, then run the tests again',
    );
    expect(existsSync(failed.lock)).toBe(false);

    const still = setup('src/a.ts changed after dist/cli/main.js was built', 'src/b.ts changed after dist/cli/main.js was built');
    expect(await ensureFreshBuild(still.options)).toBe(
      'src/b.ts changed after dist/cli/main.js was built, even after `npm run build` (a file changed during the build?): run `npm run build` (npm test does it) so end-to-end tests do not test stale code',
    );
  });

  it('waits for a build another live process holds the lock for, instead of building again', async () => {
    const { state, options, lock } = setup('dist/cli/main.js is missing');
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, String(process.ppid)); // alive: the process that started this test
    setTimeout(() => {
      state.reason = null; // the other run's build finished
      writeFileSync(lock, '');
    }, 50);
    expect(await ensureFreshBuild(options)).toBeNull();
    expect(state.builds).toBe(0);
  });

  it('gives up waiting with the holder named, and takes over the lock of a dead process', async () => {
    const held = setup('dist/cli/main.js is missing');
    mkdirSync(join(held.lock, '..'), { recursive: true });
    writeFileSync(held.lock, String(process.ppid));
    expect(await ensureFreshBuild({ ...held.options, waitMs: 50 })).toMatch(
      new RegExp(`^dist/cli/main\\.js is missing, and another test run \\(pid ${process.ppid}\\) has held .*e2e-build\\.lock for over 0 s: run \`npm run build\``),
    );
    expect(held.state.builds).toBe(0);
    expect(readFileSync(held.lock, 'utf8')).toBe(String(process.ppid));

    const dead = setup('dist/cli/main.js is missing');
    mkdirSync(join(dead.lock, '..'), { recursive: true });
    writeFileSync(dead.lock, '2147483646'); // no such process
    expect(await ensureFreshBuild(dead.options)).toBeNull();
    expect(dead.state.builds).toBe(1);
    expect(existsSync(dead.lock)).toBe(false);
  });
});
