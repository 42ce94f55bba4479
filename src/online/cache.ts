import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * On-disk HTTP cache for GitHub API responses. One JSON file per (URL, Accept, authenticated?)
 * under `<dir>/http/`, named by the sha256 of that key: no URL or token appears in a file name,
 * and the token itself is never written anywhere (only whether one was used, because GitHub
 * answers anonymous and authenticated callers differently, e.g. for private repositories).
 *
 * Entries keep the ETag / Last-Modified validators so the client can revalidate with
 * `If-None-Match` (a 304 does not count against the rate limit) and serve the stored body,
 * and so it can fall back to a stale entry when the network is down.
 */
export interface CacheEntry {
  url: string;
  status: number;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** Link header, for pagination of a cached page. */
  link?: string;
  body: string;
  /** Epoch milliseconds when the entry was stored or last revalidated. */
  savedAt: number;
}

/** `PIPEWARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/pipewarden`, else `~/.cache/pipewarden`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PIPEWARDEN_CACHE_DIR) return env.PIPEWARDEN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'pipewarden');
  return join(homedir(), '.cache', 'pipewarden');
}

export function cacheKey(url: string, accept: string, authenticated: boolean): string {
  return createHash('sha256').update(`${url}\n${accept}\n${authenticated ? 'auth' : 'anon'}`).digest('hex');
}

export class HttpCache {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'http');
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
    try {
      const e = JSON.parse(readFileSync(this.file(key), 'utf8')) as CacheEntry;
      return typeof e.body === 'string' && typeof e.status === 'number' ? e : undefined;
    } catch {
      return undefined; // missing or corrupt: a cache miss, never an error
    }
  }

  /** Atomic write (temp file + rename) so concurrent runs never read half an entry. Failures are ignored: the cache is an optimisation. */
  set(key: string, entry: CacheEntry): void {
    const tmp = `${this.file(key)}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
      renameSync(tmp, this.file(key));
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
    }
  }
}
