import { cmpNum, cmpStr, type VersionScheme } from './types.js';

/**
 * RubyGems (`Gem::Version`): dot-separated segments, where a run of letters starts a new segment
 * and marks a prerelease (`1.0.0.pre1` = 1, 0, 0, "pre", 1; `1.0.0-rc1` is `1.0.0.pre.rc1`).
 * Segments compare left to right; missing ones are 0; a letter segment is lower than any number;
 * trailing zeros do not count (`1.0` = `1`).
 */
const VALID = /^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

function segments(v: string): Array<number | string> {
  const s = v.trim().replace(/-/g, '.pre.');
  const parts = s.match(/[0-9]+|[a-z]+/gi) ?? [];
  const segs = parts.map((p) => (/^\d/.test(p) ? Number(p) : p));
  // Gem::Version#canonical_segments: drop trailing zeros of the release part and of the prerelease part.
  const firstString = segs.findIndex((x) => typeof x === 'string');
  const release = firstString === -1 ? segs : segs.slice(0, firstString);
  const pre = firstString === -1 ? [] : segs.slice(firstString);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  while (pre.length > 0 && pre[pre.length - 1] === 0) pre.pop();
  return [...release, ...pre];
}

export function compareGem(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const l = x[i] ?? 0;
    const r = y[i] ?? 0;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r === 'number') return -1;
    if (typeof l === 'number' && typeof r === 'string') return 1;
    return typeof l === 'number' ? cmpNum(l, r as number) : cmpStr(l, r as string);
  }
  return 0;
}

export const rubygemsScheme: VersionScheme = {
  valid: (v) => VALID.test(v),
  compare: compareGem,
};
