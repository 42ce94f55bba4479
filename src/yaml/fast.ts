import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type ParsedNode } from 'yaml';

/**
 * A fast path for the plain block YAML that CI files are made of (issue 9: `yaml`'s lexer, CST
 * parser and composer cost ~0.4 ms of CPU per 1.8 KB workflow, 30% of an audit). It builds the
 * same `yaml` node objects, with the same values, styles and ranges, that `parseDocument` would,
 * but only for a conservative subset:
 *   block maps and sequences (spaces only), one-line plain / single-quoted / double-quoted
 *   scalars and keys, literal and folded block scalars (clip or strip chomping, no indentation
 *   indicator, folded ones only without more-indented lines), one-line flow sequences of such
 *   scalars, the empty flow map `{}`, trailing `# comments` on content lines (also after a
 *   `key:` whose value is a nested block), and comment lines
 *   where `yaml` keeps them out of every node's range (see peekLine, seq, map, emptyOrNested).
 * Anything else (anchors, aliases, tags, directives, several documents, non-empty flow maps,
 * multi-line plain or quoted scalars, tabs, CR, odd escapes, comment lines that `yaml` would
 * fold into a node's range, anything that `yaml` would report as an error) makes it return
 * undefined, and the caller parses with
 * `yaml` as before. So the fast path never decides what is valid YAML: it only declines.
 * The equality of both paths is checked node by node in fast.test.ts over generated documents.
 */

/** What the fast path builds; every node gets its range. */
type Built = Scalar | YAMLMap<Built, Built> | YAMLSeq<Built>;

/** `yaml` rejects an implicit key whose `:` is more than 1024 characters after its start. */
const MAX_KEY = 1000;

/** Thrown (never escapes this module) when the text leaves the supported subset. */
const DECLINE = new Error('yaml fast path declined');

// Characters that, at the start of a plain scalar, mean something else (or an error) in YAML.
// `-` is not here: a `- ` item is recognised before any scalar, and `-x` is a plain scalar.
const BAD_PLAIN_START = new Set(['?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
// Whole-text pre-check: tabs, CR, control characters, BOM and non-ASCII line breaks leave the subset.
const BAD_CHARS = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\ufeff\u2028\u2029]/;

interface CoreTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve: (value: string, onError: (msg: string) => void, options: Record<string, unknown>) => unknown;
}

/**
 * The YAML 1.2 core schema's implicit tags (null, bool, int, float) as `yaml` defines them, tried
 * in its order; a plain scalar none of them matches is a string. Their tests, as of yaml 2.x:
 * the first character of a match is always one of PLAIN_NON_STRING_START, so a scalar starting
 * with anything else is a string without running them. If a future `yaml` changes a test, the
 * shortcut turns itself off (every scalar is then tested) rather than guess.
 */
const CORE_TESTS = new Set([
  '^(?:~|[Nn]ull|NULL)?$',
  '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$',
  '^0o[0-7]+$',
  '^[-+]?[0-9]+$',
  '^0x[0-9a-fA-F]+$',
  '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
]);
const PLAIN_NON_STRING_START = '~nNtTfF0123456789+-.';
/** 1 for an ASCII code that can start a non-string plain scalar (index 0: the empty scalar). */
const NON_STRING_START = new Uint8Array(128);

let proto: { schema: Document['schema']; tags: CoreTag[] } | undefined;
function coreSchema(): { schema: Document['schema']; tags: CoreTag[] } {
  if (!proto) {
    const doc = new Document(undefined, { version: '1.2' });
    const tags = (doc.schema as unknown as { tags: CoreTag[] }).tags.filter((t) => t.default === true && t.test);
    const known = tags.every((t) => CORE_TESTS.has(t.test!.source) && !t.test!.flags.includes('i'));
    if (known) {
      NON_STRING_START[0] = 1;
      for (const c of PLAIN_NON_STRING_START) NON_STRING_START[c.charCodeAt(0)] = 1;
    } else {
      NON_STRING_START.fill(1);
    }
    proto = { schema: doc.schema, tags };
  }
  return proto;
}

