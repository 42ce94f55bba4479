/**
 * The one client interface the posture collectors talk to. Three implementations: live (GitHub
 * through Octokit, GitLab through fetch), recording (wraps a live one and writes every response
 * to a snapshot folder) and replaying (answers from a snapshot folder, no network).
 *
 * A transport never throws for an HTTP status: 403, 404 and 5xx come back as replies, because
 * what they mean depends on the endpoint (404 is "branch not protected" on one and "feature not
 * on this server" on another). It throws only when the whole run cannot go on: the token is
 * rejected (401), or the rate limit is exhausted for longer than we are willing to wait.
 */

export type PosturePlatform = 'github' | 'gitlab';

export interface ApiRequest {
  /** Path below the API base with its query string, e.g. `/orgs/acme/repos?per_page=100`. */
  path: string;
  /** GitHub GraphQL: POST /graphql with this query and variables. */
  graphql?: { query: string; variables: Record<string, unknown> };
  /** `raw` asks for file contents as text (GitHub `application/vnd.github.raw`). */
  accept?: 'json' | 'raw';
}

/** Response headers a collector or a check may read; everything else is dropped (and never recorded). */
export const KEPT_HEADERS = [
  'link',
  'x-oauth-scopes',
  'x-accepted-oauth-scopes',
  'x-accepted-github-permissions',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'x-next-page',
  'x-total-pages',
  'x-github-sso',
  'ratelimit-remaining',
  'ratelimit-reset',
] as const;

export interface ApiReply {
  status: number;
  /** Parsed JSON, or text for `raw` requests; null for an empty body. */
  data: unknown;
  headers: Partial<Record<(typeof KEPT_HEADERS)[number], string>>;
  /** The reply did not come from the server in this run: `cache` (ETag revalidated), `snapshot`. */
  from?: 'network' | 'cache' | 'snapshot';
}

export interface PostureTransport {
  readonly platform: PosturePlatform;
  /** Base URL of the web UI (https://github.com, https://gitlab.example.com): finding locations and settings links. */
  readonly webUrl: string;
  send(req: ApiRequest): Promise<ApiReply>;
}

/** The token was rejected: nothing else will work, stop with a clear message (exit 2). */
export class AuthError extends Error {}

/** Rate limit exhausted and the reset is further away than the allowed wait. */
export class RateLimitError extends Error {
  constructor(message: string, readonly resetAt?: Date) {
    super(message);
  }
}

export function keepHeaders(get: (name: string) => string | null | undefined): ApiReply['headers'] {
  const out: ApiReply['headers'] = {};
  for (const name of KEPT_HEADERS) {
    const v = get(name);
    if (v !== null && v !== undefined && v !== '') out[name] = String(v);
  }
  return out;
}

/** A rate-limited reply: 429, or 403 with an exhausted quota, a Retry-After, or GitHub's secondary-limit wording. */
export function isRateLimited(reply: Pick<ApiReply, 'status' | 'headers' | 'data'>): boolean {
  if (reply.status === 429) return true;
  if (reply.status !== 403) return false;
  if (reply.headers['x-ratelimit-remaining'] === '0' || reply.headers['retry-after'] !== undefined) return true;
  const message = messageOf(reply.data);
  return /rate limit/i.test(message);
}

/** The `message` (GitHub) or `message`/`error` (GitLab) of an error body, for notes. */
export function messageOf(data: unknown): string {
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; error?: unknown };
    if (typeof d.message === 'string') return d.message.slice(0, 200);
    if (typeof d.error === 'string') return d.error.slice(0, 200);
  }
  return typeof data === 'string' ? data.slice(0, 200) : '';
}

/** When a rate limit resets, from GitHub's `x-ratelimit-reset` (epoch s), GitLab's `ratelimit-reset`, or Retry-After. */
export function resetTimeOf(headers: ApiReply['headers'], now = Date.now()): Date | undefined {
  const reset = headers['x-ratelimit-reset'];
  if (reset && /^\d+$/.test(reset)) return new Date(Number(reset) * 1000);
  const gitlabReset = headers['ratelimit-reset'];
  if (gitlabReset && /^\d+$/.test(gitlabReset)) return new Date(Number(gitlabReset) * 1000);
  const after = headers['retry-after'];
  if (after && /^\d+$/.test(after)) return new Date(now + Number(after) * 1000);
  return undefined;
}
