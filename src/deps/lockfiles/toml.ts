import { LineIndex } from './text.js';

/**
 * A strict TOML 1.0 reader that remembers where each table starts. Cargo.lock, poetry.lock and
 * uv.lock are TOML; the TOML libraries on npm return plain objects without positions, and every
 * package must be reported at the line of its `[[package]]` entry. Date-times are kept as their
 * text (no lockfile field the scanner reads is one). Errors carry line and column.
 */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export interface TomlDocument {
  root: TomlTable;
  /** 1-based line of a table's header (`[x]`, `[[x]]`) or of an inline table's `{`. */
  lineOf(table: TomlTable): number | undefined;
}

const BARE_KEY = /[A-Za-z0-9_-]/;

export function parseToml(text: string, lines = new LineIndex(text)): TomlDocument {
  return new TomlParser(text, lines).parse();
}

class TomlParser {
  private i = 0;
  private readonly root: TomlTable = {};
  private readonly lineOfTable = new WeakMap<TomlTable, number>();
  /** Tables defined by a header or dotted keys (may not be redefined), and frozen inline values. */
  private readonly defined = new WeakSet<object>();
  private readonly inline = new WeakSet<object>();
  private readonly arrayTables = new WeakSet<object>();

  constructor(
    private readonly s: string,
    private readonly lines: LineIndex,
  ) {}

