import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { positionKey, type SourcePosition } from './positions.js';

export type ConfigPath = Array<string | number>;

/** What sits at a path: the value node and, for mapping entries, the key node. */
export interface Located {
  key?: Node;
  /** The value, with aliases resolved. */
  value?: Node;
  /** The value as written (an alias stays an alias), which is where errors should point. */
  site?: Node;
}

function deref(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc);
  return (node ?? undefined) as Node | undefined;
}

/** Finds the nodes at `path`, or the deepest ancestor found (so errors still point nearby). */
export function locate(doc: Document, path: ConfigPath): Located {
  let here: Located = { value: deref(doc, doc.contents), site: doc.contents ?? undefined };
  for (const seg of path) {
    const node = here.value;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return here;
      here = { key: pair.key as Node, value: deref(doc, pair.value), site: (pair.value ?? undefined) as Node | undefined };
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      here = { value: deref(doc, node.items[seg]), site: node.items[seg] as Node };
    } else {
      return here;
    }
  }
  return here;
}

export function positionAt(lc: LineCounter, offset: number): SourcePosition {
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** Position of a node; null scalars (`key:` with no value) have none, so fall back. */
export function nodePosition(lc: LineCounter, node: Node | undefined): SourcePosition | undefined {
  if (!node?.range) return undefined;
  if (isScalar(node) && node.value === null && node.range[0] === node.range[1]) return undefined;
  return positionAt(lc, node.range[0]);
}

/** Records where every mapping key and sequence item was written, keyed by its config path. */
export function collectPositions(doc: Document, lc: LineCounter): Map<string, SourcePosition> {
  const out = new Map<string, SourcePosition>();
  const walk = (node: unknown, path: ConfigPath, depth: number): void => {
    if (depth > 32) return; // aliases can make cycles; configs are shallow anyway
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        const pos = nodePosition(lc, pair.key as Node);
        if (pos) out.set(positionKey(p), pos);
        walk(deref(doc, pair.value), p, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        const pos = nodePosition(lc, item as Node);
        if (pos) out.set(positionKey(p), pos);
        walk(deref(doc, item), p, depth + 1);
      });
    }
  };
  walk(deref(doc, doc.contents), [], 0);
  return out;
}

/** `ignore[2].reason`, `rules.some-rule.severity`. */
export function displayPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || 'the top level';
}
