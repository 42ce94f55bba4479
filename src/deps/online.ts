import semver from 'semver';
import { cacheKey, HttpCache, type CacheEntry } from '../online/cache.js';
import type { AdvisorySource } from './advisories.js';
import { ghsaSeverity } from './db/cvss.js';
import { readOsv } from './db/osv.js';
import type { StoredMatch } from './db/store.js';
import type { Ecosystem } from './model.js';

/** Responses younger than this are used without asking again; older ones are the fallback when offline. */
const FRESH_MS = 6 * 60 * 60 * 1000;
const TIMEOUT_MS = 30_000;
const OSV_BATCH = 1000;

export interface OnlineOptions {
  /** Cache folder (the data folder). */
  cacheDir: string;
  npmRegistry?: string;
  osvApi?: string;
  /** Problems worth telling the user (service down, stale cache used). */
  note(message: string): void;
}

/**
 * `--online`: npm's bulk advisory endpoint for npm packages and the OSV API (querybatch, then
 * each advisory) for the other ecosystems. Responses are cached in the data folder (by URL and
 * request body) and reused for six hours; when a service cannot be reached a cached answer of
 * any age is used, and when there is none the error is raised (the scan then says what it could not check).
 */
export function onlineSource(opts: OnlineOptions): AdvisorySource {
  const npm = (opts.npmRegistry ?? process.env.PIPEWARDEN_NPM_REGISTRY ?? 'https://registry.npmjs.org').replace(/\/$/, '');
  const osv = (opts.osvApi ?? process.env.PIPEWARDEN_OSV_API ?? 'https://api.osv.dev').replace(/\/$/, '');
  const cache = new HttpCache(opts.cacheDir);

  async function post(url: string, body: unknown): Promise<unknown> {
    const text = JSON.stringify(body);
    return request(url, { method: 'POST', body: text, headers: { 'content-type': 'application/json', accept: 'application/json' } }, `${url}\n${text}`);
  }

  async function request(url: string, init: RequestInit, keyText: string): Promise<unknown> {
    const key = cacheKey(keyText, 'application/json', false);
    const cached = cache.get(key);
    if (cached && Date.now() - cached.savedAt < FRESH_MS) return JSON.parse(cached.body);
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = await res.text();
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      const value = JSON.parse(body) as unknown;
      const entry: CacheEntry = { url, status: res.status, body, savedAt: Date.now() };
      cache.set(key, entry);
      return value;
    } catch (e) {
      if (cached) {
        opts.note(`${url} could not be reached (${(e as Error).message}); using the answer cached ${new Date(cached.savedAt).toISOString()}`);
        return JSON.parse(cached.body);
      }
      throw new Error(`advisory lookup failed: ${(e as Error).message}`, { cause: e });
    }
  }

  return {
    async lookup(packages) {
      const out = new Map<string, StoredMatch[]>();
      for (const p of packages) out.set(`${p.ecosystem}\0${p.key}`, []);
      // npm: one bulk request; the answer lists advisories with the affected range of each.
      const npmPkgs = packages.filter((p) => p.ecosystem === 'npm');
      if (npmPkgs.length > 0) {
        const body: Record<string, string[]> = {};
        for (const p of npmPkgs) (body[p.name] ??= []).push(p.version);
        const answer = (await post(`${npm}/-/npm/v1/security/advisories/bulk`, body)) as Record<string, Array<Record<string, unknown>>>;
        for (const [name, advisories] of Object.entries(answer ?? {})) {
          const versions = body[name] ?? [];
          const list = out.get(`npm\0${name}`);
          if (!list || !Array.isArray(advisories)) continue;
          for (const a of advisories) {
            const range = typeof a.vulnerable_versions === 'string' ? a.vulnerable_versions : undefined;
            const hit = range ? versions.filter((v) => semver.valid(v) && semver.satisfies(v, range, { includePrerelease: true })) : [];
            if (hit.length === 0) continue;
            const url = typeof a.url === 'string' ? a.url : '';
            const ghsa = /GHSA-[\w-]+$/.exec(url)?.[0];
            const cvss = a.cvss as { score?: number } | undefined;
            list.push({
              id: ghsa ?? `NPM-${String(a.id)}`,
              modified: '',
              summary: typeof a.title === 'string' ? a.title : '',
              ...(ghsaSeverity(a.severity) && { severity: ghsaSeverity(a.severity) }),
              ...(typeof cvss?.score === 'number' && cvss.score > 0 && { score: cvss.score }),
              aliases: [],
              references: url ? [url] : [],
              malicious: false,
              name,
              ranges: [],
              versions: hit,
            });
          }
        }
      }
      // Other ecosystems: OSV querybatch (ids), then each advisory once.
      const rest = packages.filter((p) => p.ecosystem !== 'npm');
      const ids = new Map<string, Array<{ ecosystem: Ecosystem; key: string }>>();
      for (let i = 0; i < rest.length; i += OSV_BATCH) {
        const chunk = rest.slice(i, i + OSV_BATCH);
        const answer = (await post(`${osv}/v1/querybatch`, { queries: chunk.map((p) => ({ package: { ecosystem: p.ecosystem, name: p.name }, version: p.version })) })) as { results?: Array<{ vulns?: Array<{ id?: string }> }> };
        (answer.results ?? []).forEach((r, j) => {
          const p = chunk[j];
          if (!p) return;
          for (const v of r.vulns ?? []) if (typeof v.id === 'string') (ids.get(v.id) ?? ids.set(v.id, []).get(v.id)!).push({ ecosystem: p.ecosystem, key: p.key });
        });
      }
      for (const [id, pkgs] of ids) {
        const advisory = readOsv(await request(`${osv}/v1/vulns/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } }, `${osv}/v1/vulns/${id}`));
        for (const { ecosystem, key } of pkgs) {
          const list = out.get(`${ecosystem}\0${key}`)!;
          for (const f of advisory.affected.filter((x) => x.ecosystem === ecosystem && x.key === key)) {
            if (list.some((m) => m.id === advisory.id)) continue;
            list.push({
              id: advisory.id,
              modified: advisory.modified,
              ...(advisory.withdrawn && { withdrawn: advisory.withdrawn }),
              summary: advisory.summary,
              ...(advisory.severity && { severity: advisory.severity }),
              ...(advisory.score !== undefined && { score: advisory.score }),
              aliases: advisory.aliases,
              references: advisory.references,
              malicious: advisory.malicious,
              name: f.name,
              ranges: f.ranges,
              versions: f.versions,
            });
          }
        }
      }
      return out;
    },
  };
}
