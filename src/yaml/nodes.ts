import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Read-only accessors over the YAML AST. Aliases are resolved one level at a time (never
 * expanded), so a model built with these cannot blow up on an alias bomb.
 */
export class YamlView {
  constructor(private readonly doc: Document.Parsed) {}

  deref(node: unknown): Node | null {
    let n = node as Node | null | undefined;
    for (let i = 0; i < 32 && n && isAlias(n); i++) n = n.resolve(this.doc) as Node | undefined;
    return n && !isAlias(n) ? n : null;
  }

  map(node: unknown): YAMLMap | undefined {
    const n = this.deref(node);
    return isMap(n) ? n : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const n = this.deref(node);
    return isSeq(n) ? n : undefined;
  }

  scalar(node: unknown): Scalar | undefined {
    const n = this.deref(node);
    return isScalar(n) ? n : undefined;
  }

  /** Scalar value as a string (numbers/booleans stringified); undefined for null or collections. */
  text(node: unknown): string | undefined {
    const s = this.scalar(node);
    if (!s || s.value === null || s.value === undefined) return undefined;
    return typeof s.value === 'string' ? s.value : String(s.value);
  }

  pairs(node: unknown): Array<{ key: string; keyNode: Scalar; value: Node | null; pair: Pair }> {
    const m = this.map(node);
    if (!m) return [];
    const out: Array<{ key: string; keyNode: Scalar; value: Node | null; pair: Pair }> = [];
    for (const pair of m.items) {
      const keyNode = this.scalar(pair.key);
      if (!keyNode || keyNode.value === null || keyNode.value === undefined) continue;
      out.push({ key: String(keyNode.value), keyNode, value: this.deref(pair.value), pair });
    }
    return out;
  }

  // get() and getPair() are the model builders' hottest calls: they look the key up without
  // building the pairs() array first (same first-match order; issue 9 profile). A subclass that
  // overrides pairs() (merge keys: circleci/view.ts) overrides these two as well.
  get(node: unknown, key: string): Node | null {
    const pair = this.findPair(node, key);
    return pair ? this.deref(pair.value) : null;
  }

  getPair(node: unknown, key: string): { keyNode: Scalar; value: Node | null } | undefined {
    const pair = this.findPair(node, key);
    return pair ? { keyNode: this.scalar(pair.key)!, value: this.deref(pair.value) } : undefined;
  }

  private findPair(node: unknown, key: string): Pair | undefined {
    const m = this.map(node);
    if (!m) return undefined;
    for (const pair of m.items) {
      const keyNode = this.scalar(pair.key);
      if (!keyNode || keyNode.value === null || keyNode.value === undefined) continue;
      if (String(keyNode.value) === key) return pair;
    }
    return undefined;
  }

  items(node: unknown): Node[] {
    const s = this.seq(node);
    if (!s) return [];
    const out: Node[] = [];
    for (const item of s.items) {
      const n = this.deref(item);
      if (n) out.push(n);
    }
    return out;
  }
}
