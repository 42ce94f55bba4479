import { LockfileError, type Package } from '../model.js';
import { isObject, parseJson, type JsonDocument } from './json.js';
import { isNpmVersion } from './npm-names.js';
import { stripBom } from './text.js';

/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 to 3. v2 and v3 describe the
 * installed tree under `packages` (keys are `node_modules/...` paths); v1 nests `dependencies`.
 * Workspace members and links are the project's own code, not packages from the registry; entries
 * whose version is a git, file or tarball reference cannot be matched against advisories and are skipped.
 */
export function parseNpmLock(input: string): Package[] {
  const doc = parseJson(stripBom(input));
  const root = doc.value;
  if (!isObject(root)) throw new LockfileError('expected a JSON object', 1);
  const v = root.lockfileVersion;
  if (v !== 1 && v !== 2 && v !== 3) throw at(doc, [], `unsupported lockfileVersion ${JSON.stringify(v)} (expected 1, 2 or 3)`);
  if (v === 1 || !isObject(root.packages)) {
    if (v === 3) throw at(doc, [], 'lockfileVersion 3 requires a "packages" object');
    return v1(doc, root);
  }
  return v2(doc, root.packages);
}

function at(doc: JsonDocument, path: Array<string | number>, message: string): LockfileError {
  return doc.lines.error(message, doc.offsetOf(path) ?? 0);
}

function v2(doc: JsonDocument, packages: Record<string, unknown>): Package[] {
  const out: Package[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    if (!isObject(entry)) throw at(doc, ['packages'], `packages["${key}"] is not an object`);
    if (key === '' || entry.link === true) continue;
    const i = key.lastIndexOf('node_modules/');
    if (i === -1) continue; // a workspace member's own folder
    const version = entry.version;
    if (version === undefined) continue; // optional dependency not installed on this platform
    if (typeof version !== 'string') throw at(doc, ['packages', key], `packages["${key}"].version is not a string`);
    const name = typeof entry.name === 'string' ? entry.name : key.slice(i + 'node_modules/'.length);
    if (!isNpmVersion(version)) continue;
    const pos = doc.lines.position(doc.offsetOf(['packages', key]) ?? 0);
    out.push({
      ecosystem: 'npm',
      name,
      version,
      line: pos.line,
      column: pos.column,
      ...(entry.dev === true && { dev: true }),
    });
  }
  return out;
}

function v1(doc: JsonDocument, root: Record<string, unknown>): Package[] {
  const out: Package[] = [];
  const walk = (deps: unknown, path: string[], depth: number): void => {
    if (deps === undefined) return;
    if (!isObject(deps)) throw at(doc, path.slice(0, -1), `"${path.join('.')}" is not an object`);
    if (depth > 200) throw at(doc, path, 'dependencies nested deeper than 200 levels');
    for (const [name, entry] of Object.entries(deps)) {
      const here = [...path, name];
      if (!isObject(entry)) throw at(doc, path, `dependency "${name}" is not an object`);
      let version = entry.version;
      if (typeof version !== 'string') throw at(doc, here, `dependency "${name}" has no version`);
      let realName = name;
      // Aliases (`"alias": {"version": "npm:real@1.2.3"}`) install the real package.
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
      if (alias) {
        realName = alias[1]!;
        version = alias[2]!;
      }
      if (isNpmVersion(version as string)) {
        const pos = doc.lines.position(doc.offsetOf(here) ?? 0);
        out.push({ ecosystem: 'npm', name: realName, version: version as string, line: pos.line, column: pos.column, ...(entry.dev === true && { dev: true }) });
      }
      walk(entry.dependencies, [...here, 'dependencies'], depth + 1);
    }
  };
  walk(root.dependencies, ['dependencies'], 0);
  return out;
}