/** Whether the first-character shortcut for plain scalars is on (the core tags are the known ones). */
export function plainShortcutEnabled(): boolean {
  coreSchema();
  return NON_STRING_START[0x61 /* a */] === 0;
}

const RESOLVE_OPTIONS = { intAsBigInt: false };
const onTagError = (): void => {
  throw DECLINE;
};

class FastParser {
  private readonly text: string;
  private readonly len: number;
  private readonly tags: CoreTag[];
  private readonly schema: Document['schema'];
  /** Offset of the current line's first character. */
  private pos = 0;
  /** Set by skipBlankLines. */
  private commentIndent = -1;
  /** Start of the last content line that comment lines came right before (-1: none yet). */
  private afterComments = -1;
  /** Where skipBlankLines last stopped. */
  private skippedTo = -1;

  constructor(text: string) {
    this.text = text;
    this.len = text.length;
    const core = coreSchema();
    this.tags = core.tags;
    this.schema = core.schema;
  }

  parse(): Built {
    // Leading blank and comment lines belong to the document, not the root node.
    this.skipBlankLines();
    if (this.pos >= this.len) throw DECLINE;
    const { indent, at } = this.lineIndent(this.pos);
    if (indent !== 0) throw DECLINE;
    const root = this.block(at, indent, -1);
    if (this.peekLine().indent !== -1) throw DECLINE;
    return root;
  }

  /**
   * Moves `pos` over blank and comment lines; leaves it at a content line's start or the end.
   * `commentIndent` is the deepest indentation of a comment line passed over (-1 for none).
   */
  private skipBlankLines(): void {
    // Called again at the same content line: keep what the first call saw.
    if (this.pos === this.skippedTo) return;
    const t = this.text;
    this.commentIndent = -1;
    while (this.pos < this.len) {
      let j = this.pos;
      while (t.charCodeAt(j) === 0x20) j++;
      if (j >= this.len) {
        this.pos = this.len;
        return;
      }
      const c = t.charCodeAt(j);
      if (c === 0x0a) {
        this.pos = j + 1;
        continue;
      }
      if (c === 0x23 /* # */) {
        if (j - this.pos > this.commentIndent) this.commentIndent = j - this.pos;
        const nl = t.indexOf('\n', j);
        this.pos = nl === -1 ? this.len : nl + 1;
        continue;
      }
      if (this.commentIndent !== -1) this.afterComments = this.pos;
      this.skippedTo = this.pos;
      return;
    }
    this.skippedTo = this.pos;
  }

  private lineIndent(lineStart: number): { indent: number; at: number } {
    let j = lineStart;
    while (this.text.charCodeAt(j) === 0x20) j++;
    return { indent: j - lineStart, at: j };
  }

  /**
   * Next content line after `pos` (blank and comment lines skipped): its indent and first
   * character, or indent -1 at the end.
   * Comment lines: `yaml` gives one that is deeper than the next content line (or, at the end,
   * than column 0) to the node before it, whose range then ends after it; so those decline, and
   * a comment as deep as the next line or shallower changes no range.
   */
  private peekLine(): { indent: number; at: number } {
    this.skipBlankLines();
    if (this.pos >= this.len) {
      if (this.commentIndent > 0) throw DECLINE;
      return { indent: -1, at: this.len };
    }
    const next = this.lineIndent(this.pos);
    if (this.commentIndent > next.indent) throw DECLINE;
    return next;
  }

  /** A block node starting at `at` (column `col`), as the value of something indented `parentIndent`. */
  private block(at: number, col: number, parentIndent: number): Built {
    if (col <= parentIndent && !(col === parentIndent && this.isSeqItem(at))) throw DECLINE;
    if (this.isSeqItem(at)) return this.seq(at, col);
    return this.map(at, col);
  }

