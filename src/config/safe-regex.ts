/**
 * Guard for user-supplied regexes (secrets `allow` and custom detectors). They run on every
 * line of every scanned file, so one exponential pattern can hang a CI job.
 *
 * This is a heuristic, not a proof: it rejects the shapes that cause exponential backtracking
 * in practice — a repeated group whose body repeats too without anything that separates one
 * iteration from the next (`(a+)+`, `(\w+\s?)*`, `(.*a){10}`), and repeated alternatives that
 * can match the same character (`(a|a)*`, `(.|\s)*`). Polynomial cases (`.*.*=`) pass.
 */

export const MAX_REGEX_LENGTH = 1000;

/** Returns why `src` is not acceptable, or undefined when it is. Compiled without flags. */
export function checkRegexSafety(src: string): string | undefined {
  if (src.length > MAX_REGEX_LENGTH) {
    return `regular expression is ${src.length} characters long; the limit is ${MAX_REGEX_LENGTH}`;
  }
  try {
    new RegExp(src);
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  const alts = new Parser(src).parse();
  return findProblem(alts, src);
}

// ---- a small parser for the subset of structure that matters (non-`u` JS syntax) ----

/** `atom` matches exactly one character; `src` is its regex source. */
type Node =
  | { kind: 'atom'; src: string }
  | { kind: 'group'; alts: Item[][]; zeroWidth: boolean }
  | { kind: 'other' }; // anchors, \b, backreferences: zero or unknown width

interface Item {
  node: Node;
  min: number;
  max: number;
  start: number;
  end: number;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Item[][] {
    return this.alternatives();
  }

  private alternatives(): Item[][] {
    const alts: Item[][] = [[]];
    while (this.i < this.s.length && this.s[this.i] !== ')') {
      const c = this.s[this.i]!;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const current = alts[alts.length - 1]!;
      if (this.quantifier(current)) continue;
      const start = this.i;
      const node = this.atom();
      current.push({ node, min: 1, max: 1, start, end: this.i });
    }
    return alts;
  }

  /** Applies a quantifier at the cursor to the last item; false when there is none. */
  private quantifier(items: Item[]): boolean {
    const s = this.s;
    const c = s[this.i];
    let min: number;
    let max: number;
    let len = 1;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return false; // a literal `{` (allowed without the `u` flag)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      len = m[0].length;
    } else return false;
    const last = items[items.length - 1];
    if (!last) return false;
    this.i += len;
    if (s[this.i] === '?') this.i++; // lazy: same ambiguity, same risk
    last.min = min;
    last.max = max;
    last.end = this.i;
    return true;
  }

  private atom(): Node {
    const s = this.s;
    const c = s[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') {
      let j = this.i + 1;
      if (s[j] === '^') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      const src = s.slice(this.i, j + 1);
      this.i = j + 1;
      return { kind: 'atom', src };
    }
    if (c === '\\') return this.escape();
    this.i++;
    if (c === '^' || c === '$') return { kind: 'other' };
    return { kind: 'atom', src: c === '.' ? '.' : c };
  }

  private group(): Node {
    const s = this.s;
    this.i++; // (
    let zeroWidth = false;
    if (s.startsWith('?:', this.i)) this.i += 2;
    else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) [zeroWidth, this.i] = [true, this.i + 2];
    else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) [zeroWidth, this.i] = [true, this.i + 3];
    else if (s.startsWith('?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
    const alts = this.alternatives();
    this.i++; // )
    return { kind: 'group', alts, zeroWidth };
  }

  private escape(): Node {
    const s = this.s;
    const start = this.i;
    const d = s[this.i + 1] ?? '';
    this.i += 2;
    if (/[1-9]/.test(d)) {
      while (/\d/.test(s[this.i] ?? '')) this.i++;
      return { kind: 'other' }; // backreference
    }
    if (d === 'b' || d === 'B') return { kind: 'other' };
    if (d === 'k' && s[this.i] === '<' && s.indexOf('>', this.i) > 0) {
      this.i = s.indexOf('>', this.i) + 1;
      return { kind: 'other' };
    }
    if (d === 'c' && /[A-Za-z]/.test(s[this.i] ?? '')) this.i++;
    else if (d === 'x' && /^[0-9A-Fa-f]{2}/.test(s.slice(this.i))) this.i += 2;
    else if (d === 'u' && /^[0-9A-Fa-f]{4}/.test(s.slice(this.i))) this.i += 4;
    return { kind: 'atom', src: s.slice(start, this.i) };
  }
}

// ---- analysis ----

/** Bound on how many sequences flattening may produce, so analysis stays linear-ish. */
const MAX_SEQUENCES = 64;

