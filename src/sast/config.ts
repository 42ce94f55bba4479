/** Path filters from `sast.paths-ignore`. */
import { matchGlob } from '../config/glob.js';

export function compileGlobs(globs: readonly string[]): (rel: string) => boolean {
  if (globs.length === 0) return () => false;
  return (rel) => globs.some((g) => matchGlob(g, rel) || matchGlob(`${g.replace(/\/$/, '')}/**`, rel));
}
