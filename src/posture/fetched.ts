import { isRateLimited, messageOf, RateLimitError, type ApiReply, type ApiRequest, type PostureTransport } from './api/types.js';

/**
 * A piece of collected data, or why it could not be had. Checks never see an exception and
 * never mistake "could not read" for "is off": they either get the value or report the check
 * as not evaluated, with the reason and (for permissions) the scope that would fix it.
 */
export type Fetched<T> = { ok: true; value: T } | { ok: false; why: NotEvaluated };

export interface NotEvaluated {
  /**
   * `scope`: the token lacks a scope or role; `plan`: the feature needs another plan or license;
   * `unsupported`: the server does not have the endpoint (older GHES/GitLab); `not-recorded`: the
   * snapshot lacks the response; `rate-limit`: stopped at the rate limit; `error`: 5xx or network
   * after retries; `sso`: the token is not authorised for the organisation's SAML SSO.
   */
  reason: 'scope' | 'plan' | 'unsupported' | 'not-recorded' | 'rate-limit' | 'error' | 'sso';
  /** One phrase, e.g. `needs scope admin:org`. */
  detail: string;
}

export function ok<T>(value: T): Fetched<T> {
  return { ok: true, value };
}

export function missing<T>(why: NotEvaluated): Fetched<T> {
  return { ok: false, why };
}

/** What a 404 means on this endpoint. */
export type On404 =
  /** The thing is absent (e.g. "Branch not protected", no CODEOWNERS): a value, `null`. */
  | 'absent'
  /** The server lacks the feature (older GHES, GitLab tier): not evaluated, `unsupported`. */
  | 'unsupported'
  /** GitHub hides what a token may not see behind 404: not evaluated, `scope`. */
  | 'no-access';

export interface EndpointSpec {
  /** What the token needs, in the words docs/posture.md uses, e.g. `admin:org (organisation owner)`. */
  scope: string;
  on404: On404;
  /** A 403 with this in the message means a plan/licence limit rather than a missing scope. */
  planHint?: RegExp;
}

/**
 * Wraps a transport for collectors: turns replies into Fetched values, follows pagination, and
 * after a RateLimitError stops asking (every later request is "not evaluated: rate limit") so a
 * partial scan still reports everything it did read.
 */
export class ApiReader {
  private stopped?: NotEvaluated;
  /** Requests answered, for a progress note. */
  requests = 0;
  /** Set once the rate limit stopped the scan: a diagnostic for the CLI. */
  rateLimitMessage?: string;

  constructor(readonly transport: PostureTransport, private readonly maxPages = 50) {}

  async get<T>(path: string, spec: EndpointSpec, accept?: 'raw'): Promise<Fetched<T | null>> {
    const reply = await this.send({ path, ...(accept ? { accept } : {}) });
    if ('why' in reply) return missing(reply.why);
    return interpret<T>(reply, spec);
  }

  /** Every page of a list (Link rel="next"), at most maxPages; a partial list is not evaluated rather than short. */
  async list<T>(path: string, spec: EndpointSpec, pick?: (data: unknown) => unknown): Promise<Fetched<T[]>> {
    const items: T[] = [];
    let next: string | undefined = withQuery(path, 'per_page=100');
    for (let page = 0; next; page++) {
      if (page >= this.maxPages) return missing({ reason: 'error', detail: `more than ${this.maxPages * 100} items at ${path}; listing stopped` });
      const reply = await this.send({ path: next });
      if ('why' in reply) return missing(reply.why);
      const got = interpret<unknown>(reply, spec);
      if (!got.ok) return got;
      if (got.value === null) return ok([]);
      const list = pick ? pick(got.value) : got.value;
      if (!Array.isArray(list)) return missing({ reason: 'error', detail: `unexpected response shape at ${path}` });
      items.push(...(list as T[]));
      next = nextPath(reply.headers.link);
    }
    return ok(items);
  }

  async graphql<T>(query: string, variables: Record<string, unknown>, spec: EndpointSpec): Promise<Fetched<{ data: T | null; errors: Array<{ type?: string; message?: string; path?: unknown[] }> }>> {
    const reply = await this.send({ path: '/graphql', graphql: { query, variables } });
    if ('why' in reply) return missing(reply.why);
    const got = interpret<{ data?: T; errors?: Array<{ type?: string; message?: string }> }>(reply, spec);
    if (!got.ok) return got;
    return ok({ data: got.value?.data ?? null, errors: got.value?.errors ?? [] });
  }

  private async send(req: ApiRequest): Promise<ApiReply | { why: NotEvaluated }> {
    if (this.stopped) return { why: this.stopped };
    try {
      const reply = await this.transport.send(req);
      this.requests++;
      return reply;
    } catch (e) {
      if (e instanceof RateLimitError) {
        this.stopped = { reason: 'rate-limit', detail: 'API rate limit exhausted before this was read' };
        this.rateLimitMessage = e.message;
        return { why: this.stopped };
      }
      throw e;
    }
  }
}

export function interpret<T>(reply: ApiReply, spec: EndpointSpec): Fetched<T | null> {
  const { status } = reply;
  if (status === 0) return missing({ reason: 'not-recorded', detail: 'not recorded in the snapshot' });
  // 204 No Content answers "yes" on GitHub's boolean endpoints (vulnerability-alerts): true, never null (absent).
  if (status >= 200 && status < 300) return ok(status === 204 ? (true as T) : (reply.data as T));
  const message = messageOf(reply.data);
  if (status === 404) {
    if (spec.on404 === 'absent') return ok(null);
    if (spec.on404 === 'unsupported') return missing({ reason: 'unsupported', detail: 'the server does not offer this endpoint (older version or feature not enabled)' });
    return missing({ reason: 'scope', detail: `needs ${spec.scope}` });
  }
  if (status === 403) {
    if (isRateLimited(reply)) return missing({ reason: 'rate-limit', detail: 'API rate limit exhausted' });
    if (reply.headers['x-github-sso'] || /SAML enforcement|SAML SSO/i.test(message)) return missing({ reason: 'sso', detail: 'the token is not authorised for the organisation\'s SAML single sign-on' });
    if (spec.planHint?.test(message) || /upgrade|plan|licen[cs]e|GitHub Advanced Security|not available/i.test(message)) return missing({ reason: 'plan', detail: `not available on this plan (${message || 'HTTP 403'})` });
    const accepted = reply.headers['x-accepted-oauth-scopes'];
    return missing({ reason: 'scope', detail: `needs ${accepted ? `scope ${accepted}` : spec.scope}` });
  }
  if (status === 410) return missing({ reason: 'unsupported', detail: `endpoint gone (${message || 'HTTP 410'})` });
  return missing({ reason: 'error', detail: `HTTP ${status}${message ? `: ${message}` : ''}` });
}

function withQuery(path: string, q: string): string {
  if (/[?&]per_page=/.test(path)) return path;
  return path.includes('?') ? `${path}&${q}` : `${path}?${q}`;
}

/** The next page as a path below the API base (so recording and replay key it the same way everywhere). */
export function nextPath(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!m) continue;
    const target = m[1]!;
    let url: URL;
    try {
      url = new URL(target, 'http://base.invalid');
    } catch {
      return undefined;
    }
    // Relative to the API base (GHES `/api/v3`, GitLab `/api/v4` prefixes dropped), so recording and
    // replay key pages the same way whatever the host. GitHub may answer `/organizations/ID/repos`.
    const prefixed = /^.*?\/api\/v[34](\/.*)$/.exec(url.pathname);
    return `${prefixed ? prefixed[1] : url.pathname}${url.search}`;
  }
  return undefined;
}