  parse(): TomlDocument {
    let current = this.root;
    while (this.i < this.s.length) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.s.length) break;
      const c = this.s[this.i];
      if (c === '[') current = this.header();
      else this.keyValue(current);
      this.endOfLine();
    }
    return { root: this.root, lineOf: (t) => this.lineOfTable.get(t) };
  }

  private fail(message: string, at = this.i): never {
    throw this.lines.error(`invalid TOML: ${message}`, Math.min(at, this.s.length));
  }

  private header(): TomlTable {
    const start = this.i;
    const isArray = this.s.startsWith('[[', this.i);
    this.i += isArray ? 2 : 1;
    this.skipWs();
    const keys = this.key();
    this.skipWs();
    if (!this.s.startsWith(isArray ? ']]' : ']', this.i)) this.fail(`expected ${isArray ? ']]' : ']'} to close the table header`);
    this.i += isArray ? 2 : 1;
    let table = this.root;
    for (const k of keys.slice(0, -1)) table = this.descend(table, k, start);
    const last = keys[keys.length - 1]!;
    const line = this.lines.line(start);
    if (isArray) {
      let arr = table[last];
      if (arr === undefined) {
        arr = [];
        this.arrayTables.add(arr);
        table[last] = arr;
      } else if (!Array.isArray(arr) || !this.arrayTables.has(arr)) this.fail(`key "${last}" is already defined and is not an array of tables`, start);
      const t: TomlTable = {};
      arr.push(t);
      this.lineOfTable.set(t, line);
      this.defined.add(t);
      return t;
    }
    const existing = table[last];
    if (existing === undefined) {
      const t: TomlTable = {};
      table[last] = t;
      this.lineOfTable.set(t, line);
      this.defined.add(t);
      return t;
    }
    if (!isTable(existing) || this.defined.has(existing) || this.inline.has(existing)) this.fail(`table "${keys.join('.')}" is defined twice`, start);
    this.defined.add(existing);
    this.lineOfTable.set(existing, line);
    return existing;
  }

  /** Walks into a table for a header's or dotted key's prefix, creating implicit tables. */
  private descend(table: TomlTable, k: string, at: number): TomlTable {
    const v = table[k];
    if (v === undefined) {
      const t: TomlTable = {};
      table[k] = t;
      return t;
    }
    if (Array.isArray(v) && this.arrayTables.has(v)) return v[v.length - 1] as TomlTable;
    if (isTable(v) && !this.inline.has(v)) return v;
    return this.fail(`key "${k}" is already defined as a value`, at);
  }

  private keyValue(table: TomlTable): void {
    const start = this.i;
    const keys = this.key();
    this.skipWs();
    if (this.s[this.i] !== '=') this.fail('expected "=" after the key');
    this.i++;
    this.skipWs();
    let t = table;
    for (const k of keys.slice(0, -1)) {
      t = this.descend(t, k, start);
      this.defined.add(t);
    }
    const last = keys[keys.length - 1]!;
    if (Object.hasOwn(t, last)) this.fail(`duplicate key "${keys.join('.')}"`, start);
    t[last] = this.value();
  }

  private key(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.s[this.i];
      if (c === '"') keys.push(this.basicString());
      else if (c === "'") keys.push(this.literalString());
      else {
        const start = this.i;
        while (this.i < this.s.length && BARE_KEY.test(this.s[this.i]!)) this.i++;
        if (this.i === start) this.fail('expected a key');
        keys.push(this.s.slice(start, this.i));
      }
      this.skipWs();
      if (this.s[this.i] !== '.') return keys;
      this.i++;
    }
  }

  private value(): TomlValue {
    const c = this.s[this.i];
    if (c === '"') return this.s.startsWith('"""', this.i) ? this.multilineBasic() : this.basicString();
    if (c === "'") return this.s.startsWith("'''", this.i) ? this.multilineLiteral() : this.literalString();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    if (this.s.startsWith('true', this.i) && !BARE_KEY.test(this.s[this.i + 4] ?? '')) return (this.i += 4), true;
    if (this.s.startsWith('false', this.i) && !BARE_KEY.test(this.s[this.i + 5] ?? '')) return (this.i += 5), false;
    const rest = this.s.slice(this.i, this.i + 80);
    let raw = /^[^\s,\]}#]+/.exec(rest)?.[0] ?? '';
    const time = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}[^\s,\]}#]*)/.exec(rest);
    if (time) raw = time[0];
    if (!raw) this.fail('expected a value');
    return this.scalar(raw);
  }

  private scalar(raw: string): TomlValue {
    const at = this.i;
    this.i += raw.length;
    if (/^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$/.test(raw) || /^\d{2}:\d{2}:\d{2}(?:\.\d+)?$/.test(raw)) return raw;
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)$/.test(raw)) return Number(raw.replaceAll('_', ''));
    if (/^0x[0-9a-fA-F](?:_?[0-9a-fA-F])*$|^0o[0-7](?:_?[0-7])*$|^0b[01](?:_?[01])*$/.test(raw)) return Number(raw.replaceAll('_', ''));
    if (/^[+-]?(?:0|[1-9](?:_?\d)*)(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?$/.test(raw)) return Number(raw.replaceAll('_', ''));
    if (/^[+-]?(?:inf|nan)$/.test(raw)) return raw.endsWith('inf') ? (raw.startsWith('-') ? -Infinity : Infinity) : NaN;
    return this.fail(`invalid value "${raw}"`, at);
  }

  private basicString(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string', start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') out += this.escape();
      else {
        if (c < ' ' && c !== '\t') this.fail('control character in string');
        out += c;
        this.i++;
      }
    }
  }

  private escape(): string {
    const e = this.s[this.i + 1];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
    if (e !== undefined && e in simple) {
      this.i += 2;
      return simple[e]!;
    }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = this.s.slice(this.i + 2, this.i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('invalid unicode escape');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('invalid unicode scalar');
      this.i += 2 + len;
      return String.fromCodePoint(cp);
    }
    return this.fail('invalid escape sequence');
  }

  private literalString(): string {
    const start = this.i;
    const end = this.s.indexOf("'", this.i + 1);
    const nl = this.s.indexOf('\n', this.i + 1);
    if (end === -1 || (nl !== -1 && nl < end)) this.fail('unterminated string', start);
    this.i = end + 1;
    return this.s.slice(start + 1, end);
  }

  private multilineBasic(): string {
    const start = this.i;
    this.i += 3;
    if (this.s[this.i] === '\n') this.i++;
    else if (this.s.startsWith('\r\n', this.i)) this.i += 2;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated multi-line string', start);
      if (this.s.startsWith('"""', this.i)) {
        let q = 3;
        while (q < 5 && this.s[this.i + q] === '"') q++;
        out += '"'.repeat(q - 3);
        this.i += q;
        return out;
      }
      const c = this.s[this.i]!;
      if (c === '\\') {
        const rest = /^\\[ \t]*\r?\n[\s]*/.exec(this.s.slice(this.i, this.i + 256));
        if (rest) this.i += rest[0].length;
        else out += this.escape();
      } else {
        out += c;
        this.i++;
      }
    }
  }

  private multilineLiteral(): string {
    const start = this.i;
    let from = this.i + 3;
    if (this.s[from] === '\n') from++;
    else if (this.s.startsWith('\r\n', from)) from += 2;
    const end = this.s.indexOf("'''", from);
    if (end === -1) this.fail('unterminated multi-line string', start);
    let q = 3;
    while (q < 5 && this.s[end + q] === "'") q++;
    this.i = end + q;
    return this.s.slice(from, end) + "'".repeat(q - 3);
  }

  private array(): TomlValue[] {
    this.i++;
    const out: TomlValue[] = [];
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail('expected "," or "]" in array');
    }
  }

  private inlineTable(): TomlTable {
    const t: TomlTable = {};
    this.lineOfTable.set(t, this.lines.line(this.i));
    this.i++;
    this.skipWs();
    if (this.s[this.i] === '}') {
      this.i++;
      this.inline.add(t);
      return t;
    }
    for (;;) {
      this.keyValue(t);
      this.skipWs();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') break;
      if (c !== ',') this.fail('expected "," or "}" in inline table', this.i - 1);
      this.skipWs();
    }
    this.inline.add(t);
    return t;
  }

  private skipWs(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  private skipWsCommentsNewlines(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n') this.i++;
      else if (c === '\r' && this.s[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  /** After a header or key/value: only a comment may follow on the line. */
  private endOfLine(): void {
    this.skipWs();
    if (this.s[this.i] === '#') this.skipComment();
    if (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n') this.i += 2;
    else if (this.s[this.i] === '\n') this.i++;
    else if (this.i < this.s.length) this.fail('expected a new line after the value');
  }
}

function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
