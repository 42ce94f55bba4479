import { cmpNum, cmpStr, type VersionScheme } from './types.js';

/**
 * PEP 440 (Python): `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with the spelling variants PEP
 * 440 normalizes (`alpha`, `c`, `pre`, `-1` as post, `_` and `-` separators, a leading `v`, any
 * case). Order: epoch, release (trailing zeros ignored), then dev < pre < final < post, and a
 * local version sorts after the same public version.
 */
const RE =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

interface Pep440 {
  epoch: number;
  release: number[];
  pre?: [number, number];
  post?: number;
  dev?: number;
  local?: Array<number | string>;
}

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(v: string): Pep440 | undefined {
  const m = RE.exec(v.trim());
  if (!m) return undefined;
  const release = m[2]!.split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const out: Pep440 = { epoch: m[1] ? Number(m[1]) : 0, release };
  if (m[3]) out.pre = [PRE_RANK[m[3].toLowerCase()]!, Number(m[4] || 0)];
  if (m[5] !== undefined) out.post = Number(m[5]);
  else if (m[6]) out.post = Number(m[7] || 0);
  if (m[8]) out.dev = Number(m[9] || 0);
  if (m[10]) out.local = m[10].toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return out;
}

function compareParsed(a: Pep440, b: Pep440): number {
  if (a.epoch !== b.epoch) return cmpNum(a.epoch, b.epoch);
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = cmpNum(a.release[i] ?? 0, b.release[i] ?? 0);
    if (d) return d;
  }
  // A dev release of a final version (no pre, no post) sorts before its prereleases.
  const preKey = (p: Pep440): [number, number] => (p.pre ? p.pre : p.post === undefined && p.dev !== undefined ? [-1, 0] : [3, 0]);
  const [pa, pb] = [preKey(a), preKey(b)];
  if (pa[0] !== pb[0]) return cmpNum(pa[0], pb[0]);
  if (pa[1] !== pb[1]) return cmpNum(pa[1], pb[1]);
  const d1 = cmpNum(a.post ?? -1, b.post ?? -1);
  if (d1) return d1;
  const d2 = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (d2) return d2;
  return compareLocal(a.local, b.local);
}

/** Local segments: numbers sort after strings, numbers numerically; a longer local wins a tie. */
function compareLocal(a: Pep440['local'], b: Pep440['local']): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return cmpStr(x, y);
  }
  return 0;
}

export const pep440Scheme: VersionScheme = {
  valid: (v) => parsePep440(v) !== undefined,
  compare: (a, b) => compareParsed(parsePep440(a)!, parsePep440(b)!),
};
