import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { resolveDataDir } from '../core/data-dir.js';
import { collectDepsFiles, runDepsScan } from '../deps/run.js';
import { addSharedOptions, checkOutputPath, finishReport, normalizeShared, resolveConfig, UsageError, writeOutputFile, writeStdout } from './common.js';

const EXAMPLES = `
Examples:
  $ pipewarden deps db import npm-all.zip PyPI-all.zip   build the offline advisory database (OSV exports)
  $ pipewarden deps                                      lockfiles, actions and images in this repository
  $ pipewarden deps --format sarif -o deps.sarif
  $ pipewarden deps --new-only origin/main               only what this change introduces (PR gate)
  $ pipewarden deps sbom --format cyclonedx -o sbom.json
  $ pipewarden deps db info

The advisory database lives in the data folder: --data DIR, else PIPEWARDEN_DATA_DIR, else the
user's cache folder. Scans are offline; --online asks npm's bulk advisory endpoint and the OSV API
instead (cached). See docs/deps.md.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`;

export function registerDepsCommand(program: Command): void {
  const deps = program
    .command('deps')
    .description('vulnerable, malicious and outdated dependencies, actions and images; offline OSV database')
    .argument('[path]', 'repository root or folder', '.');
  addSharedOptions(deps)
    .option('--data <dir>', 'data folder holding the advisory database')
    .option('--no-advisories', 'skip the vulnerability lookup (no database needed); everything else is checked')
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, raw: Record<string, unknown>) => {
      if (raw.format === 'cyclonedx') throw new UsageError('cyclonedx is the format of `pipewarden deps sbom`; a findings report is text, json, sarif, github or gitlab');
      const opts = normalizeShared(raw);
      const abs = resolve(path);
      if (!existsSync(abs)) throw new UsageError(`${path}: no such file or directory`);
      const collected = collectDepsFiles(abs);
      // The --new-only base scan runs in a copy of the tree: it must use this run's database.
      const dataDir = opts.baseScan && process.env.PIPEWARDEN_DATA_DIR ? process.env.PIPEWARDEN_DATA_DIR : resolveDataDir(raw.data as string | undefined);
      process.env.PIPEWARDEN_DATA_DIR = dataDir;
      const config = resolveConfig(opts, collected.root);
      const notes: string[] = [];
      const online = opts.online ? (await import('../deps/online.js')).onlineSource({ cacheDir: dataDir, note: (m) => notes.push(m) }) : undefined;
      const outcome = await runDepsScan(collected, config, { dataDir, advisories: raw.advisories !== false, ...(online && { online }) });
      outcome.diagnostics.push(...notes.map((message) => ({ level: 'warning' as const, message })));
      if (!opts.quiet && collected.lockfiles.length === 0 && collected.ci.length === 0 && collected.dockerfiles.length === 0) {
        outcome.diagnostics.push({ level: 'note', message: 'no lockfiles, CI definitions or Dockerfiles found' });
      }
      await finishReport({ ...outcome, root: process.cwd(), config }, opts);
      // Fail closed: a gate that could not look for vulnerable versions must not pass.
      if (!outcome.advisoriesChecked) process.exitCode = 2;
    });

  // `deps sbom --format cyclonedx`: commander lets the parent claim --format, so the parent must accept the value.
  deps.options.find((o) => o.long === '--format')?.argChoices?.push('cyclonedx');
  deps
    .command('sbom')
    .description('export the packages of every lockfile as a CycloneDX 1.6 JSON SBOM')
    .argument('[path]', 'repository root or folder', '.')
    .addHelpText('after', '\nOptions --format cyclonedx (the default and only SBOM format) and -o FILE are read from `deps`.\n\nExample:\n  $ pipewarden deps sbom --format cyclonedx -o sbom.cdx.json')
    .action(async (path: string, _raw: unknown, cmd: Command) => {
      const raw = cmd.optsWithGlobals<{ format?: string; output?: string; quiet?: boolean }>();
      if (raw.format && raw.format !== 'cyclonedx' && raw.format !== 'text') throw new UsageError(`deps sbom writes CycloneDX JSON (--format cyclonedx), not ${raw.format}`);
      const abs = resolve(path);
      if (!existsSync(abs)) throw new UsageError(`${path}: no such file or directory`);
      checkOutputPath(raw.output, 'the SBOM');
      checkOutputPath(raw.output, 'the SBOM');
      const { loadLockfiles, MAX_LOCKFILE_BYTES } = await import('../deps/load.js');
      const { readTextFile } = await import('../sources/read.js');
      const { cyclonedx } = await import('../deps/sbom.js');
      const { VERSION } = await import('./version.js');
      const collected = collectDepsFiles(abs);
      const loaded = loadLockfiles(collected.lockfiles, (f) => readTextFile(f.abs, MAX_LOCKFILE_BYTES));
      for (const d of [...collected.diagnostics, ...loaded.diagnostics]) if (!raw.quiet || d.level === 'error') process.stderr.write(`${d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : ''}${d.level}: ${d.message}\n`);
      const bom = `${JSON.stringify(cyclonedx(loaded.lockfiles, { project: basename(abs), toolVersion: VERSION }), null, 2)}\n`;
      if (raw.output) writeOutputFile(raw.output, bom, 'the SBOM');
      else await writeStdout(bom);
      // A lockfile that could not be read makes the SBOM incomplete: say so in the exit code.
      if (loaded.diagnostics.some((d) => d.level === 'error')) process.exitCode = 1;
    });

  const db = deps.command('db').description('the local advisory database (OSV data)');
  db.command('import')
    .description('import OSV export zips (one per ecosystem) or folders of OSV JSON into the database')
    .argument('<paths...>', 'OSV export .zip files, .json files or folders')
    .option('--data <dir>', 'data folder holding the advisory database')
    .option('-q, --quiet', 'no progress on stderr', false)
    .action(async (paths: string[], _raw: unknown, cmd: Command) => {
      // `--data` is also an option of `deps`, which commander lets claim it: read the merged options.
      const raw = cmd.optsWithGlobals<{ data?: string; quiet?: boolean }>();
      const { AdvisoryStore } = await import('../deps/db/store.js');
      const { importOsv, ImportError } = await import('../deps/db/import.js');
      const dataDir = resolveDataDir(raw.data);
      const store = AdvisoryStore.openForWrite(dataDir);
      const progress = process.stderr.isTTY && !raw.quiet ? (n: number) => process.stderr.write(`\r\x1b[K${n} records`) : undefined;
      try {
        for (const p of paths) {
          let r;
          try {
            r = await importOsv(store, p, progress);
          } catch (e) {
            if (e instanceof ImportError) throw new UsageError(e.message);
            throw e;
          }
          if (progress) process.stderr.write('\r\x1b[K');
          const ecos = Object.entries(r.ecosystems).map(([k, v]) => `${k} ${v}`).join(', ') || 'no supported ecosystem';
          await writeStdout(`${p}: ${r.records} records (${ecos}); ${r.written} written, ${r.unchanged} unchanged${r.rejectedCount ? `, ${r.rejectedCount} rejected` : ''}\n`);
          for (const x of r.rejected) process.stderr.write(`${p}: ${x.entry}: warning: ${x.reason}\n`);
        }
      } finally {
        store.close();
      }
    });
  db.command('info')
    .description('what the database holds: sources, import dates, counts per ecosystem')
    .option('--data <dir>', 'data folder holding the advisory database')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (_raw: unknown, cmd: Command) => {
      const raw = cmd.optsWithGlobals<{ data?: string; format: 'text' | 'json' }>();
      const { AdvisoryStore, DatabaseMissingError, databasePath } = await import('../deps/db/store.js');
      const dataDir = resolveDataDir(raw.data);
      let store;
      try {
        store = AdvisoryStore.openForRead(dataDir);
      } catch (e) {
        if (e instanceof DatabaseMissingError) throw new UsageError(e.message);
        throw e;
      }
      const info = store.info();
      store.close();
      if (raw.format === 'json') {
        await writeStdout(`${JSON.stringify({ database: databasePath(dataDir), ...info }, null, 2)}\n`);
        return;
      }
      const lines = [
        `database: ${databasePath(dataDir)}`,
        `advisories: ${info.advisories} (${info.malicious} malicious-package reports, ${info.withdrawn} withdrawn)`,
        `by ecosystem: ${Object.entries(info.byEcosystem).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
        'sources:',
        ...info.sources.map((s) => `  ${s.name}: ${s.records} records, newest modified ${s.newestModified ?? 'n/a'}, imported ${s.importedAt} from ${s.path}`),
      ];
      await writeStdout(`${lines.join('\n')}\n`);
    });
}
