import { execFile } from 'node:child_process';
import { cacheKey, defaultCacheDir, HttpCache, type CacheEntry } from './cache.js';

/**
 * A small GitHub REST client on the built-in fetch: bearer token, on-disk ETag cache, bounded
 * retries with backoff on 429/5xx and rate limits, a concurrency limit, and an offline fallback
 * to stale cache entries.
 *
 * Why not Octokit: pipewarden needs exactly four things from the API layer (conditional GETs
 * against its own cache, retry timing it can shrink in tests, stale-cache fallback, GHES base
 * URLs) and all four would be hooks around Octokit rather than features of it; plain fetch keeps
 * the dependency tree (and what `--online` can do) small and auditable.
 */

export const DEFAULT_API_URL = 'https://api.github.com';

/** `PIPEWARDEN_GITHUB_API_URL` (tests, proxies), else GHES `https://HOST/api/v3`, else api.github.com. */
export function apiBaseUrl(hostname?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PIPEWARDEN_GITHUB_API_URL) return env.PIPEWARDEN_GITHUB_API_URL.replace(/\/+$/, '');
  if (!hostname || /^(www\.)?github\.com$/i.test(hostname) || /^api\.github\.com$/i.test(hostname)) return DEFAULT_API_URL;
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(hostname)) throw new Error(`--gh-hostname "${hostname}" is not a host name`);
  return `https://${hostname}/api/v3`;
}

export interface TokenResult {
  token?: string;
  /** Where it came from, or why there is none (for a note on stderr). */
  source: 'GH_TOKEN' | 'GITHUB_TOKEN' | 'gh' | 'none';
  note?: string;
}

/**
 * GH_TOKEN, then GITHUB_TOKEN (the gh CLI's order), then `gh auth token` (no shell, 5 s timeout).
 * No token is not an error: anonymous requests work for public repositories at 60 an hour.
 */
export async function resolveToken(hostname?: string, env: NodeJS.ProcessEnv = process.env): Promise<TokenResult> {
  if (env.GH_TOKEN?.trim()) return { token: env.GH_TOKEN.trim(), source: 'GH_TOKEN' };
  if (env.GITHUB_TOKEN?.trim()) return { token: env.GITHUB_TOKEN.trim(), source: 'GITHUB_TOKEN' };
  const args = ['auth', 'token', ...(hostname ? ['--hostname', hostname] : [])];
  const fromGh = await new Promise<string | undefined>((resolve) => {
    try {
      execFile('gh', args, { timeout: 5000, windowsHide: true, env: { ...env, GH_PROMPT_DISABLED: '1' } }, (err, stdout) => {
        resolve(err ? undefined : stdout.trim() || undefined);
      });
    } catch {
      resolve(undefined);
    }
  });
  if (fromGh) return { token: fromGh, source: 'gh' };
  return {
    source: 'none',
    note: 'no GitHub token (GH_TOKEN, GITHUB_TOKEN or `gh auth token`); using anonymous requests, limited to 60 an hour',
  };
}

export interface GithubClientOptions {
  baseUrl: string;
  token?: string;
  /** Cache directory; `null` disables the cache. Default: defaultCacheDir(). */
  cacheDir?: string | null;
  /** Retries after the first attempt (429, 5xx, secondary rate limits, network errors). */
  maxRetries?: number;
  /** First backoff delay; doubles per retry. */
  retryBaseMs?: number;
  /** A wait longer than this is not worth it: fail (or use the stale cache) instead. */
  maxRetryDelayMs?: number;
  /** Multiplies every wait (Retry-After included); tests set it tiny. Env `PIPEWARDEN_RETRY_DELAY_SCALE`. */
  delayScale?: number;
  concurrency?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  /** `revalidated`: 304 from the server, body from the cache; `stale`: network down, old cache entry. */
  cache: 'miss' | 'revalidated' | 'stale';
  /** URL of the next page (Link rel="next"), if any. */
  next?: string;
}

/** The API answered with an error status (404 included: callers decide what absence means). */
export class GithubApiError extends Error {
  constructor(readonly status: number, readonly url: string, message: string) {
    super(message);
  }
}

