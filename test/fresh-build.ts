import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CLI, REPO } from './helpers.js';

/*
 * End-to-end tests spawn dist/, not src/. Run against a build older than the sources they would
 * test yesterday's code and pass (or skip) while today's is broken. So when the run starts
 * (test/global-setup.ts) a missing or stale build is rebuilt once with `npm run build`; when that
 * is turned off (PIPEWARDEN_E2E_BUILD=0), fails, or leaves dist/ stale, every end-to-end file
 * fails with the reason (test/setup.ts). `npm test` builds first, so this only acts on a direct
 * `npx vitest run ...` after an edit.
 */

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const n = newestSource(path);
      if (n.mtimeMs > newest.mtimeMs) newest = n;
    } else if (!entry.name.endsWith('.test.ts')) {
      // Sources, rule READMEs and JSON data: everything the build turns into dist/.
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs };
    }
  }
  return newest;
}

/**
 * Why dist/ cannot stand for src/ (missing, or older than a source file), or null when it can.
 * The marker is dist/cli/main.js: the bundle step rewrites it after tsc and the assets.
 */
export function staleBuild(cli = CLI, srcDir = join(REPO, 'src')): string | null {
  if (!existsSync(cli)) return `${relative(REPO, cli)} is missing`;
  const built = statSync(cli).mtimeMs;
  const newest = newestSource(srcDir);
  return newest.mtimeMs > built ? `${relative(REPO, newest.file)} changed after ${relative(REPO, cli)} was built` : null;
}

export interface FreshBuildOptions {
  /** Why the build cannot be used now (staleBuild by default). */
  stale?: () => string | null;
  /** Runs the build; status 0 on success. */
  build?: () => BuildResult | Promise<BuildResult>;
  /** Held while building, so two test runs started together in one checkout build once. */
  lock?: string;
  /** `PIPEWARDEN_E2E_BUILD=0`: never build, only report. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for another run's build (ms), and how often to look. */
  waitMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

type BuildResult = { status: number | null; error?: Error };

// Asynchronous: a worker blocked for the minute a build takes misses vitest's RPC deadline.
const npmBuild = (): Promise<BuildResult> =>
  new Promise((done) => {
    // The build's own output goes to stderr: stdout may carry a reporter's output.
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 2, 2] });
    child.on('error', (error) => done({ status: null, error }));
    child.on('close', (status) => done({ status }));
  });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file, or says who holds it. A lock left by a dead process is taken over. */
function tryLock(path: string): { taken: true } | { taken: false; holder: number } {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { taken: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return { taken: false, holder };
      rmSync(path, { force: true }); // stale (its process died mid-build) or half-written: retry once
    }
  }
  return { taken: false, holder: 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes dist/ stand for src/: builds once when it is missing or stale. Returns null when the
 * build is fresh, else the reason end-to-end tests must not run, with what to do about it.
 */
export async function ensureFreshBuild(options: FreshBuildOptions = {}): Promise<string | null> {
  const stale = options.stale ?? (() => staleBuild());
  const build = options.build ?? npmBuild;
  const lock = options.lock ?? join(REPO, 'node_modules/.cache/pipewarden/e2e-build.lock');
  const env = options.env ?? process.env;
  const waitMs = options.waitMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 500;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const manual = 'run `npm run build` (npm test does it) so end-to-end tests do not test stale code';

  let reason = stale();
  if (reason === null) return null;
  if (env.PIPEWARDEN_E2E_BUILD === '0') return `${reason}: ${manual} (PIPEWARDEN_E2E_BUILD=0 turned the automatic build off)`;

  const deadline = Date.now() + waitMs;
  for (;;) {
    const l = tryLock(lock);
    if (l.taken) {
      try {
        // Another run may have finished the build between our check and the lock.
        reason = stale();
        if (reason === null) return null;
        log(`end-to-end tests: ${reason}; running \`npm run build\` once before they start`);
        const r = await build();
        if (r.error || r.status !== 0) return `${reason}, and \`npm run build\` failed (${r.error ? r.error.message : `exit code ${r.status}`}): fix the build, then run the tests again`;
        reason = stale();
        return reason === null ? null : `${reason}, even after \`npm run build\` (a file changed during the build?): ${manual}`;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (Date.now() >= deadline) return `${reason}, and another test run (pid ${l.holder}) has held ${relative(REPO, lock)} for over ${Math.round(waitMs / 1000)} s: ${manual}`;
    await sleep(pollMs);
    reason = stale();
    if (reason === null) return null;
  }
}
