import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findRepoRoot } from '../config/load.js';
import { GitError } from '../secrets/git.js';
import { runSecretsScan, type SecretsMode } from '../secrets/run.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError } from './common.js';

const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

const EXAMPLES = `
Sources (pick one; the default is the directory PATH, "." if omitted):
  PATH            files under PATH, honouring .gitignore; links are never followed
  --git           every commit of every ref (added lines only), with commit and author
  --staged        the staged changes, for a pre-commit hook
  --stdin         text on standard input, e.g. a CI log

Examples:
  $ pipewarden secrets                                 files in this directory
  $ pipewarden secrets --git --format sarif -o secrets.sarif
  $ pipewarden secrets --git --since origin/main       only commits not yet on main
  $ pipewarden secrets --staged                        pre-commit hook (see .pre-commit-hooks.yaml)
  $ gh run view 123 --log | pipewarden secrets --stdin
  $ pipewarden secrets --git --verify                  ask GitHub, GitLab, Slack, Stripe, npm, OpenAI which secrets still work

Secrets are never printed whole: reports show a short prefix and a mask. Allow a false positive
with a "pipewarden:allow" comment on its line, or secrets.allow / secrets.paths-ignore in the config.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`;

export function registerSecretsCommand(program: Command): void {
  const cmd = program
    .command('secrets')
    .description('find leaked credentials in files, git history (--git), staged changes (--staged) or CI logs (--stdin)')
    .argument('[path]', 'directory or file to scan; with --git/--staged, a directory inside the repository', '.');
  addSharedOptions(cmd)
    .option('--git', 'scan the history of every ref instead of the files')
    .option('--since <rev>', 'with --git: only commits not reachable from REV (implies --git)')
    .option('--staged', 'scan the staged changes (git diff --cached)')
    .option('--stdin', 'scan standard input (GitHub/GitLab log decoration is stripped)')
    .option('--no-ignore', 'also scan files excluded by .gitignore and the default ignores (lock files, minified, vendored)')
    .option('--max-file-size <bytes>', 'skip files (and longer lines) over this size; k/m/g suffixes allowed', parseSize, DEFAULT_MAX_FILE_SIZE)
    .option('--verify', 'check found secrets against the provider API (network access; implies --online)', false)
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, raw: Record<string, unknown>) => {
      const opts = normalizeShared(raw);
      const mode = pickMode(raw);
      if (opts.newOnly && mode !== 'tree') {
        throw new UsageError(`--new-only compares the files with those of a base revision; with --${mode} use ${mode === 'git' ? '--since REF' : 'a file scan'} instead`);
      }
      const abs = resolve(path);
      if (mode !== 'stdin' && !existsSync(abs)) throw new UsageError(`${path}: no such file or directory`);
      const config = resolveConfig(opts, mode === 'stdin' ? process.cwd() : findRepoRoot(abs));
      const showProgress = process.stderr.isTTY === true && !opts.quiet;
      let result;
      try {
        result = await runSecretsScan(config, {
          mode,
          path: abs,
          since: raw.since as string | undefined,
          ignore: raw.ignore !== false,
          maxFileSize: raw.maxFileSize as number,
          verify: raw.verify === true,
          // Undocumented knobs for benchmarks and debugging; the defaults fit the machine.
          workers: envCount('PIPEWARDEN_WORKERS'),
          gitProcesses: envCount('PIPEWARDEN_GIT_PROCESSES'),
          progress: showProgress ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined,
        });
      } catch (e) {
        if (e instanceof GitError) throw new UsageError(e.message);
        throw e;
      }
      await finishReport(
        {
          findings: result.findings,
          diagnostics: result.diagnostics,
          rules: result.rules,
          docsFor: result.docsFor,
          sourceOf: result.sourceOf,
          root: result.root,
          config,
        },
        opts,
      );
    });
}

function pickMode(raw: Record<string, unknown>): SecretsMode {
  const git = raw.git === true || raw.since !== undefined;
  const chosen = [git && '--git', raw.staged === true && '--staged', raw.stdin === true && '--stdin'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be combined; pick one source`);
  if (git) return 'git';
  if (raw.staged === true) return 'staged';
  if (raw.stdin === true) return 'stdin';
  return 'tree';
}

function envCount(name: string): number | undefined {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `10485760`, `10m`, `512k`, `1g` (binary units). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: "${value}" is not a size (e.g. 10485760, 512k, 10m)`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) throw new UsageError('--max-file-size must be at least 1 byte');
  return n;
}
