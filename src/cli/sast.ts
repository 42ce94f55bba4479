import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findRepoRoot } from '../config/load.js';
import { runSast } from '../sast/run.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError } from './common.js';

const HELP = `
Finds attacker-controlled data (request parameters, bodies, headers, cookies, URL parts,
messages) flowing into dangerous calls (SQL, NoSQL, HTML, shell, eval, templates, files, URLs,
redirects, merges, XML, deserialisers, regexes, logs), across files and functions, in JavaScript
and TypeScript. Nothing is executed or imported. docs/sast.md lists what is modelled.

Examples:
  $ pipewarden sast                              this repository
  $ pipewarden sast examples/vulnerable-app      one folder
  $ pipewarden sast --format sarif -o sast.sarif code flows for GitHub code scanning
  $ pipewarden sast --min-confidence medium      leave out low-confidence (second-order) flows

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`;

export function registerSastCommand(program: Command): void {
  const cmd = program
    .command('sast')
    .description('JS/TS taint analysis: injection, XSS, SSRF, path traversal and more, with code flows')
    .argument('[path]', 'directory to analyse', '.');
  addSharedOptions(cmd)
    .option('--include-tests', 'also analyse test files (off by default)')
    .addHelpText('after', HELP)
    .action(async (path: string, raw: Record<string, unknown>) => {
      const opts = normalizeShared(raw);
      const abs = resolve(path);
      if (!existsSync(abs)) throw new UsageError(`${path}: no such file or directory`);
      if (!statSync(abs).isDirectory()) throw new UsageError(`${path}: not a directory (sast analyses a project folder)`);
      const config = resolveConfig(opts, findRepoRoot(abs));
      const result = await runSast(config, { path: abs, reportBase: process.cwd(), includeTests: raw.includeTests === true ? true : undefined });
      if (!opts.quiet && process.stderr.isTTY) process.stderr.write(`analysed ${result.stats.files} ${result.stats.files === 1 ? 'file' : 'files'} (${result.stats.lines} ${result.stats.lines === 1 ? 'line' : 'lines'}) in ${result.stats.seconds.toFixed(1)} s\n`);
      await finishReport({ findings: result.findings, diagnostics: result.diagnostics, rules: result.rules, docsFor: result.docsFor, sourceOf: result.sourceOf, root: result.root, config }, opts);
    });
}
