import { LockfileError, type Package } from '../model.js';
import { isObject, parseJson } from './json.js';
import { isNpmVersion, splitNameAt } from './npm-names.js';
import { stripBom } from './text.js';

/**
 * bun.lock (Bun 1.2+ text lockfile): JSON with trailing commas. `packages` maps an install path
 * to `["name@version", registry, {dependencies}, integrity]`; workspace, git, file and tarball
 * entries carry other references instead of a version and are skipped.
 */
export function parseBunLock(input: string): Package[] {
  const doc = parseJson(blankTrailingCommas(stripBom(input)));
  const root = doc.value;
  if (!isObject(root)) throw new LockfileError('expected a JSON object', 1);
  if (typeof root.lockfileVersion !== 'number') throw new LockfileError('missing lockfileVersion', 1);
  if (root.packages === undefined) return [];
  if (!isObject(root.packages)) throw doc.lines.error('"packages" is not an object', doc.offsetOf(['packages']) ?? 0);
  const out: Package[] = [];
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(root.packages)) {
    const offset = doc.offsetOf(['packages', key]) ?? doc.offsetOf(['packages']) ?? 0;
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw doc.lines.error(`packages["${key}"] is not ["name@version", ...]`, offset);
    const split = splitNameAt(entry[0]);
    if (!split) throw doc.lines.error(`cannot read the package name from "${entry[0]}"`, offset);
    const [name, version] = split;
    if (!isNpmVersion(version)) continue;
    const id = `${name}@${version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const pos = doc.lines.position(offset);
    out.push({ ecosystem: 'npm', name, version, line: pos.line, column: pos.column });
  }
  return out;
}

/**
 * Replaces each trailing comma (before `}` or `]`, outside strings) with a space: the text stays
 * strict JSON for `JSON.parse` and every offset stays where it was, so lines remain exact.
 */
export function blankTrailingCommas(text: string): string {
  const out = text.split('');
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      lastComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === ',') lastComma = i;
    else if (c === '}' || c === ']') {
      if (lastComma !== -1) out[lastComma] = ' ';
      lastComma = -1;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') lastComma = -1;
  }
  return out.join('');
}
