import { LockfileError, type Package } from '../model.js';
import { isObject, parseJson, type JsonDocument } from './json.js';
import { stripBom } from './text.js';

function open(input: string): { doc: JsonDocument; root: Record<string, unknown> } {
  const doc = parseJson(stripBom(input));
  if (!isObject(doc.value)) throw new LockfileError('expected a JSON object', 1);
  return { doc, root: doc.value };
}

function positionAt(doc: JsonDocument, path: Array<string | number>): { line: number; column: number } {
  return doc.lines.position(doc.offsetOf(path) ?? 0);
}

/** Pipfile.lock: `default` and `develop` map names to `{"version": "==1.2.3", "hashes": [...]}`. */
export function parsePipfileLock(input: string): Package[] {
  const { doc, root } = open(input);
  if (!isObject(root._meta)) throw new LockfileError('missing "_meta"', 1);
  const out: Package[] = [];
  for (const section of ['default', 'develop'] as const) {
    const deps = root[section];
    if (deps === undefined) continue;
    if (!isObject(deps)) throw doc.lines.error(`"${section}" is not an object`, doc.offsetOf([section]) ?? 0);
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry)) throw doc.lines.error(`${section}["${name}"] is not an object`, doc.offsetOf([section]) ?? 0);
      const v = entry.version;
      if (v === undefined) continue; // git, path or editable requirement
      if (typeof v !== 'string' || !/^===?[^=<>!~*,\s]+$/.test(v)) throw doc.lines.error(`${section}["${name}"].version is not an exact "==" pin`, doc.offsetOf([section, name]) ?? 0);
      const pos = positionAt(doc, [section, name]);
      out.push({ ecosystem: 'PyPI', name, version: v.replace(/^===?/, ''), ...pos, ...(section === 'develop' && { dev: true }) });
    }
  }
  return out;
}

/** composer.lock: `packages` and `packages-dev` arrays of `{name, version}`; `dev-*` branches are not releases. */
export function parseComposerLock(input: string): Package[] {
  const { doc, root } = open(input);
  if (!Array.isArray(root.packages)) throw new LockfileError('missing "packages" array', 1);
  const out: Package[] = [];
  for (const section of ['packages', 'packages-dev'] as const) {
    const list = root[section];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw doc.lines.error(`"${section}" is not an array`, doc.offsetOf([section]) ?? 0);
    list.forEach((entry, i) => {
      const at = doc.offsetOf([section, i]) ?? 0;
      if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') throw doc.lines.error(`${section}[${i}] needs "name" and "version" strings`, at);
      if (entry.version.startsWith('dev-') || entry.version.endsWith('-dev')) return;
      out.push({ ecosystem: 'Packagist', name: entry.name, version: entry.version, ...doc.lines.position(at), ...(section === 'packages-dev' && { dev: true }) });
    });
  }
  return out;
}

/**
 * NuGet packages.lock.json (version 1 and 2): `dependencies` per target framework. A package
 * present under several frameworks is reported once, at its first entry; project references are skipped.
 */
export function parseNugetLock(input: string): Package[] {
  const { doc, root } = open(input);
  if (root.version !== 1 && root.version !== 2) throw new LockfileError(`unsupported version ${JSON.stringify(root.version)} (expected 1 or 2)`, 1);
  if (!isObject(root.dependencies)) throw new LockfileError('missing "dependencies" object', 1);
  const out: Package[] = [];
  const seen = new Set<string>();
  for (const [framework, deps] of Object.entries(root.dependencies)) {
    if (!isObject(deps)) throw doc.lines.error(`dependencies["${framework}"] is not an object`, doc.offsetOf(['dependencies', framework]) ?? 0);
    for (const [name, entry] of Object.entries(deps)) {
      const path = ['dependencies', framework, name];
      if (!isObject(entry) || typeof entry.type !== 'string') throw doc.lines.error(`${name} needs a "type"`, doc.offsetOf(path) ?? 0);
      if (entry.type === 'Project') continue;
      if (typeof entry.resolved !== 'string') throw doc.lines.error(`${name} has no "resolved" version`, doc.offsetOf(path) ?? 0);
      const id = `${name.toLowerCase()}@${entry.resolved.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ecosystem: 'NuGet', name, version: entry.resolved, ...positionAt(doc, path), ...(entry.type === 'Direct' && { direct: true }) });
    }
  }
  return out;
}
