/**
 * What a regular expression lets through, for sanitiser and guard decisions: an anchored
 * allow-list such as /^[\w-]+$/ admits no quote, angle bracket, slash or shell metacharacter, so a
 * value that passed `.test()` is clean for the kinds those characters drive.
 */
import { ALL_KINDS, mask } from './kinds.js';

/** Characters each kind needs to do harm; a regex that admits none of them cleans that kind. */
const DANGER: Array<{ kinds: number; chars: string }> = [
  { kinds: mask(['sql-injection']), chars: `'"\\\`;` },
  { kinds: mask(['xss']), chars: `<>"'\`` },
  { kinds: mask(['command-injection']), chars: ';|&$`\n<>(){}\'" ' },
  { kinds: mask(['code-injection', 'server-side-template-injection']), chars: `'"\`;(){}+` },
  { kinds: mask(['path-traversal']), chars: '/\\.' },
  { kinds: mask(['ssrf', 'open-redirect']), chars: '/\\:@' },
  { kinds: mask(['log-injection']), chars: '\n\r' },
  { kinds: mask(['regex-injection']), chars: '*+?{}()[]|\\' },
  { kinds: mask(['prototype-pollution']), chars: '_' },
  { kinds: mask(['xxe', 'insecure-deserialization']), chars: '<!{' },
];

/**
 * Kinds an anchored regex (^…$, whole-string) cleans when a value matches it. Unanchored
 * patterns clean nothing: /[a-z]+/ matches "a' OR 1=1".
 */
export function regexGuardKinds(source: string): number {
  if (!source.startsWith('^') || !(source.endsWith('$') && !source.endsWith('\\$'))) return 0;
  // Matching only (a subset of) a fixed set of words: an allow-list.
  if (/^\^\(?(?:\?:)?[\w-]+(?:\|[\w-]+)*\)?\$$/.test(source)) return ALL_KINDS;
  const allowed = admittedChars(source.slice(1, -1));
  if (allowed === undefined) return 0;
  let out = 0;
  for (const d of DANGER) if (![...d.chars].some((c) => allowed(c))) out |= d.kinds;
  // Objects never match a string regex, so NoSQL operator injection is excluded too.
  return out | mask(['nosql-injection']);
}

/**
 * A predicate over characters the pattern body can match, or undefined when the pattern uses
 * constructs we do not analyse (then nothing is cleaned).
 */
function admittedChars(body: string): ((c: string) => boolean) | undefined {
  const tests: Array<(c: string) => boolean> = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '[') {
      const end = findClassEnd(body, i);
      if (end < 0) return undefined;
      const cls = classPredicate(body.slice(i + 1, end));
      if (!cls) return undefined;
      tests.push(cls);
      i = end + 1;
    } else if (c === '\\') {
      const e = escapePredicate(body[i + 1] ?? '');
      if (!e) return undefined;
      tests.push(e);
      i += 2;
    } else if (c === '.') {
      return () => true;
    } else if ('()?:|*+'.includes(c)) {
      i++;
    } else if (c === '{') {
      const close = body.indexOf('}', i);
      if (close < 0) return undefined;
      i = close + 1;
    } else {
      tests.push((x) => x === c);
      i++;
    }
  }
  return (ch) => tests.some((t) => t(ch));
}

function findClassEnd(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']' && i > start + 1) return i;
  }
  return -1;
}

function escapePredicate(e: string): ((c: string) => boolean) | undefined {
  switch (e) {
    case 'w':
      return (c) => /\w/.test(c);
    case 'd':
      return (c) => /\d/.test(c);
    case 's':
      return (c) => /\s/.test(c);
    case 'W':
    case 'D':
    case 'S':
      return () => true;
    case '':
      return undefined;
    default:
      return (c) => c === e || (e === 'n' && c === '\n') || (e === 'r' && c === '\r') || (e === 't' && c === '\t');
  }
}

function classPredicate(body: string): ((c: string) => boolean) | undefined {
  if (body.startsWith('^')) return () => true; // negated class: admits almost everything
  const parts: Array<(c: string) => boolean> = [];
  let i = 0;
  while (i < body.length) {
    let c = body[i]!;
    if (c === '\\') {
      const e = escapePredicate(body[i + 1] ?? '');
      if (!e) return undefined;
      const next = body[i + 1]!;
      i += 2;
      if (!'wdsWDS'.includes(next) && body[i] === '-' && i + 1 < body.length) {
        c = next;
      } else {
        parts.push(e);
        continue;
      }
    } else {
      i++;
    }
    if (body[i] === '-' && i + 1 < body.length) {
      let hi = body[i + 1]!;
      i += 2;
      if (hi === '\\') {
        hi = body[i] ?? hi;
        i++;
      }
      const lo = c;
      parts.push((x) => x >= lo && x <= hi);
    } else {
      parts.push((x) => x === c);
    }
  }
  return (ch) => parts.some((p) => p(ch));
}

/**
 * Kinds cleaned by `s.replace(regex, replacement)` that deletes or escapes characters: a global
 * character-class replace of `<` and `>` cleans XSS, of CR/LF cleans log injection, and so on.
 */
export function replaceCleans(source: string, flags: string, replacement: string | undefined): number {
  if (!flags.includes('g')) return 0;
  const removed = removedChars(source);
  if (!removed) return 0;
  // Replacing with something that reintroduces a removed character is not a sanitiser.
  if (replacement !== undefined && [...replacement].some((c) => removed.has(c) && !replacement.includes('&') && c !== '\\')) return 0;
  let out = 0;
  for (const d of DANGER) {
    const needed = d.kinds === mask(['path-traversal']) ? ['/', '\\'] : d.kinds === mask(['sql-injection']) ? ["'", '\\'] : d.kinds === mask(['xss']) ? ['<', '>'] : d.kinds === mask(['log-injection']) ? ['\n', '\r'] : [...d.chars];
    if (needed.every((c) => removed.has(c))) out |= d.kinds;
  }
  // Escaping every regex metacharacter (the classic escapeRegExp) makes a safe regex source.
  if (replacement !== undefined && /\\\\?\$&/.test(replacement) && ['*', '+', '?', '(', '[', '\\'].every((c) => removed.has(c) || c === '\\')) out |= mask(['regex-injection']);
  return out;
}

/** The set of characters a pattern like /[<>&"']/ or /\r|\n/ matches, when it is that simple. */
function removedChars(source: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const alt of source.split('|')) {
    const a = alt.replace(/^\(\?:|^\(|\)$/g, '').replace(/[+*]$/, '');
    if (a.startsWith('[') && a.endsWith(']') && !a.startsWith('[^')) {
      const body = a.slice(1, -1);
      for (let i = 0; i < body.length; i++) {
        if (body[i] === '\\') {
          const e = body[i + 1];
          out.add(e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e!);
          i++;
        } else out.add(body[i]!);
      }
    } else if (a === '\\n') out.add('\n');
    else if (a === '\\r') out.add('\r');
    else if (a === '\\r\\n' || a === '\\r?\\n') {
      out.add('\r');
      out.add('\n');
    } else if (a.length === 1) out.add(a);
    else if (a.length === 2 && a[0] === '\\') out.add(a[1]!);
    else return undefined;
  }
  return out;
}
