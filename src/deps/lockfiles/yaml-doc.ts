import { isMap, isScalar, LineCounter, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { LockfileError } from '../model.js';
import { LineIndex } from './text.js';

export interface YamlEntry {
  key: string;
  value: unknown;
  node: Pair;
  offset: number;
}

/** Parses a YAML lockfile strictly (no aliases, unique keys); syntax errors become LockfileErrors. */
export function loadYamlLock(text: string): { root: YAMLMap; lines: LineIndex } {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw lines.error(`invalid YAML: ${e.message.split('\n')[0]}`, e.pos[0]);
  }
  if (!isMap(doc.contents)) throw new LockfileError('expected a YAML mapping at the top level', 1);
  return { root: doc.contents, lines };
}

/** The entries of a mapping value, each with its key's offset. */
export function mapEntries(map: unknown): YamlEntry[] {
  if (!isMap(map)) return [];
  return (map.items as Pair[]).map((node) => ({
    key: isScalar(node.key) ? String(node.key.value) : '',
    value: node.value,
    node,
    offset: isScalar(node.key) ? (node.key.range?.[0] ?? 0) : 0,
  }));
}

export function scalarAt(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const v = map.get(key);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
