import { isMap } from 'yaml';
import { LockfileError, type Package } from '../model.js';
import { isNpmVersion } from './npm-names.js';
import { stripBom } from './text.js';
import { loadYamlLock, mapEntries, scalarAt } from './yaml-doc.js';

/**
 * pnpm-lock.yaml, lockfile versions 5.x (`/name/1.0.0_peer`), 6.x (`/name@1.0.0(peer@1)`) and
 * 9.x (`name@1.0.0` under `packages`, peer variants under `snapshots`). Packages resolved from git,
 * tarballs or local folders carry no registry version and are skipped.
 */
export function parsePnpmLock(input: string): Package[] {
  const { root, lines } = loadYamlLock(stripBom(input));
  const version = scalarAt(root, 'lockfileVersion');
  if (version === undefined) throw new LockfileError('missing lockfileVersion', 1);
  const major = Number(/^(\d+)/.exec(version)?.[1]);
  if (!(major >= 5 && major <= 9)) throw new LockfileError(`unsupported lockfileVersion ${version}`, 1);
  const out: Package[] = [];
  const seen = new Set<string>();
  for (const e of mapEntries(root.get('packages'))) {
    if (!isMap(e.value)) throw lines.error(`package "${e.key}" is not a mapping`, e.offset);
    const parsed = major === 5 ? parseV5Key(e.key) : parseKey(e.key);
    if (!parsed) continue;
    const resolution = e.value.get('resolution');
    if (isMap(resolution) && (resolution.get('tarball') !== undefined || resolution.get('type') !== undefined || resolution.get('directory') !== undefined)) {
      // Tarball URLs from a registry still name a registry version, but cannot be told apart from arbitrary URLs.
      if (resolution.get('integrity') === undefined || resolution.get('type') !== undefined) continue;
    }
    const name = scalarAt(e.value, 'name') ?? parsed.name;
    const v = scalarAt(e.value, 'version') ?? parsed.version;
    if (!isNpmVersion(v)) continue;
    const id = `${name}@${v}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const pos = lines.position(e.offset);
    out.push({ ecosystem: 'npm', name, version: v, line: pos.line, column: pos.column, ...(e.value.get('dev') === true && { dev: true }) });
  }
  return out;
}

/** `/@scope/name@1.2.3(peer@1.0.0)` (v6) or `@scope/name@1.2.3(peer@1.0.0)` (v9). */
function parseKey(key: string): { name: string; version: string } | undefined {
  const k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  const base = paren === -1 ? k : k.slice(0, paren);
  const at = base.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: base.slice(0, at), version: base.slice(at + 1) };
}

/** `/@scope/name/1.2.3_peer@1.0.0` (v5). */
function parseV5Key(key: string): { name: string; version: string } | undefined {
  if (!key.startsWith('/')) return undefined;
  const parts = key.slice(1).split('/');
  const scoped = parts[0]!.startsWith('@');
  const nameParts = scoped ? 2 : 1;
  if (parts.length !== nameParts + 1) return undefined;
  const version = parts[nameParts]!.split('_')[0]!;
  return { name: parts.slice(0, nameParts).join('/'), version };
}
