import { readFileSync } from 'node:fs';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { runRules } from '../core/engine.js';
import type { PipewardenConfig } from '../config/types.js';
import { readTextFile } from '../sources/read.js';
import { matchAdvisories, type AdvisorySource, type PackageAdvisories } from './advisories.js';
import { buildCiModel } from './ci/adapter.js';
import { installsOf } from './ci/installs.js';
import { DEPS_RULES, depsRuleMetas } from './checks/index.js';
import { collectDepsFiles, type Collected } from './collect.js';
import { findCompromised, loadIncidents } from './compromised.js';
import { storeSource } from './db/source.js';
import { AdvisoryStore, DatabaseMissingError } from './db/store.js';
import type { DepsModel } from './deps-model.js';
import { applyDepsIgnores } from './ignores.js';
import { loadLockfiles, MAX_LOCKFILE_BYTES } from './load.js';
import type { Lockfile } from './model.js';

export interface DepsRunOptions {
  dataDir: string;
  /** Use the online services instead of (not in addition to) the local database. */
  online?: AdvisorySource;
  /** Skip advisory matching (e.g. `deps sbom`, `deps --no-advisories`). */
  advisories?: boolean;
  /** How loudly to say that no advisory database exists: `deps` fails closed, `scan` warns. */
  missingDatabase?: 'error' | 'warning';
  today?: string;
  /** For tests and `--new-only`: file reader other than the working tree. */
  read?: (abs: string) => { text: string } | { skipped: string };
}

export interface DepsOutcome {
  /** False when vulnerable versions could not be checked (no database, no --online). */
  advisoriesChecked: boolean;
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  model: DepsModel;
  collected: Collected;
  sourceOf(file: string): string | undefined;
  docsFor(ruleId: string): string | undefined;
}

/** Lockfiles + advisories + shipped incidents + CI → findings (the whole `deps` scan, pure but for reads). */
export async function runDepsScan(collected: Collected, config: PipewardenConfig, opts: DepsRunOptions): Promise<DepsOutcome> {
  const read = opts.read ?? ((abs: string) => readTextFile(abs, MAX_LOCKFILE_BYTES));
  const loaded = loadLockfiles(collected.lockfiles, (f) => read(f.abs));
  const diagnostics: Diagnostic[] = [...collected.diagnostics, ...loaded.diagnostics];
  let advisories: PackageAdvisories[] | undefined;
  if (opts.advisories !== false && loaded.lockfiles.some((l) => l.packages.length > 0)) {
    advisories = await lookupAdvisories(loaded.lockfiles, opts, diagnostics);
  }
  const incidents = loadIncidents(opts.dataDir);
  const ci = buildCiModel(collected, (abs) => read(abs));
  diagnostics.push(...ci.diagnostics);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const accepted = applyDepsIgnores(config, today, advisories, findCompromised(loaded.lockfiles, incidents.incidents));
  diagnostics.push(...accepted.diagnostics);
  const model: DepsModel = {
    lockfiles: loaded.lockfiles,
    ...(accepted.advisories && { advisories: accepted.advisories }),
    compromised: accepted.compromised,
    ci: ci.model,
    installs: installsOf(ci.model.jobs),
    scriptsDisabled: scriptsDisabledBy(collected, read),
    today,
  };
  const result = runRules(DEPS_RULES, model, { config, online: opts.online !== undefined });
  const abs = new Map([...collected.lockfiles, ...collected.ci, ...collected.dockerfiles].map((f) => [f.path, f.abs]));
  const sources = new Map<string, string | undefined>();
  return {
    advisoriesChecked: advisories !== undefined || opts.advisories === false || !loaded.lockfiles.some((l) => l.packages.length > 0),
    findings: [...loaded.findings, ...result.findings],
    diagnostics: [...diagnostics, ...result.diagnostics],
    rules: depsRuleMetas(),
    model,
    collected,
    sourceOf(file) {
      if (!sources.has(file)) {
        const a = abs.get(file);
        const r = a ? read(a) : undefined;
        sources.set(file, r && 'text' in r ? r.text : undefined);
      }
      return sources.get(file);
    },
    docsFor(ruleId) {
      const meta = depsRuleMetas().find((m) => m.id === ruleId);
      try {
        return meta ? readFileSync(meta.docs, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * `.npmrc` with `ignore-scripts=true` (npm and Yarn 1 read it) or `.yarnrc.yml` with
 * `enableScripts: false`, in the install folder or one above it inside the repository.
 */
function scriptsDisabledBy(collected: Collected, read: (abs: string) => { text: string } | { skipped: string }): (manager: string, dir: string) => boolean {
  const off = new Map<string, Set<string>>();
  for (const f of collected.managerConfigs) {
    const r = read(f.abs);
    if (!('text' in r)) continue;
    const dir = f.repoPath.includes('/') ? f.repoPath.slice(0, f.repoPath.lastIndexOf('/')) : '';
    const managers = off.get(dir) ?? new Set<string>();
    if (f.repoPath.endsWith('.npmrc') && /^\s*ignore-scripts\s*=\s*true\s*$/m.test(r.text)) managers.add('npm').add('yarn');
    if (f.repoPath.endsWith('.yarnrc.yml') && /^enableScripts:\s*false\s*$/m.test(r.text)) managers.add('yarn');
    off.set(dir, managers);
  }
  return (manager, dir) => {
    for (let d: string | undefined = dir; d !== undefined; d = d === '' ? undefined : d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
      if (off.get(d)?.has(manager)) return true;
    }
    return false;
  };
}

async function lookupAdvisories(lockfiles: Lockfile[], opts: DepsRunOptions, diagnostics: Diagnostic[]): Promise<PackageAdvisories[] | undefined> {
  let store: AdvisoryStore | undefined;
  let source = opts.online;
  if (!source) {
    try {
      store = AdvisoryStore.openForRead(opts.dataDir);
    } catch (e) {
      if (!(e instanceof DatabaseMissingError)) throw e;
      diagnostics.push({ level: opts.missingDatabase ?? 'error', message: `${e.message}. Known-vulnerable versions were NOT checked (malicious releases from the shipped list were).` });
      return undefined;
    }
    source = storeSource(store);
  }
  try {
    let matched;
    try {
      matched = await matchAdvisories(lockfiles, source);
    } catch (e) {
      if (!opts.online) throw e;
      diagnostics.push({ level: 'error', message: `${(e as Error).message}. Known-vulnerable versions were NOT checked.` });
      return undefined;
    }
    const { results, unparsable } = matched;
    for (const u of unparsable) {
      diagnostics.push({ level: 'warning', file: u.lockfile.path, line: u.pkg.line, message: `${u.pkg.name} ${u.pkg.version}: not a valid ${u.pkg.ecosystem} version; not checked against advisories` });
    }
    return results;
  } finally {
    store?.close();
  }
}

export { collectDepsFiles };
