import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { cacheKey, defaultCacheDir, HttpCache } from '../../online/cache.js';
import { AuthError, isRateLimited, keepHeaders, messageOf, RateLimitError, resetTimeOf, type ApiReply, type ApiRequest, type PostureTransport } from './types.js';

/**
 * Live GitHub (github.com or GHES) through Octokit: plugin-retry retries 5xx with backoff,
 * plugin-throttling waits out a primary or secondary rate limit when the wait is at most
 * `maxWaitSeconds` (otherwise the request fails and we stop with the reset time). GET responses
 * go through the same on-disk ETag cache as `audit --online` (src/online/cache.ts): a revalidated
 * 304 costs no rate limit, so re-running a posture scan of a large organisation is cheap.
 */
export interface GithubLiveOptions {
  apiUrl: string;
  webUrl: string;
  token?: string;
  /** Longest rate-limit wait worth sitting through; longer ones stop the scan with a message. */
  maxWaitSeconds: number;
  cacheDir?: string | null;
  /** Multiplies every retry and rate-limit wait; tests set it tiny (env PIPEWARDEN_RETRY_DELAY_SCALE). */
  delayScale?: number;
  onWait?: (seconds: number, why: string) => void;
}

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

export class GithubLiveTransport implements PostureTransport {
  readonly platform = 'github' as const;
  readonly webUrl: string;
  private readonly octokit: Octokit;
  private readonly cache?: HttpCache;
  private readonly authenticated: boolean;

  constructor(private readonly opts: GithubLiveOptions) {
    this.webUrl = opts.webUrl.replace(/\/+$/, '');
    this.authenticated = opts.token !== undefined;
    const dir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
    this.cache = dir === null ? undefined : new HttpCache(dir);
    const envScale = Number(process.env.PIPEWARDEN_RETRY_DELAY_SCALE);
    const scale = opts.delayScale ?? (process.env.PIPEWARDEN_RETRY_DELAY_SCALE && Number.isFinite(envScale) && envScale >= 0 ? envScale : 1);
    const Client = Octokit.plugin(throttling, retry);
    const wantWait = (why: string) => (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number): boolean => {
      if (retryCount >= 2 || retryAfter > opts.maxWaitSeconds) return false;
      opts.onWait?.(retryAfter, why);
      return true;
    };
    this.octokit = new Client({
      ...(opts.token ? { auth: opts.token } : {}),
      baseUrl: opts.apiUrl.replace(/\/+$/, ''),
      userAgent: 'pipewarden',
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      throttle: {
        onRateLimit: wantWait('rate limit'),
        onSecondaryRateLimit: wantWait('secondary rate limit'),
        retryAfterBaseValue: Math.max(1, Math.round(1000 * scale)),
        fallbackSecondaryRateRetryAfter: 60,
      },
      retry: { retries: 3, retryAfterBaseValue: Math.max(1, Math.round(1000 * scale)) },
      request: { timeout: 30_000 },
    });
  }

  async send(req: ApiRequest): Promise<ApiReply> {
    if (req.graphql) {
      // GHES serves GraphQL at /api/graphql, beside (not below) the REST base /api/v3.
      const baseUrl = this.opts.apiUrl.replace(/\/+$/, '').replace(/\/api\/v3$/, '/api');
      return this.call('POST /graphql', { baseUrl, query: req.graphql.query, variables: req.graphql.variables }, undefined);
    }
    const accept = req.accept === 'raw' ? 'application/vnd.github.raw' : 'application/vnd.github+json';
    const url = `${this.opts.apiUrl.replace(/\/+$/, '')}${req.path}`;
    const key = cacheKey(url, accept, this.authenticated);
    const cached = this.cache?.get(key);
    const headers: Record<string, string> = { accept, 'x-github-api-version': '2022-11-28' };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    const reply = await this.call(`GET ${req.path}`, { headers }, cached ? { status: cached.status, body: cached.body, link: cached.link } : undefined);
    if (reply.status >= 200 && reply.status < 300 && reply.from === 'network' && reply.etag) {
      this.cache?.set(key, { url, status: reply.status, body: JSON.stringify(reply.data), etag: reply.etag, savedAt: Date.now(), ...(reply.headers.link ? { link: reply.headers.link } : {}) });
    }
    delete reply.etag;
    return reply;
  }

  private async call(route: string, params: Record<string, unknown>, cached: { status: number; body: string; link?: string } | undefined): Promise<ApiReply & { etag?: string }> {
    try {
      const res = await this.octokit.request(route, params);
      const h = res.headers as Record<string, string | number | undefined>;
      const get = (n: string) => (h[n] === undefined ? undefined : String(h[n]));
      const data: unknown = res.data instanceof ArrayBuffer ? new TextDecoder().decode(res.data) : res.data;
      return { status: res.status, data: data ?? null, headers: keepHeaders(get), from: 'network', ...(get('etag') ? { etag: get('etag') } : {}) };
    } catch (e) {
      const err = e as OctokitLikeError;
      if (typeof err.status !== 'number' || !err.response) {
        // No HTTP answer at all (DNS, refused, timeout after retries): a stale cache entry beats nothing.
        if (cached) return { status: cached.status, data: JSON.parse(cached.body) as unknown, headers: cached.link ? { link: cached.link } : {}, from: 'cache' };
        throw new NetworkError(`${route.replace(/^GET /, '')}: ${err.message ?? String(e)}`);
      }
      if (err.status === 304 && cached) {
        return { status: cached.status, data: JSON.parse(cached.body) as unknown, headers: cached.link ? { link: cached.link } : {}, from: 'cache' };
      }
      const h = err.response.headers;
      const reply: ApiReply = { status: err.status, data: err.response.data ?? null, headers: keepHeaders((n) => (h[n] === undefined ? undefined : String(h[n]))), from: 'network' };
      if (err.status === 401) throw new AuthError(`GitHub rejected the token (HTTP 401: ${messageOf(reply.data) || 'Bad credentials'}); check GITHUB_TOKEN`);
      if (isRateLimited(reply)) {
        const reset = resetTimeOf(reply.headers);
        throw new RateLimitError(rateLimitMessage('GitHub', reset, this.opts.maxWaitSeconds), reset);
      }
      return reply;
    }
  }
}

/** The API could not be reached at all, even after retries, and nothing was cached. */
export class NetworkError extends Error {}

export function rateLimitMessage(service: string, reset: Date | undefined, maxWaitSeconds: number): string {
  const when = reset ? `; it resets at ${reset.toISOString().slice(11, 16)} UTC (in ${Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 60000))} min)` : '';
  return `${service} API rate limit exhausted${when}. Waiting longer than --max-wait ${maxWaitSeconds}s is not allowed; rerun later (cached responses make a rerun cheap) or raise --max-wait`;
}
