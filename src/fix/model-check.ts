import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Fix } from '../core/finding.js';
import { loadYaml } from '../yaml/load.js';

/**
 * The fix engine's safety net, by meaning rather than by syntax: the fixed file must parse to the
 * same document as before except where the fixes said they would change it. "Still valid YAML"
 * is not enough: `persist-credentials:false` parses (as a string key), and turns `with:` from a
 * mapping into a string.
 *
 * Documents are compared as trees of plain values (mapping keys as text, scalars by their
 * resolved value and type, aliases by name). Each fix declares its intended changes (`Fix.intents`:
 * a node by its start offset in the original text, or a key under a mapping so found, and
 * optionally the value it must hold afterwards); everything else must be unchanged.
 */

type Plain = null | string | number | boolean | bigint | { alias: string } | Plain[] | Map<string, Plain>;

const COMPLEX_KEY = '\0complex-key';

function plain(node: unknown): Plain {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const v = node.value;
    return v === undefined || v === null ? null : typeof v === 'object' ? String(v) : (v as string | number | boolean | bigint);
  }
  if (isAlias(node)) return { alias: node.source };
  if (isSeq(node)) return node.items.map((i) => plain(i));
  if (isMap(node)) {
    const out = new Map<string, Plain>();
    for (const p of node.items) {
      const key = isScalar(p.key) ? String(p.key.value) : p.key === null ? '' : COMPLEX_KEY;
      out.set(key, plain(p.value));
    }
    return out;
  }
  return null;
}

/** Path of every value node by the offset it starts at (the outermost one when several start there). */
function nodePaths(root: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const stack: Array<{ node: unknown; path: string[] }> = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const range = (node as Node | null)?.range;
    if (range && range[1] > range[0] && !out.has(range[0])) out.set(range[0], path);
    if (isMap(node) || isSeq(node)) {
      if (isMap(node)) {
        for (const p of node.items) {
          const key = isScalar(p.key) ? String(p.key.value) : COMPLEX_KEY;
          stack.push({ node: p.value, path: [...path, key] });
        }
      } else node.items.forEach((item, i) => stack.push({ node: item, path: [...path, String(i)] }));
    }
  }
  return out;
}

function show(path: readonly string[]): string {
  return path.length === 0 ? '(the document)' : path.map((p) => (/^[\w-]+$/.test(p) ? p : JSON.stringify(p))).join('.');
}

function showValue(v: Plain | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof Map) return 'a mapping';
  if (Array.isArray(v)) return 'a sequence';
  if (v !== null && typeof v === 'object') return `alias *${v.alias}`;
  return v === null ? 'null' : `${typeof v} ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)}`;
}

function equal(a: Plain | undefined, b: Plain | undefined): boolean {
  return firstDifference(a, b, [], () => false) === undefined;
}

/** The first path where a and b differ, skipping subtrees `skip` accepts. */
function firstDifference(a: Plain | undefined, b: Plain | undefined, path: string[], skip: (path: string[]) => boolean): string[] | undefined {
  if (skip(path)) return undefined;
  if (a instanceof Map && b instanceof Map) {
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const d = firstDifference(a.get(k), b.get(k), [...path, k], skip);
      if (d) return d;
    }
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], [...path, String(i)], skip);
      if (d) return d;
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !(a instanceof Map) && !(b instanceof Map) && !Array.isArray(a) && !Array.isArray(b)) {
    return a.alias === b.alias ? undefined : path;
  }
  return a === b && typeof a === typeof b ? undefined : path;
}

function at(root: Plain, path: readonly string[]): Plain | undefined {
  let cur: Plain | undefined = root;
  for (const k of path) {
    if (cur instanceof Map) cur = cur.get(k);
    else if (Array.isArray(cur)) cur = cur[Number(k)];
    else return undefined;
  }
  return cur;
}

function toPlain(v: unknown): Plain {
  if (v instanceof Map || Array.isArray(v) || v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v)) return v as Plain;
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toPlain(x)]));
  return null;
}

/**
 * Why the fixed text is refused, or undefined when it changes only what the fixes intended.
 * `before` must parse (a file that did not parse is not checked here).
 */
export function unintendedChange(file: string, before: string, after: string, fixes: readonly Fix[]): string | undefined {
  const a = loadYaml(file, before);
  if (!a.doc || a.problems.length > 0) return undefined;
  const b = loadYaml(file, after);
  if (!b.doc || b.problems.length > 0) return `the fixed file would not parse (${b.problems[0]?.message ?? 'no document'})`;
  const paths = nodePaths(a.doc.contents);
  const allowed: Array<{ path: string[]; value?: Plain }> = [];
  for (const fix of fixes) {
    if (!fix.intents || fix.intents.length === 0) return `it declares no intended change`;
    for (const i of fix.intents) {
      const base = paths.get(i.at);
      if (!base) return `its intended change names no node at offset ${i.at}`;
      allowed.push({ path: i.key === undefined ? base : [...base, i.key], ...(i.value !== undefined && { value: toPlain(i.value) }) });
    }
  }
  const pa = plain(a.doc.contents);
  const pb = plain(b.doc.contents);
  const key = (p: readonly string[]): string => p.join('\0');
  const skipped = new Set(allowed.map((x) => key(x.path)));
  const diff = firstDifference(pa, pb, [], (p) => skipped.has(key(p)));
  if (diff) {
    return `it would change ${show(diff)} from ${showValue(at(pa, diff))} to ${showValue(at(pb, diff))}, outside what the fix may change (${[...new Set(allowed.map((x) => show(x.path)))].join(', ')})`;
  }
  for (const x of allowed) {
    if (x.value === undefined) continue;
    const got = at(pb, x.path);
    if (!equal(got, x.value)) return `it would leave ${show(x.path)} as ${showValue(got)} instead of ${showValue(x.value)}`;
  }
  return undefined;
}