  private isSeqItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== 0x2d /* - */) return false;
    const n = this.text.charCodeAt(at + 1);
    return n === 0x20 || n === 0x0a || at + 1 >= this.len;
  }

  private seq(at: number, col: number): YAMLSeq<Built> {
    const seq = new YAMLSeq<Built>(this.schema);
    let end: number;
    let itemAt = at;
    for (;;) {
      // itemAt is a `-` at column col.
      let j = itemAt + 1;
      while (this.text.charCodeAt(j) === 0x20) j++;
      let item: Built;
      if (j >= this.len || this.text.charCodeAt(j) === 0x0a || this.text.charCodeAt(j) === 0x23) {
        item = this.emptyOrNested(j, col, true);
      } else if (this.isSeqItem(j)) {
        throw DECLINE; // `- - x`
      } else if (this.looksLikeKey(j)) {
        item = this.map(j, j - this.lineStartOf(j));
      } else {
        item = this.inlineValue(j, col);
      }
      seq.items.push(item);
      end = item.range![2];
      const next = this.peekLine();
      if (next.indent !== col || !this.isSeqItem(next.at)) {
        // A comment line as deep as this sequence, after its end, ends up inside its range
        // (at the end of the text, comment lines at column 0 are the document's).
        if (next.indent > col || (this.commentIndent >= col && next.indent !== -1)) throw DECLINE;
        break;
      }
      itemAt = next.at;
    }
    seq.range = [at, end, end];
    return seq;
  }

  private lineStartOf(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  /** Whether a map key starts at `at`: a plain or quoted scalar followed by `:` and a space or line end. */
  private looksLikeKey(at: number): boolean {
    const t = this.text;
    const c = t[at]!;
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at);
      return close !== -1 && t.charCodeAt(close) === 0x3a && this.isSpaceOrEol(close + 1);
    }
    if (BAD_PLAIN_START.has(c)) return false;
    return this.keyColon(at) !== -1;
  }

  /**
   * The first `:` followed by a space or the line end on the line from `at`, or -1. Searched
   * on this line only: a file of `- x` lines without colons must stay linear.
   */
  private keyColon(at: number): number {
    const t = this.text;
    for (let k = at; k < this.len; k++) {
      const c = t.charCodeAt(k);
      if (c === 0x0a) return -1;
      if (c === 0x3a && this.isSpaceOrEol(k + 1)) return k;
    }
    return -1;
  }

  private isSpaceOrEol(i: number): boolean {
    if (i >= this.len) return true;
    const c = this.text.charCodeAt(i);
    return c === 0x20 || c === 0x0a;
  }

  private lineEnd(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl === -1 ? this.len : nl;
  }

  /** Offset just after the closing quote of a one-line quoted scalar starting at `at`, or -1. */
  private quotedEnd(at: number): number {
    const t = this.text;
    const q = t[at];
    const nl = this.lineEnd(at);
    for (let i = at + 1; i < nl; i++) {
      const c = t[i];
      if (q === "'" && c === "'") {
        if (t[i + 1] === "'") {
          i++;
          continue;
        }
        return i + 1;
      }
      if (q === '"') {
        if (c === '\\') {
          i++;
          continue;
        }
        if (c === '"') return i + 1;
      }
    }
    return -1;
  }

  /** A block map whose first key starts at `at` (column `col`; on a `- ` item's line for `- key: value`). */
  private map(at: number, col: number): YAMLMap<Built, Built> {
    const map = new YAMLMap<Built, Built>(this.schema);
    let keyAt = at;
    let end: number;
    for (;;) {
      const { key, colon } = this.key(keyAt);
      let j = colon + 1;
      while (this.text.charCodeAt(j) === 0x20) j++;
      let value: Built;
      if (j >= this.len || this.text.charCodeAt(j) === 0x0a || this.text.charCodeAt(j) === 0x23) {
        value = this.emptyOrNested(j, col, false);
      } else {
        if (this.isSeqItem(j)) throw DECLINE; // `key: - x` is an error
        value = this.inlineValue(j, col);
      }
      map.items.push(new Pair(key, value) as Pair<Built, Built>);
      end = value.range![2];
      const next = this.peekLine();
      if (next.indent !== col || this.isSeqItem(next.at)) {
        // A comment line as deep as this map, after its end, ends up inside its range
        // (at the end of the text, comment lines at column 0 are the document's).
        if (next.indent > col || (this.commentIndent >= col && next.indent !== -1)) throw DECLINE;
        break;
      }
      keyAt = next.at;
    }
    map.range = [at, end, end];
    return map;
  }

  private key(at: number): { key: Scalar; colon: number } {
    const t = this.text;
    const c = t[at]!;
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at);
      if (close === -1 || t.charCodeAt(close) !== 0x3a || !this.isSpaceOrEol(close + 1) || close - at > MAX_KEY) throw DECLINE;
      const key = this.quoted(at, close);
      key.range = [at, close, close];
      return { key, colon: close };
    }
    if (BAD_PLAIN_START.has(c)) throw DECLINE;
    const colon = this.keyColon(at);
    if (colon === -1 || colon - at > MAX_KEY) throw DECLINE;
    const raw = t.slice(at, colon);
    if (raw.endsWith(' ') || raw.includes(' #')) throw DECLINE;
    const key = this.plain(raw);
    key.range = [at, colon, colon];
    return { key, colon };
  }

  /** A scalar or flow sequence that starts at `at` on a key's or item's line; `indent` is the owner's. */
  private inlineValue(at: number, indent: number): Built {
    const t = this.text;
    const c = t[at]!;
    if (c === '|' || c === '>') return this.blockScalar(at, indent);
    let node: Built;
    let valueEnd: number;
    if (c === '"' || c === "'") {
      valueEnd = this.quotedEnd(at);
      if (valueEnd === -1) throw DECLINE;
      node = this.quoted(at, valueEnd);
    } else if (c === '[') {
      const seq = this.flowSeq(at);
      node = seq;
      valueEnd = seq.range![1];
    } else if (c === '{') {
      // Only the empty flow map (`permissions: {}`).
      let k = at + 1;
      while (t.charCodeAt(k) === 0x20) k++;
      if (t[k] !== '}') throw DECLINE;
      const map = new YAMLMap<Built, Built>(this.schema);
      map.flow = true;
      node = map;
      valueEnd = k + 1;
    } else {
      if (BAD_PLAIN_START.has(c)) throw DECLINE;
      // The value ends at the line end or at a ` #` comment (searched on this line only).
      let e = at;
      for (let d = t.charCodeAt(e); e < this.len && d !== 0x0a; d = t.charCodeAt(++e)) {
        if (d === 0x23 && t.charCodeAt(e - 1) === 0x20) break;
      }
      while (e > at && t.charCodeAt(e - 1) === 0x20) e--;
      const raw = t.slice(at, e);
      // `a: b: c` is an error; `a: b:` too.
      if (raw.includes(': ') || raw.endsWith(':')) throw DECLINE;
      node = this.plain(raw);
      valueEnd = e;
    }
    const end = this.lineRest(valueEnd);
    node.range = [at, valueEnd, end];
    // A more-indented line after a one-line value continues a plain scalar or is an error.
    const next = this.peekLine();
    if (next.indent > indent) throw DECLINE;
    return node;
  }

  /** After a value: spaces, an optional comment and the line break. Returns the offset after them, and moves `pos` there. */
  private lineRest(i: number): number {
    const t = this.text;
    let j = i;
    while (t.charCodeAt(j) === 0x20) j++;
    if (j < this.len && t.charCodeAt(j) === 0x23) {
      if (j === i) throw DECLINE; // `x#y` right after a quote or bracket
      j = this.lineEnd(j);
    }
    if (j < this.len && t.charCodeAt(j) !== 0x0a) throw DECLINE;
    const end = j < this.len ? j + 1 : j;
    this.pos = end;
    return end;
  }

  /** `key:` / `-` with nothing after it on the line (but maybe a comment): a nested block or null. */
  private emptyOrNested(j: number, indent: number, inSeq: boolean): Built {
    const t = this.text;
    // `key: # comment` before a nested block is fine; on an empty value it moves its range.
    const comment = j < this.len && t.charCodeAt(j) === 0x23;
    const eol = comment ? this.lineEnd(j) : j;
    const commentsBefore = this.afterComments === this.lineStartOf(j);
    this.pos = eol < this.len ? eol + 1 : eol;
    const next = this.peekLine();
    if (next.indent > indent || (!inSeq && next.indent === indent && this.isSeqItem(next.at))) {
      return this.block(next.at, next.indent, indent);
    }
    // Comment lines after an empty value, or before its line, become part of it (and move its range): decline.
    if (comment || this.commentIndent !== -1 || commentsBefore) throw DECLINE;
    const s = new Scalar(null);
    s.source = '';
    s.type = Scalar.PLAIN;
    // The empty node sits after the indicator and its spaces, at the line end.
    s.range = [j, j, j];
    return s;
  }

  private plain(raw: string): Scalar {
    const tags = this.tags;
    // Only strings start with other characters (see PLAIN_NON_STRING_START); skip the regexes.
    const first = raw.length === 0 ? 0 : raw.charCodeAt(0);
    for (let i = NON_STRING_START[first] === 1 || first >= 128 ? 0 : tags.length; i < tags.length; i++) {
      const tag = tags[i]!;
      if (tag.test!.test(raw)) {
        const res = tag.resolve(raw, onTagError, RESOLVE_OPTIONS);
        const s = res instanceof Scalar ? res : new Scalar(res);
        s.source = raw;
        s.type = Scalar.PLAIN;
        if (tag.format) s.format = tag.format;
        return s;
      }
    }
    const s = new Scalar(raw);
    s.source = raw;
    s.type = Scalar.PLAIN;
    return s;
  }

  /** A one-line quoted scalar from `at` to `close` (exclusive, after the closing quote). */
  private quoted(at: number, close: number): Scalar {
    const t = this.text;
    const inner = t.slice(at + 1, close - 1);
    let value: string;
    let type: Scalar.Type;
    if (t[at] === "'") {
      value = inner.includes("''") ? inner.replace(/''/g, "'") : inner;
      type = Scalar.QUOTE_SINGLE;
    } else {
      value = inner.includes('\\') ? unescapeDouble(inner) : inner;
      type = Scalar.QUOTE_DOUBLE;
    }
    const s = new Scalar(value);
    s.source = value;
    s.type = type;
    return s;
  }

  /** A one-line flow sequence of plain or quoted scalars: `[a, 'b', 3]`. */
  private flowSeq(at: number): YAMLSeq<Built> {
    const t = this.text;
    const seq = new YAMLSeq<Built>(this.schema);
    seq.flow = true;
    let i = at + 1;
    while (t.charCodeAt(i) === 0x20) i++;
    if (t[i] === ']') {
      seq.range = [at, i + 1, i + 1];
      return seq;
    }
    for (;;) {
      const c = t[i];
      if (c === undefined || c === '\n') throw DECLINE;
      let node: Scalar;
      let valueEnd: number;
      if (c === '"' || c === "'") {
        valueEnd = this.quotedEnd(i);
        if (valueEnd === -1) throw DECLINE;
        node = this.quoted(i, valueEnd);
      } else {
        if (BAD_PLAIN_START.has(c)) throw DECLINE;
        // `- ` is a block indicator, an error inside brackets.
        if (c === '-' && ' ,]\n'.includes(t[i + 1] ?? '\n')) throw DECLINE;
        let e = i;
        for (;;) {
          const d = t[e];
          if (d === undefined || d === '\n' || d === ',' || d === ']') break;
          if (d === '[' || d === '{' || d === '}' || d === '#' || d === ':') throw DECLINE;
          e++;
        }
        while (e > i && t.charCodeAt(e - 1) === 0x20) e--;
        node = this.plain(t.slice(i, e));
        valueEnd = e;
      }
      let j = valueEnd;
      while (t.charCodeAt(j) === 0x20) j++;
      const sep = t[j];
      if (sep !== ',' && sep !== ']') throw DECLINE;
      node.range = [i, valueEnd, j];
      seq.items.push(node);
      if (sep === ']') {
        seq.range = [at, j + 1, j + 1];
        return seq;
      }
      i = j + 1;
      while (t.charCodeAt(i) === 0x20) i++;
      if (t[i] === ']' || t[i] === ',') throw DECLINE; // trailing or empty entry
    }
  }

  /** `|`, `|-`, `>`, `>-` at `at`; `indent` is the owner's indentation. */
  private blockScalar(at: number, indent: number): Scalar {
    const t = this.text;
    const folded = t[at] === '>';
    let h = at + 1;
    let strip = false;
    if (t[h] === '-') {
      strip = true;
      h++;
    }
    // Explicit indentation, keep chomping or anything else in the header leaves the subset.
    if (h < this.len && t[h] !== ' ' && t[h] !== '\n') throw DECLINE;
    let j = h;
    while (t.charCodeAt(j) === 0x20) j++;
    if (j < this.len && t[j] === '#') {
      if (j === h) throw DECLINE;
      j = this.lineEnd(j);
    }
    if (j >= this.len || t[j] !== '\n') throw DECLINE;
    let line = j + 1;
    // Content indentation: the first non-blank line's, which must be deeper than the owner.
    let contentIndent = -1;
    const lines: string[] = [];
    let lastContentEnd = -1;
    let blanks = 0;
    while (line < this.len) {
      let k = line;
      while (t.charCodeAt(k) === 0x20) k++;
      const nl = this.lineEnd(k);
      const ind = k - line;
      if (k >= nl) {
        // Blank line (only spaces): more spaces than the content indentation would be content.
        if (contentIndent === -1 ? ind > indent + 1 : ind > contentIndent) throw DECLINE;
        blanks++;
        lines.push('');
        if (nl >= this.len) break;
        line = nl + 1;
        continue;
      }
      if (contentIndent === -1) {
        if (ind <= indent) break;
        if (blanks > 0) throw DECLINE; // leading blank lines: keep it simple
        contentIndent = ind;
      } else if (ind < contentIndent) {
        break;
      }
      if (ind > contentIndent && folded) throw DECLINE;
      blanks = 0;
      lines.push(t.slice(line + contentIndent, nl));
      if (nl >= this.len) throw DECLINE; // last line without a line break
      lastContentEnd = nl + 1;
      line = nl + 1;
    }
    if (contentIndent === -1) throw DECLINE;
    // Trailing blank lines are not content; they are not in the range either.
    lines.length -= blanks;
    let value: string;
    if (folded) {
      value = '';
      let pendingBreaks = 0;
      for (let n = 0; n < lines.length; n++) {
        const l = lines[n]!;
        if (l === '') {
          pendingBreaks++;
          continue;
        }
        if (n > 0) value += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
        pendingBreaks = 0;
        value += l;
      }
    } else {
      value = lines.join('\n');
    }
    if (!strip) value += '\n';
    this.pos = lastContentEnd;
    const s = new Scalar(value);
    s.source = value;
    s.type = folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
    s.range = [at, lastContentEnd, lastContentEnd];
    const next = this.peekLine();
    if (next.indent > indent) throw DECLINE;
    return s;
  }
}

function unescapeDouble(inner: string): string {
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = inner[++i];
    switch (e) {
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case '/':
        out += '/';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      default:
        throw DECLINE;
    }
  }
  return out;
}

/**
 * Parses `text` into a document through the fast path, or returns undefined when the text is
 * outside its subset (the caller then uses `yaml`). Never throws.
 */
export function fastParseDocument(text: string): Document.Parsed | undefined {
  if (BAD_CHARS.test(text)) return undefined;
  let root: ParsedNode;
  try {
    root = new FastParser(text).parse() as unknown as ParsedNode;
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
  const doc = new Document(undefined, { version: '1.2' }) as unknown as Document.Parsed;
  doc.contents = root;
  doc.range = [0, root.range[1], text.length];
  return doc;
}
