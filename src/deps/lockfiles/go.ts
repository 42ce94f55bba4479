import { LockfileError, type Package } from '../model.js';
import { stripBom } from './text.js';

const DIRECTIVES = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore']);
const MODULE_VERSION = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

interface Line {
  n: number;
  words: string[];
  comment: string;
}

/** go.mod tokens: words and quoted strings, with the `//` comment kept (it carries `indirect`). */
function tokenize(raw: string, n: number): Line {
  const words: string[] = [];
  let i = 0;
  let comment = '';
  while (i < raw.length) {
    const c = raw[i]!;
    if (/\s/.test(c)) i++;
    else if (raw.startsWith('//', i)) {
      comment = raw.slice(i + 2).trim();
      break;
    } else if (c === '"' || c === '`') {
      let end = i + 1;
      while (end < raw.length && raw[end] !== c) end += c === '"' && raw[end] === '\\' ? 2 : 1;
      if (end >= raw.length) throw new LockfileError('unterminated string', n, i + 1);
      let word = raw.slice(i + 1, end);
      if (c === '"') {
        try {
          word = JSON.parse(raw.slice(i, end + 1)) as string;
        } catch {
          throw new LockfileError('invalid quoted string', n, i + 1);
        }
      }
      words.push(word);
      i = end + 1;
    } else if (c === '(' || c === ')' || (c === '=' && raw[i + 1] === '>')) {
      words.push(c === '=' ? '=>' : c);
      i += c === '=' ? 2 : 1;
    } else {
      const m = /^[^\s"`()]+/.exec(raw.slice(i))!;
      let w = m[0];
      const arrow = w.indexOf('=>');
      if (arrow > 0) w = w.slice(0, arrow);
      words.push(w);
      i += w.length;
    }
  }
  return { n, words, comment };
}

/**
 * go.mod: the `require`d module versions (direct, and since Go 1.17 every indirect one the build
 * needs), after `replace` directives: a module replaced by a local folder is not downloaded and
 * is skipped; one replaced by another module version is reported as that module.
 */
export function parseGoMod(input: string): Package[] {
  const rows = stripBom(input).split('\n').map((l, i) => tokenize(l.replace(/\r$/, ''), i + 1));
  const requires: Array<{ path: string; version: string; line: number; indirect: boolean }> = [];
  const replaces = new Map<string, { path: string; version?: string }>();
  let block: string | undefined;
  let sawModule = false;
  for (const row of rows) {
    if (row.words.length === 0) continue;
    let words = row.words;
    if (block) {
      if (words[0] === ')') {
        if (words.length > 1) throw new LockfileError('unexpected text after ")"', row.n);
        block = undefined;
        continue;
      }
    } else {
      const d = words[0]!;
      if (!DIRECTIVES.has(d)) throw new LockfileError(`unknown directive "${d}"`, row.n);
      if (words[1] === '(') {
        if (words.length > 2) throw new LockfileError('unexpected text after "("', row.n);
        block = d;
        continue;
      }
      words = words.slice(1);
      if (d === 'module') sawModule = true;
      if (d !== 'require' && d !== 'replace') continue;
      handle(d, words, row);
      continue;
    }
    handle(block, words, row);
  }
  if (block) throw new LockfileError(`"${block} (" block is never closed`, rows.length);
  if (!sawModule) throw new LockfileError('missing module directive', 1);

  function handle(d: string, words: string[], row: Line): void {
    if (d === 'require') {
      if (words.length !== 2) throw new LockfileError('require needs a module path and a version', row.n);
      if (!MODULE_VERSION.test(words[1]!)) throw new LockfileError(`invalid module version "${words[1]}"`, row.n);
      requires.push({ path: words[0]!, version: words[1]!, line: row.n, indirect: /(^|;)\s*indirect\b/.test(row.comment) });
    } else if (d === 'replace') {
      const arrow = words.indexOf('=>');
      if (arrow < 1 || arrow > 2 || words.length - arrow - 1 < 1 || words.length - arrow - 1 > 2) throw new LockfileError('malformed replace directive', row.n);
      const from = arrow === 2 ? `${words[0]}@${words[1]}` : words[0]!;
      const to = words.slice(arrow + 1);
      replaces.set(from, { path: to[0]!, version: to[1] });
    }
  }

  const out: Package[] = [];
  for (const r of requires) {
    const rep = replaces.get(`${r.path}@${r.version}`) ?? replaces.get(r.path);
    let path = r.path;
    let version = r.version;
    if (rep) {
      if (rep.version === undefined) continue; // a local folder: not a module download
      path = rep.path;
      version = rep.version;
    }
    out.push({ ecosystem: 'Go', name: path, version, line: r.line, column: 1, direct: !r.indirect });
  }
  return out;
}

/**
 * go.sum: `module version[/go.mod] h1:hash` lines. It lists every version the module graph
 * touched, including ones the build never uses, so the scanner reports go.mod's versions when
 * go.mod is present and uses go.sum only on its own; the file is still checked line by line.
 */
export function parseGoSum(input: string): Package[] {
  const out: Package[] = [];
  const seen = new Set<string>();
  stripBom(input).split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const m = /^(\S+) (v\S+?)(\/go\.mod)? (h\d+:[A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || !MODULE_VERSION.test(m[2]!)) throw new LockfileError('expected "module version h1:hash"', i + 1);
    if (m[3]) return;
    const id = `${m[1]}@${m[2]}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ ecosystem: 'Go', name: m[1]!, version: m[2]!, line: i + 1, column: 1 });
  });
  return out;
}
