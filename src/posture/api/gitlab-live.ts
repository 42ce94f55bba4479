import { cacheKey, defaultCacheDir, HttpCache } from '../../online/cache.js';
import { rateLimitMessage, NetworkError } from './github-live.js';
import { AuthError, isRateLimited, keepHeaders, messageOf, RateLimitError, resetTimeOf, type ApiReply, type ApiRequest, type PostureTransport } from './types.js';

/**
 * Live GitLab REST v4 (gitlab.com or self-managed, `--gitlab-url`) on the built-in fetch: no
 * GitLab client library is a dependency and the API needs only GET with a bearer token. Retries
 * 5xx and network errors with exponential backoff, waits out 429 when RateLimit-Reset/Retry-After
 * is within `maxWaitSeconds`, and shares the ETag cache of the GitHub client.
 */
export interface GitlabLiveOptions {
  /** Web URL of the instance (https://gitlab.com): finding locations. */
  webUrl: string;
  /** API base; default `${webUrl}/api/v4` (tests point it at 127.0.0.1). */
  apiUrl?: string;
  token?: string;
  maxWaitSeconds: number;
  cacheDir?: string | null;
  delayScale?: number;
  retries?: number;
  onWait?: (seconds: number, why: string) => void;
  fetch?: typeof fetch;
}

export class GitlabLiveTransport implements PostureTransport {
  readonly platform = 'gitlab' as const;
  readonly webUrl: string;
  private readonly apiUrl: string;
  private readonly cache?: HttpCache;
  private readonly scale: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: GitlabLiveOptions) {
    this.webUrl = opts.webUrl.replace(/\/+$/, '');
    this.apiUrl = (opts.apiUrl ?? `${this.webUrl}/api/v4`).replace(/\/+$/, '');
    const dir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
    this.cache = dir === null ? undefined : new HttpCache(dir);
    const envScale = Number(process.env.PIPEWARDEN_RETRY_DELAY_SCALE);
    this.scale = opts.delayScale ?? (process.env.PIPEWARDEN_RETRY_DELAY_SCALE && Number.isFinite(envScale) && envScale >= 0 ? envScale : 1);
    this.fetchImpl = opts.fetch ?? fetch;
  }

  async send(req: ApiRequest): Promise<ApiReply> {
    const url = `${this.apiUrl}${req.path}`;
    const key = cacheKey(url, 'gitlab', this.opts.token !== undefined);
    const cached = this.cache?.get(key);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'pipewarden' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    const retries = this.opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
      } catch (e) {
        if (attempt < retries) {
          await this.sleep(1000 * 2 ** attempt);
          continue;
        }
        if (cached) return { status: cached.status, data: JSON.parse(cached.body) as unknown, headers: cached.link ? { link: cached.link } : {}, from: 'cache' };
        throw new NetworkError(`${url}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const kept = keepHeaders((n) => res.headers.get(n));
      if (res.status === 304 && cached) {
        await res.arrayBuffer().catch(() => undefined);
        return { status: cached.status, data: JSON.parse(cached.body) as unknown, headers: cached.link ? { link: cached.link } : {}, from: 'cache' };
      }
      const text = await res.text().catch(() => '');
      let data: unknown = null;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      const reply: ApiReply = { status: res.status, data, headers: kept, from: 'network' };
      if (res.status === 401) throw new AuthError(`GitLab rejected the token (HTTP 401: ${messageOf(data) || 'Unauthorized'}); check GITLAB_TOKEN`);
      if (isRateLimited(reply)) {
        const reset = resetTimeOf(kept);
        const wait = reset ? Math.max(0, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
        if (attempt < retries && wait <= this.opts.maxWaitSeconds) {
          this.opts.onWait?.(wait, 'rate limit');
          await this.sleep(wait * 1000);
          continue;
        }
        throw new RateLimitError(rateLimitMessage('GitLab', reset, this.opts.maxWaitSeconds), reset);
      }
      if (res.status >= 500 && attempt < retries) {
        await this.sleep(1000 * 2 ** attempt);
        continue;
      }
      const etag = res.headers.get('etag');
      if (res.ok && etag) this.cache?.set(key, { url, status: res.status, body: text || 'null', etag, savedAt: Date.now(), ...(kept.link ? { link: kept.link } : {}) });
      return reply;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.round(ms * this.scale)));
  }
}
