import { LockfileError, type Package } from '../model.js';
import { stripBom } from './text.js';
import { parseToml, type TomlTable, type TomlValue } from './toml.js';

function tables(v: TomlValue | undefined, what: string): TomlTable[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'object' || t === null || Array.isArray(t))) throw new LockfileError(`"${what}" must be an array of tables`, 1);
  return v as TomlTable[];
}

function str(t: TomlTable, key: string): string | undefined {
  const v = t[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * poetry.lock: `[[package]]` with name and version; packages from git, local paths or URLs
 * (`[package.source]` of those types) are not PyPI releases and are skipped.
 */
export function parsePoetryLock(input: string): Package[] {
  const doc = parseToml(stripBom(input));
  if (typeof doc.root.metadata !== 'object') throw new LockfileError('missing [metadata] table', 1);
  const out: Package[] = [];
  for (const p of tables(doc.root.package, 'package')) {
    const line = doc.lineOf(p) ?? 1;
    const name = str(p, 'name');
    const version = str(p, 'version');
    if (!name || !version) throw new LockfileError('[[package]] needs name and version', line);
    const source = p.source as TomlTable | undefined;
    const type = source && typeof source === 'object' ? str(source, 'type') : undefined;
    if (type && type !== 'legacy') continue;
    const dev = p.category === 'dev' || (Array.isArray(p.groups) && p.groups.length > 0 && !p.groups.includes('main'));
    out.push({ ecosystem: 'PyPI', name, version, line, column: 1, ...(dev && { dev: true }) });
  }
  return out;
}

/** uv.lock: `[[package]]` entries; only those with a `registry` source are index releases. */
export function parseUvLock(input: string): Package[] {
  const doc = parseToml(stripBom(input));
  if (typeof doc.root.version !== 'number') throw new LockfileError('missing lockfile "version"', 1);
  const out: Package[] = [];
  for (const p of tables(doc.root.package, 'package')) {
    const line = doc.lineOf(p) ?? 1;
    const name = str(p, 'name');
    if (!name) throw new LockfileError('[[package]] needs a name', line);
    const source = p.source;
    const version = str(p, 'version');
    if (!source || typeof source !== 'object' || Array.isArray(source) || !('registry' in source) || !version) continue;
    out.push({ ecosystem: 'PyPI', name, version, line, column: 1 });
  }
  return out;
}

/** Cargo.lock (versions 1 to 4): `[[package]]`; crates without a registry source are the workspace's own or from git. */
export function parseCargoLock(input: string): Package[] {
  const doc = parseToml(stripBom(input));
  const out: Package[] = [];
  for (const p of tables(doc.root.package, 'package')) {
    const line = doc.lineOf(p) ?? 1;
    const name = str(p, 'name');
    const version = str(p, 'version');
    if (!name || !version) throw new LockfileError('[[package]] needs name and version', line);
    const source = str(p, 'source');
    if (!source || !CRATES_IO.test(source)) continue;
    out.push({ ecosystem: 'crates.io', name, version, line, column: 1 });
  }
  return out;
}

/** crates.io's git and sparse indexes; crates from other registries may share a name with an unrelated crates.io crate. */
const CRATES_IO = /^(?:registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index|sparse\+https:\/\/index\.crates\.io\/)$/;
