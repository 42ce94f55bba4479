import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findRepoRoot } from '../config/load.js';
import { GitError } from '../secrets/git.js';
import { DEFAULT_FILE_TIMEOUT_MS } from '../secrets/pool.js';
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
  $ pipewarden secrets --git --verify --online         ask GitHub, GitLab, Slack, Stripe, npm, OpenAI which secrets still work

Secrets are never printed whole: reports show a short prefix and a mask. Allow a false positive
with a "pipewarden:allow" comment on its line, or secrets.allow / secrets.paths-ignore in the config.

Every file (history blob, block of standard input) has a time budget (--file-timeout); a file
that runs out of it is reported as scan-timeout, the scan goes on, and the gate fails. So does an
object of the history that git cannot read.

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
    .option('--file-timeout <seconds>', 'time budget per file; past it the file is reported as scan-timeout and the scan moves on', parseSeconds, DEFAULT_FILE_TIMEOUT_MS / 1000)
    .option('--verify', 'with --online: ask each provider whether the secrets found still work (sends them to the provider)', false)
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
          // Verification sends secrets over the network: only with --online, like every other network use.
          verify: raw.verify === true && opts.online,
          fileTimeoutMs: (raw.fileTimeout as number) * 1000,
          // Undocumented knob for benchmarks and debugging; the default fits the machine.
          workers: envCount('PIPEWARDEN_WORKERS'),
          progress: showProgress ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined,
        });
      } catch (e) {
        if (e instanceof GitError) throw new UsageError(e.message);
        throw e;
      }
      if (raw.verify === true && !opts.online) {
        result.diagnostics.push({ level: 'warning', message: '--verify needs --online: it sends each secret found to its provider to ask whether it still works; nothing was verified' });
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

/** `10`, `2.5`, `500ms`, `30s`, `2m`: a duration in seconds. */
export function parseSeconds(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--file-timeout: "${value}" is not a duration (e.g. 10, 30s, 500ms, 2m)`);
  const seconds = Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[(m[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm'];
  if (!(seconds > 0)) throw new UsageError('--file-timeout must be more than 0');
  return seconds;
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