function findProblem(alts: Item[][], src: string): string | undefined {
  for (const alt of alts) {
    for (const item of alt) {
      const problem = checkItem(item, src);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkItem(item: Item, src: string): string | undefined {
  const node = item.node;
  if (node.kind !== 'group') return undefined;
  const snippet = src.slice(item.start, item.end);
  // Even `(a+){2}` is cubic when a scan retries it at every offset, so any repetition counts.
  if (!node.zeroWidth && item.max > 1) {
    const sequences = node.alts.flatMap((alt) => flatten(alt));
    for (const seq of sequences) {
      for (const x of seq) {
        if (repeats(x) && !separated(x, seq)) {
          return (
            `nested quantifier in \`${snippet}\` (at offset ${item.start}) can backtrack catastrophically; ` +
            'make sure something that the inner repetition cannot match separates one iteration from the next'
          );
        }
      }
    }
    if (overlappingAlternatives(node.alts, src)) {
      return (
        `repeated alternatives in \`${snippet}\` (at offset ${item.start}) can match the same text and backtrack ` +
        'catastrophically; make the alternatives mutually exclusive'
      );
    }
  }
  return findProblem(node.alts, src);
}

/** Inlines groups that occur exactly once, distributing their alternatives. */
function flatten(seq: Item[]): Item[][] {
  let out: Item[][] = [[]];
  for (const item of seq) {
    const n = item.node;
    if (n.kind === 'group' && !n.zeroWidth && item.min === 1 && item.max === 1) {
      const inner = n.alts.flatMap((a) => flatten(a));
      if (out.length * inner.length <= MAX_SEQUENCES) {
        out = out.flatMap((prefix) => inner.map((tail) => [...prefix, ...tail]));
        continue;
      }
    }
    for (const prefix of out) prefix.push(item);
  }
  return out;
}

function repeats(item: Item): boolean {
  if (item.max > 1 && item.max > item.min) return true;
  return item.node.kind === 'group' && item.node.alts.some((a) => a.some(repeats));
}

function canBeEmpty(item: Item): boolean {
  if (item.min === 0) return true;
  const n = item.node;
  if (n.kind === 'atom') return false;
  if (n.kind === 'other') return true;
  return n.zeroWidth || n.alts.some((a) => a.every(canBeEmpty));
}

function atomsOf(item: Item): string[] {
  const n = item.node;
  if (n.kind === 'atom') return [n.src];
  if (n.kind === 'other') return [];
  return n.alts.flatMap((a) => a.flatMap(atomsOf));
}

/** Some mandatory item in the sequence matches none of the characters `x` can repeat. */
function separated(x: Item, seq: Item[]): boolean {
  const xs = atomsOf(x);
  return seq.some((y) => {
    if (y === x || canBeEmpty(y)) return false;
    const ys = atomsOf(y);
    return ys.length > 0 && !ys.some((a) => xs.some((b) => overlaps(a, b)));
  });
}

function overlappingAlternatives(alts: Item[][], src: string): boolean {
  const texts = alts.map((a) => a.map((i) => src.slice(i.start, i.end)).join(''));
  if (new Set(texts).size < texts.length) return true;
  const single = alts
    .filter((a) => a.length === 1 && a[0]!.node.kind === 'atom' && a[0]!.min === 1 && a[0]!.max === 1)
    .map((a) => (a[0]!.node as { src: string }).src);
  for (let i = 0; i < single.length; i++) {
    for (let j = i + 1; j < single.length; j++) if (overlaps(single[i]!, single[j]!)) return true;
  }
  return false;
}

// Two one-character matchers overlap when some character satisfies both. Asking the regex
// engine about a probe set avoids re-implementing class semantics (ranges, \w, negation).
const PROBES: string[] = (() => {
  const chars: string[] = [];
  for (let c = 0; c < 0x180; c++) chars.push(String.fromCharCode(c));
  return chars.concat(['\u00a0', '\u2028', '\u3000', '\ufeff', '\u4e2d', '\ud83d', '\uffff']);
})();
const matchSets = new Map<string, Set<number>>();

function matchSet(atom: string): Set<number> {
  let set = matchSets.get(atom);
  if (!set) {
    set = new Set();
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^(?:${atom})$`);
    } catch {
      re = undefined; // unparseable in isolation: treat as matching nothing we know of
    }
    if (re) PROBES.forEach((p, i) => re.test(p) && set!.add(i));
    matchSets.set(atom, set);
  }
  return set;
}

function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const sb = matchSet(b);
  for (const i of matchSet(a)) if (sb.has(i)) return true;
  return false;
}
