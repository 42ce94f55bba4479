/**
 * Path globs for config entries (`ignore[].path`, `secrets.paths-ignore`).
 * Paths are repository-relative with `/` separators.
 *   `**` any number of directories (including none), `*` anything but `/`, `?` one character but `/`.
 * A pattern also matches everything below a directory it matches, like `.gitignore`,
 * so `docs` and `docs/**` both cover `docs/a/b.md`.
 */

const cache = new Map<string, RegExp>();

export function normalizePath(p: string): string {
  let out = p.replace(/\\/g, '/');
  while (out.startsWith('./')) out = out.slice(2);
  return out.replace(/\/+$/, '');
}

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  const g = normalizePath(glob);
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      const atStart = i === 0 || g[i - 1] === '/';
      const slashAfter = g[i + 2] === '/';
      if (atStart && slashAfter) {
        re += '(?:[^/]*/)*'; // `**/`: zero or more whole directories
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // Trailing `(/.*)?` gives the directory-prefix behaviour.
  const compiled = new RegExp(`^${re}(?:/.*)?$`);
  cache.set(glob, compiled);
  return compiled;
}

export function matchGlob(glob: string, path: string): boolean {
  return globToRegExp(glob).test(normalizePath(path));
}

/** Rule-id patterns: `*` matches any characters, including the `/` in `secrets/aws`. */
export function matchRuleId(pattern: string, ruleId: string): boolean {
  if (pattern === '*' || pattern === ruleId) return true;
  if (!pattern.includes('*')) return false;
  const re = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`).test(ruleId);
}

/** Splits `path/to/file.yml:12` into the glob and the line; no suffix means any line. */
export function parseIgnorePath(path: string): { glob: string; line?: number } {
  const m = /^(.*):(\d+)$/.exec(path);
  return m ? { glob: m[1]!, line: Number(m[2]) } : { glob: path };
}
