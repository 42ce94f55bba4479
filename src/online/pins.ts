import type { PinResolver } from '../fix/pins.js';
import { GithubApiError, type GithubClient } from './github-client.js';

/**
 * `fix --online`: the commit a ref names, from `GET /repos/{o}/{r}/commits/{ref}` (which peels
 * annotated tags to their commit, the SHA a workflow must pin). Unknown refs (404/422) and
 * network failures resolve to undefined: `fix` then leaves the line alone and says why.
 * Answers are memoized per run; the HTTP cache keeps them across runs.
 */
export function onlinePinResolver(client: GithubClient, onError?: (message: string) => void): PinResolver {
  const memo = new Map<string, Promise<string | undefined>>();
  return (owner, repo, ref) => {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
    let p = memo.get(key);
    if (!p) {
      p = (async () => {
        try {
          const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/commits/${ref.split('/').map(encodeURIComponent).join('/')}`;
          const r = await client.getJson<{ sha?: unknown }>(path);
          return typeof r.data.sha === 'string' && /^[0-9a-f]{40}$/i.test(r.data.sha) ? r.data.sha.toLowerCase() : undefined;
        } catch (e) {
          if (!(e instanceof GithubApiError && (e.status === 404 || e.status === 422))) onError?.(e instanceof Error ? e.message : String(e));
          return undefined;
        }
      })();
      memo.set(key, p);
    }
    return p;
  };
}