/** The API could not be reached (after retries) and nothing was cached. */
export class GithubNetworkError extends Error {
  constructor(readonly url: string, message: string) {
    super(message);
  }
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export class GithubClient {
  readonly baseUrl: string;
  private readonly token?: string;
  private readonly cache?: HttpCache;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly delayScale: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly limit: Semaphore;
  /** Counters for a summary note (stale responses served, requests made). */
  readonly stats = { requests: 0, revalidated: 0, stale: 0, networkErrors: 0 };

  constructor(opts: GithubClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    const dir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
    this.cache = dir === null ? undefined : new HttpCache(dir);
    this.maxRetries = opts.maxRetries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 60_000;
    const envScale = Number(process.env.PIPEWARDEN_RETRY_DELAY_SCALE);
    this.delayScale = opts.delayScale ?? (Number.isFinite(envScale) && envScale >= 0 && process.env.PIPEWARDEN_RETRY_DELAY_SCALE ? envScale : 1);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.limit = new Semaphore(opts.concurrency ?? 8);
  }

  get authenticated(): boolean {
    return this.token !== undefined;
  }

  /** Full URL of an API path (`/repos/o/r`), keeping a GHES `/api/v3` prefix. Absolute URLs (Link headers) pass through. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** GET a JSON resource. Throws GithubApiError on error statuses, GithubNetworkError when unreachable with no cache. */
  async getJson<T>(path: string): Promise<ApiResponse<T>> {
    const r = await this.request(path, 'application/vnd.github+json');
    let data: T;
    try {
      data = JSON.parse(r.body) as T;
    } catch {
      throw new GithubApiError(r.status, r.url, `invalid JSON from ${r.url}`);
    }
    return { status: r.status, data, cache: r.cache, ...(r.next ? { next: r.next } : {}) };
  }

  /** GET raw file contents (`application/vnd.github.raw`). */
  async getRaw(path: string): Promise<ApiResponse<string>> {
    const r = await this.request(path, 'application/vnd.github.raw');
    return { status: r.status, data: r.body, cache: r.cache };
  }

  /** Every page of a list endpoint, up to `maxPages`; `complete` is false when more pages were left. */
  async getPaginated<T>(path: string, maxPages: number): Promise<{ items: T[]; complete: boolean; cache: ApiResponse<T>['cache'] }> {
    const items: T[] = [];
    let next: string | undefined = path;
    let pages = 0;
    let cache: ApiResponse<T>['cache'] = 'miss';
    while (next && pages < maxPages) {
      const page: ApiResponse<T[]> = await this.getJson<T[]>(next);
      if (!Array.isArray(page.data)) throw new GithubApiError(page.status, this.url(next), `expected a list from ${this.url(next)}`);
      items.push(...page.data);
      if (page.cache === 'stale') cache = 'stale';
      next = page.next;
      pages++;
    }
    return { items, complete: next === undefined, cache };
  }

  private async request(path: string, accept: string): Promise<{ status: number; body: string; url: string; cache: ApiResponse<unknown>['cache']; next?: string }> {
    const url = this.url(path);
    const key = cacheKey(url, accept, this.authenticated);
    const cached = this.cache?.get(key);
    const headers: Record<string, string> = {
      accept,
      'user-agent': 'pipewarden',
      'x-github-api-version': '2022-11-28',
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    else if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.limit.run(() => {
          this.stats.requests++;
          return this.fetchImpl(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
        });
      } catch (e) {
        this.stats.networkErrors++;
        const problem = describeNetworkError(e);
        // Connection refused / DNS failure: the network is down, retrying soon will not help much,
        // but one retry covers a blip. Timeouts and resets get the full retry budget.
        const budget = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH/.test(problem) ? Math.min(1, this.maxRetries) : this.maxRetries;
        if (attempt < budget) {
          await this.sleep(this.scaled(this.backoff(attempt)));
          continue;
        }
        return this.fallback(url, cached, problem);
      }
      if (res.status === 304 && cached) {
        await res.arrayBuffer().catch(() => undefined);
        this.stats.revalidated++;
        this.cache?.set(key, { ...cached, savedAt: Date.now() });
        return { status: cached.status, body: cached.body, url, cache: 'revalidated', ...(nextLink(cached.link) ? { next: nextLink(cached.link) } : {}) };
      }
      const body = await res.text().catch(() => '');
      if (res.ok) {
        const entry: CacheEntry = {
          url,
          status: res.status,
          body,
          savedAt: Date.now(),
          ...(res.headers.get('etag') ? { etag: res.headers.get('etag')! } : {}),
          ...(res.headers.get('last-modified') ? { lastModified: res.headers.get('last-modified')! } : {}),
          ...(res.headers.get('content-type') ? { contentType: res.headers.get('content-type')! } : {}),
          ...(res.headers.get('link') ? { link: res.headers.get('link')! } : {}),
        };
        if (entry.etag || entry.lastModified) this.cache?.set(key, entry);
        const next = nextLink(res.headers.get('link') ?? undefined);
        return { status: res.status, body, url, cache: 'miss', ...(next ? { next } : {}) };
      }
      const wait = this.retryDelay(res, body, attempt);
      if (wait !== undefined && attempt < this.maxRetries) {
        await this.sleep(this.scaled(wait));
        continue;
      }
      const message = apiErrorMessage(res.status, body);
      if (wait !== undefined || res.status >= 500) {
        // Still throttled or failing after every retry: an old answer beats none.
        if (cached) return this.fallback(url, cached, `HTTP ${res.status}: ${message}`);
      }
      throw new GithubApiError(res.status, url, `GET ${url}: HTTP ${res.status}: ${message}`);
    }
  }

  private fallback(url: string, cached: CacheEntry | undefined, problem: string): { status: number; body: string; url: string; cache: 'stale'; next?: string } {
    if (!cached) throw new GithubNetworkError(url, `GET ${url}: ${problem}`);
    this.stats.stale++;
    const next = nextLink(cached.link);
    return { status: cached.status, body: cached.body, url, cache: 'stale', ...(next ? { next } : {}) };
  }

  private backoff(attempt: number): number {
    // Exponential with up to 25% jitter, so parallel clients do not retry in lockstep.
    const base = this.retryBaseMs * 2 ** attempt;
    return Math.min(this.maxRetryDelayMs, base + Math.floor(Math.random() * base * 0.25));
  }

  private scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.delayScale));
  }

  /**
   * How long to wait before retrying, or undefined when the status is not worth a retry or the
   * wait would exceed maxRetryDelayMs (primary rate limit hours away: fail fast).
   * Secondary rate limits come as 403 or 429 with Retry-After; the primary one as 403/429 with
   * `x-ratelimit-remaining: 0` and a reset time (GitHub's documented guidance).
   */
  private retryDelay(res: Response, body: string, attempt: number): number | undefined {
    const retryAfter = res.headers.get('retry-after');
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    const limited = res.status === 429 || (res.status === 403 && (retryAfter !== null || remaining === '0' || /secondary rate limit|abuse/i.test(body)));
    if (!limited && !RETRY_STATUSES.has(res.status)) return undefined;
    let wait: number;
    if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) wait = Number(retryAfter) * 1000;
    else if (retryAfter !== null && !Number.isNaN(Date.parse(retryAfter))) wait = Math.max(0, Date.parse(retryAfter) - Date.now());
    else if (remaining === '0' && reset !== null && /^\d+$/.test(reset)) wait = Math.max(0, Number(reset) * 1000 - Date.now()) + 1000;
    else if (limited) wait = Math.max(60_000 * (attempt + 1), this.backoff(attempt)); // secondary limit without a hint: at least a minute
    else wait = this.backoff(attempt);
    return wait > this.maxRetryDelayMs ? undefined : wait;
  }
}

function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function apiErrorMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { message?: unknown };
    if (typeof j.message === 'string') return j.message.slice(0, 200);
  } catch {
    // not JSON
  }
  return status === 404 ? 'Not Found' : body.slice(0, 120).replace(/\s+/g, ' ') || 'no body';
}

function describeNetworkError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  if (e.name === 'TimeoutError') return 'request timed out';
  return code ? `${code} (${e.message})` : e.message;
}

class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released slot is handed straight to the next waiter, so nobody can overtake it.
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
