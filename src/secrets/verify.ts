/**
 * `--verify`: asks the provider whether a found secret is live. One read-only request per
 * distinct secret, to the provider's own API (base URLs overridable for tests and self-hosted
 * instances), with a timeout, a concurrency limit and no redirects: a 3xx is "unknown", never
 * followed, so a secret is only ever sent to the host it belongs to.
 */
export type Verdict = 'live' | 'invalid' | 'unknown';

interface Provider {
  name: string;
  env: string;
  defaultBase: string;
  matches(secret: string, detectorId: string): boolean;
  check(base: string, secret: string, http: Http): Promise<Verdict>;
}

type Http = (url: string, init: { method?: string; headers: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

const UA = 'pipewarden-secrets-verify';

function byStatus(status: number, live: number[], invalid: number[]): Verdict {
  if (live.includes(status)) return 'live';
  if (invalid.includes(status)) return 'invalid';
  return 'unknown';
}

export const PROVIDERS: Provider[] = [
  {
    name: 'github',
    env: 'PIPEWARDEN_VERIFY_GITHUB_URL',
    defaultBase: 'https://api.github.com',
    matches: (s, id) => /^(?:gh[pousr]_|github_pat_)/.test(s) || id.startsWith('github-'),
    async check(base, secret, http) {
      const r = await http(`${base}/user`, { headers: { Authorization: `token ${secret}`, Accept: 'application/vnd.github+json', 'User-Agent': UA } });
      // 403 is a rate limit or an SSO block: it says nothing about the token itself.
      return byStatus(r.status, [200], [401]);
    },
  },
  {
    name: 'gitlab',
    env: 'PIPEWARDEN_VERIFY_GITLAB_URL',
    defaultBase: 'https://gitlab.com',
    matches: (s) => s.startsWith('glpat-'),
    async check(base, secret, http) {
      const headers = { 'PRIVATE-TOKEN': secret, 'User-Agent': UA };
      const r = await http(`${base}/api/v4/personal_access_tokens/self`, { headers });
      if (r.status === 200) {
        const body = (await r.json().catch(() => ({}))) as { active?: unknown; revoked?: unknown };
        return body.active === false || body.revoked === true ? 'invalid' : 'live';
      }
      if (r.status === 404) {
        // Instances older than GitLab 15.5 lack the endpoint.
        return byStatus((await http(`${base}/api/v4/user`, { headers })).status, [200], [401]);
      }
      return byStatus(r.status, [], [401]);
    },
  },
  {
    name: 'slack',
    env: 'PIPEWARDEN_VERIFY_SLACK_URL',
    defaultBase: 'https://slack.com/api',
    matches: (s) => /^xox[abposer]-/.test(s),
    async check(base, secret, http) {
      const r = await http(`${base}/auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'User-Agent': UA } });
      if (r.status !== 200) return 'unknown';
      const body = (await r.json().catch(() => ({}))) as { ok?: unknown; error?: unknown };
      if (body.ok === true) return 'live';
      const dead = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'];
      return typeof body.error === 'string' && dead.includes(body.error) ? 'invalid' : 'unknown';
    },
  },
  {
    name: 'stripe',
    env: 'PIPEWARDEN_VERIFY_STRIPE_URL',
    defaultBase: 'https://api.stripe.com',
    matches: (s) => /^[rs]k_(?:live|test)_/.test(s),
    async check(base, secret, http) {
      const auth = Buffer.from(`${secret}:`).toString('base64');
      const r = await http(`${base}/v1/balance`, { headers: { Authorization: `Basic ${auth}`, 'User-Agent': UA } });
      // 403: a restricted key without balance access is still a working key.
      return byStatus(r.status, [200, 403], [401]);
    },
  },
  {
    name: 'npm',
    env: 'PIPEWARDEN_VERIFY_NPM_URL',
    defaultBase: 'https://registry.npmjs.org',
    matches: (s) => /^npm_[A-Za-z0-9]{36}$/.test(s),
    async check(base, secret, http) {
      const r = await http(`${base}/-/whoami`, { headers: { Authorization: `Bearer ${secret}`, 'User-Agent': UA } });
      return byStatus(r.status, [200], [401, 403]);
    },
  },
  {
    name: 'openai',
    env: 'PIPEWARDEN_VERIFY_OPENAI_URL',
    defaultBase: 'https://api.openai.com',
    matches: (s, id) => (/^sk-(?!ant-)[A-Za-z0-9_-]{20,}$/.test(s) && !s.startsWith('sk-or-')) || id.startsWith('openai'),
    async check(base, secret, http) {
      const r = await http(`${base}/v1/models`, { headers: { Authorization: `Bearer ${secret}`, 'User-Agent': UA } });
      // 429 (quota or rate limit) is only ever returned to a key the API accepted.
      return byStatus(r.status, [200, 429], [401]);
    },
  },
  {
    name: 'rootly',
    env: 'PIPEWARDEN_VERIFY_ROOTLY_URL',
    defaultBase: 'https://api.rootly.com',
    matches: (s) => /^rootly_[a-f0-9]{64}$/.test(s),
    async check(base, secret, http) {
      // The caller's own user: read-only, and answered for every valid key whatever its role.
      const r = await http(`${base}/v1/users/me`, { headers: { Authorization: `Bearer ${secret}`, Accept: 'application/vnd.api+json', 'User-Agent': UA } });
      return byStatus(r.status, [200], [401]);
    },
  },
  {
    name: 'segment',
    env: 'PIPEWARDEN_VERIFY_SEGMENT_URL',
    defaultBase: 'https://api.segmentapis.com',
    matches: (s) => /^sgp_[A-Za-z0-9]{64}$/.test(s),
    async check(base, secret, http) {
      // `GET /` is the Public API's "get workspace": read-only.
      const r = await http(`${base}/`, { headers: { Authorization: `Bearer ${secret}`, Accept: 'application/json', 'User-Agent': UA } });
      // 403: a token whose role cannot read the workspace is still a working token.
      return byStatus(r.status, [200, 403], [401]);
    },
  },
];

export function providerFor(secret: string, detectorId: string): Provider | undefined {
  return PROVIDERS.find((p) => p.matches(secret, detectorId));
}

export interface VerifyOptions {
  timeoutMs?: number;
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
}

export interface VerifyItem {
  secret: string;
  detectorId: string;
}

export interface VerifyResult {
  verdict: Verdict;
  provider: string;
  /** The request failed (timeout, DNS, connection refused): offline, or the provider is down. */
  unreachable?: true;
}

/** Verdict and provider for each distinct secret; secrets without a provider are absent. */
export async function verifySecrets(items: VerifyItem[], opts: VerifyOptions = {}): Promise<Map<string, VerifyResult>> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? (Number(env.PIPEWARDEN_VERIFY_TIMEOUT_MS) || 10_000);
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const jobs = new Map<string, Provider>();
  for (const it of items) {
    if (jobs.has(it.secret)) continue;
    const p = providerFor(it.secret, it.detectorId);
    if (p) jobs.set(it.secret, p);
  }
  const out = new Map<string, VerifyResult>();
  const queue = [...jobs.entries()];
  const http = httpWithTimeout(timeoutMs);
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [secret, p] = job;
      let result: VerifyResult = { verdict: 'unknown', provider: p.name };
      const base = baseUrl(env[p.env], p.defaultBase);
      if (base) {
        try {
          result = { verdict: await p.check(base, secret, http), provider: p.name };
        } catch {
          // timeout, DNS, refused: we learned nothing about the secret
          result = { verdict: 'unknown', provider: p.name, unreachable: true };
        }
      }
      out.set(secret, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return out;
}

/** An http(s) override without trailing slash, or the default; undefined for a malformed override. */
function baseUrl(override: string | undefined, fallback: string): string | undefined {
  const raw = override?.trim() || fallback;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return raw.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function httpWithTimeout(timeoutMs: number): Http {
  return async (url, init) => {
    const res = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    // Always drain (bounded) so the connection is released; only Slack and GitLab look at the body.
    const text = await readBounded(res, 1 << 20);
    return { status: res.status, json: async () => JSON.parse(text) as unknown };
  };
}

async function readBounded(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}
