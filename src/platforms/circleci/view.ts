import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { YamlView } from '../../yaml/nodes.js';

/** How deep `<<:` merges may chain (a merged map merging another...). */
const MAX_MERGE_DEPTH = 16;

export interface MapPair {
  key: string;
  keyNode: Scalar;
  value: Node | null;
  pair: Pair;
}

/**
 * YamlView plus YAML 1.1 merge keys. The loader parses YAML 1.2 (no merge semantics), but
 * CircleCI's parser honours `<<: *anchor` and `<<: [*a, *b]`, and real configs use them for job
 * defaults. Explicit keys win over merged ones; earlier merge sources win over later ones.
 * Results are memoised per map node, so merge chains and repeated aliases cost nothing extra
 * and an alias bomb built from merges stays linear.
 */
export class MergeView extends YamlView {
  private readonly memo = new WeakMap<YAMLMap, MapPair[]>();
  private readonly aliases = new Map<unknown, Node | null>();

  constructor(doc: Document.Parsed) {
    super(doc);
  }

  /**
   * Alias resolution walks the whole document in the yaml library; a config that reuses a
   * step list through aliases would pay that walk for every use. Each alias node (at most
   * YAML_LIMITS.maxAliases of them) is resolved once.
   */
  override deref(node: unknown): Node | null {
    if (!isAlias(node)) return super.deref(node);
    let hit = this.aliases.get(node);
    if (hit === undefined) {
      hit = super.deref(node);
      this.aliases.set(node, hit);
    }
    return hit;
  }

  override pairs(node: unknown): MapPair[] {
    const m = this.map(node);
    if (!m) return [];
    return this.merged(m, 0, new Set());
  }

  // YamlView looks keys up in the map's own items; here merged keys count too.
  override get(node: unknown, key: string): Node | null {
    for (const p of this.pairs(node)) if (p.key === key) return p.value;
    return null;
  }

  override getPair(node: unknown, key: string): MapPair | undefined {
    for (const p of this.pairs(node)) if (p.key === key) return p;
    return undefined;
  }

  private merged(m: YAMLMap, depth: number, active: Set<YAMLMap>): MapPair[] {
    const cached = this.memo.get(m);
    if (cached) return cached;
    if (active.has(m) || depth > MAX_MERGE_DEPTH) return [];
    active.add(m);
    const own: MapPair[] = [];
    const sources: YAMLMap[] = [];
    for (const pair of m.items) {
      const keyNode = this.scalar(pair.key);
      if (!keyNode || keyNode.value === null || keyNode.value === undefined) continue;
      const key = String(keyNode.value);
      if (key === '<<' && keyNode.type === 'PLAIN') {
        const v = this.deref(pair.value);
        if (isMap(v)) sources.push(v);
        else if (isSeq(v)) for (const item of v.items) {
          const s = this.deref(item);
          if (isMap(s)) sources.push(s);
        }
        continue;
      }
      own.push({ key, keyNode, value: this.deref(pair.value), pair });
    }
    const seen = new Set(own.map((p) => p.key));
    const out = [...own];
    for (const s of sources) {
      for (const p of this.merged(s, depth + 1, active)) {
        if (seen.has(p.key)) continue;
        seen.add(p.key);
        out.push(p);
      }
    }
    active.delete(m);
    this.memo.set(m, out);
    return out;
  }

  /** A scalar's text, or undefined. */
  str(node: unknown): string | undefined {
    return this.text(node);
  }

  /** A scalar node, or undefined. */
  sc(node: unknown): Scalar | undefined {
    const n = this.deref(node);
    return isScalar(n) ? n : undefined;
  }

  /** A scalar or a list of scalars, as scalars. */
  scalars(node: unknown): Scalar[] {
    const one = this.sc(node);
    if (one) return one.value === null || one.value === undefined ? [] : [one];
    return this.items(node).filter((n): n is Scalar => isScalar(n));
  }
}
