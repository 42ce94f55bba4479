/** Repository-relative posix paths: the folder of a file ('' at the root). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/**
 * `base` joined with a relative folder as a shell `cd` or a `--prefix` would move; absolute
 * paths, `~`, `-` and anything with a variable are unknown statically, so `base` is kept.
 */
export function joinDir(base: string, sub: string | undefined): string {
  if (sub === undefined || sub === '' || sub.includes('$') || sub.startsWith('/') || sub.startsWith('~') || sub === '-') return base;
  const out = base ? base.split('/') : [];
  for (const p of sub.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}
