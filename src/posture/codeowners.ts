/**
 * CODEOWNERS semantics (GitHub): gitignore-like patterns, one per line with owners after it; the
 * LAST matching line wins, and a matching line without owners leaves the file unowned.
 * A pattern with a slash at the start or in the middle is anchored to the repository root;
 * otherwise it matches at any depth. `*` does not cross `/`, `**` does; a trailing `/` matches
 * everything below a directory.
 */
export interface OwnersLine {
  pattern: string;
  owners: string[];
  line: number;
  re: RegExp;
}

export function parseCodeowners(text: string): OwnersLine[] {
  const out: OwnersLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern || pattern.startsWith('!') || pattern.includes('[')) return; // GitHub ignores negation and character ranges
    out.push({ pattern, owners: owners.filter((o) => /^@|@/.test(o)), line: i + 1, re: patternToRegExp(pattern) });
  });
  return out;
}

export function patternToRegExp(pattern: string): RegExp {
  let p = pattern;
  const anchored = p.startsWith('/') || p.slice(0, -1).includes('/');
  p = p.replace(/^\/+/, '');
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      if (p[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const tail = dirOnly ? '/.*' : '(?:/.*)?';
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}${tail}$`);
}

/** Owners of a path (the last matching line), or [] when nobody owns it. */
export function ownersOf(lines: readonly OwnersLine[], path: string): { owners: string[]; line?: number } {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.re.test(path)) return { owners: l.owners, line: l.line };
  }
  return { owners: [] };
}
