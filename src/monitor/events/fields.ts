/**
 * Tolerant field access for JSON from outside: every field may be missing, null or of the wrong
 * type, and none of that is an error here (the caller decides what a missing field means).
 */

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function at(v: unknown, path: string): unknown {
  let cur: unknown = v;
  for (const part of path.split('.')) {
    const o = obj(cur);
    if (!o) return undefined;
    cur = o[part];
  }
  return cur;
}

export function str(v: unknown, path?: string): string | undefined {
  const x = path === undefined ? v : at(v, path);
  return typeof x === 'string' && x !== '' ? x : undefined;
}

export function int(v: unknown, path?: string): number | undefined {
  const x = path === undefined ? v : at(v, path);
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && /^-?\d+$/.test(x)) return Number(x);
  return undefined;
}

export function bool(v: unknown, path?: string): boolean | undefined {
  const x = path === undefined ? v : at(v, path);
  return typeof x === 'boolean' ? x : undefined;
}

export function strings(v: unknown, path?: string): string[] {
  const x = path === undefined ? v : at(v, path);
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * A time as GitHub writes it: ISO 8601 text, epoch milliseconds (audit `@timestamp`), or epoch
 * seconds (push `repository.pushed_at`). Values before 2000 or after 2100 are refused.
 */
export function time(v: unknown, path?: string): number | undefined {
  const x = path === undefined ? v : at(v, path);
  let ms: number | undefined;
  if (typeof x === 'number' && Number.isFinite(x)) ms = x < 1e11 ? x * 1000 : x;
  else if (typeof x === 'string' && x !== '') {
    if (/^\d+$/.test(x)) ms = Number(x) < 1e11 ? Number(x) * 1000 : Number(x);
    else if (/^\d{4}-\d{2}-\d{2}/.test(x)) {
      // Audit exports sometimes write "2025-03-14 16:02:11.123" (no T, no zone): that is UTC.
      const t = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(x) && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(x) ? `${x.replace(' ', 'T')}Z` : x);
      ms = Number.isNaN(t) ? undefined : t;
    }
  }
  if (ms === undefined || ms < 946_684_800_000 || ms > 4_102_444_800_000) return undefined;
  return Math.round(ms);
}

/** Header lookup, case-insensitive (GitHub sends `X-GitHub-Delivery`, proxies lower-case it). */
export function header(headers: unknown, name: string): string | undefined {
  const o = obj(headers);
  if (!o) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) {
    if (k.toLowerCase() !== want) continue;
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

/** One line of display text: no control characters, bounded length. */
export function oneLine(s: string, max = 200): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** `owner/name` when the text looks like one. */
export function repoName(v: unknown): string | undefined {
  const s = str(v);
  return s && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(s) ? s : undefined;
}

export function isBotLogin(login: string | undefined): boolean {
  return login !== undefined && /\[bot\]$/i.test(login);
}
