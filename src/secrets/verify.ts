/**
 * `--verify`: asks the provider whether a found secret is live. One read-only request per
 * distinct secret, to the provider's own API (base URLs overridable for tests and self-hosted
 * instances), with a timeout, a concurrency limit and no redirects: a 3xx is "unknown", never
 * followed, so a secret is only ever sent to the host it belongs to.
 */
import { cdpJwt } from './validators/coinbase.js';

export type Verdict = 'live' | 'invalid' | 'unknown';

interface Provider {
  name: string;
  /** The detectors whose findings it verifies (the docs table's `--verify` column; verify.test.ts checks them). */
  detectors: readonly string[];
  env: string;
  /** The provider's API; a function when it depends on a fact found with the secret (an account host). */
  defaultBase: string | ((props: Facts) => string | undefined);
  matches(secret: string, detectorId: string, props: Facts): boolean;
  check(base: string, secret: string, http: Http, props: Facts): Promise<Verdict>;
}

/** Safe facts a detector found next to the secret (finding properties: `host`, `keyName`...). */
type Facts = Readonly<Record<string, string | number | boolean | undefined>>;

export type Http = (url: string, init: { method?: string; headers: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

const UA = 'pipewarden-secrets-verify';

/** A CDP key name: `organizations/<uuid>/apiKeys/<uuid>` (EC keys) or a bare key id (Ed25519 keys). */
const CDP_KEY_NAME = /^(?:organizations\/[0-9a-f-]{36}\/apiKeys\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function byStatus(status: number, live: number[], invalid: number[]): Verdict {
  if (live.includes(status)) return 'live';
  if (invalid.includes(status)) return 'invalid';
  return 'unknown';
}

export const PROVIDERS: Provider[] = [
  {
    name: 'github',
    detectors: ['github-pat-classic', 'github-oauth-token', 'github-user-to-server-token', 'github-server-to-server-token', 'github-refresh-token', 'github-fine-grained-pat'],
    env: 'PIPEWARDEN_VERIFY_GITHUB_URL',
    defaultBase: 'https://api.github.com',
    // By the token's own prefix only: `github-oauth-app-secret` is an OAuth app's client secret
    // (40 hex), which GET /user would reject with 401 however live it is.
    matches: (s) => /^(?:gh[pousr]_|github_pat_)/.test(s),
    async check(base, secret, http) {
      const r = await http(`${base}/user`, { headers: { Authorization: `token ${secret}`, Accept: 'application/vnd.github+json', 'User-Agent': UA } });
      // 403 is a rate limit or an SSO block: it says nothing about the token itself.
      return byStatus(r.status, [200], [401]);
    },
  },
  {
    name: 'gitlab',
    detectors: ['gitlab-pat'],
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
    detectors: ['slack-bot-token', 'slack-user-token', 'slack-legacy-token'],
    env: 'PIPEWARDEN_VERIFY_SLACK_URL',
    defaultBase: 'https://slack.com/api',
    // Not `xoxe-` configuration refresh tokens: they only buy new configuration tokens
    // (tooling.tokens.rotate), so auth.test would call a live one invalid.
    matches: (s) => /^xox[abpors]-/.test(s),
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
    detectors: ['stripe-secret-key', 'stripe-restricted-key', 'stripe-test-key'],
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
    detectors: ['npm-access-token'],
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
    detectors: ['openai-api-key', 'openai-project-key', 'openai-service-account-key', 'openai-admin-key'],
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
    detectors: ['rootly-api-key'],
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
    detectors: ['segment-public-api-token'],
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
  {
    // The credential is the `key:secret` pair of the `sso-key` header (the detector reports both).
    name: 'godaddy',
    detectors: ['godaddy-api-key'],
    env: 'PIPEWARDEN_VERIFY_GODADDY_URL',
    defaultBase: 'https://api.godaddy.com',
    matches: (s, id) => id === 'godaddy-api-key' && /^[A-Za-z0-9_]{20,64}:[A-Za-z0-9_]{16,64}$/.test(s),
    async check(base, secret, http) {
      // Lists the account's domains: read-only. Since 2024 GoDaddy answers 403 to accounts with
      // too few domains for the Domains API; whether that comes before or after checking the key
      // is not documented, so 403 says nothing. A production endpoint answers 401 to a key made
      // for the OTE test environment too: "invalid" keeps the severity (see run.ts).
      const r = await http(`${base}/v1/domains?limit=1`, { headers: { Authorization: `sso-key ${secret}`, Accept: 'application/json', 'User-Agent': UA } });
      return byStatus(r.status, [200], [401]);
    },
  },
  {
    name: 'checkly',
    detectors: ['checkly-api-key'],
    env: 'PIPEWARDEN_VERIFY_CHECKLY_URL',
    defaultBase: 'https://api.checklyhq.com',
    matches: (s) => /^cu_[a-f0-9]{32}$/.test(s),
    async check(base, secret, http) {
      // "Fetch user accounts" (documented as beta): the accounts the key's user belongs to,
      // read-only, and asked without the `X-Checkly-Account` header the other endpoints want
      // (the scanner does not know the account id).
      const r = await http(`${base}/v1/accounts`, { headers: { Authorization: `Bearer ${secret}`, Accept: 'application/json', 'User-Agent': UA } });
      return byStatus(r.status, [200], [401]);
    },
  },
  {
    // Only when the Terraform CLI credentials block names the account host (`<account>.scalr.io`):
    // a bare `SCALR_TOKEN` does not say where it works.
    name: 'scalr',
    detectors: ['scalr-cli-credentials'],
    env: 'PIPEWARDEN_VERIFY_SCALR_URL',
    defaultBase: (props) => {
      const host = typeof props.host === 'string' ? props.host.toLowerCase() : '';
      return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.scalr\.io$/.test(host) ? `https://${host}` : undefined;
    },
    matches: (_s, id) => id === 'scalr-cli-credentials',
    async check(base, secret, http) {
      // Scalr documents 401 only for a missing or invalid token, and 404 for a valid token
      // without permission on the resource: both 200 and 404 mean the token works.
      const r = await http(`${base}/api/iacp/v3/environments?page%5Bsize%5D=1`, { headers: { Authorization: `Bearer ${secret}`, Accept: 'application/vnd.api+json', Prefer: 'profile=preview', 'User-Agent': UA } });
      return byStatus(r.status, [200, 404], [401]);
    },
  },
  {
    // The secret is a private key: it is never sent. A JWT signed with it (2 minutes, bound to
    // this one GET) is, exactly as the CDP SDKs do; the key name comes from the key file or the
    // `CDP_API_KEY_ID` next to it, without which nothing is asked.
    name: 'coinbase',
    detectors: ['coinbase-cdp-api-key', 'coinbase-cdp-ed25519-key'],
    env: 'PIPEWARDEN_VERIFY_COINBASE_URL',
    defaultBase: 'https://api.cdp.coinbase.com',
    matches: (_s, id, props) => (id === 'coinbase-cdp-api-key' || id === 'coinbase-cdp-ed25519-key') && typeof props.keyName === 'string' && CDP_KEY_NAME.test(props.keyName),
    async check(base, secret, http, props) {
      const name = String(props.keyName);
      const ask = async (api: 'cdp' | 'app', at: string, path: string, query: string): Promise<number | undefined> => {
        const url = new URL(at);
        const full = `${url.pathname.replace(/\/+$/, '')}${path}`;
        const jwt = cdpJwt(secret, name, { api, method: 'GET', host: url.host, path: full });
        if (!jwt) return undefined;
        return (await http(`${at}${path}${query}`, { headers: { Authorization: `Bearer ${jwt}`, Accept: 'application/json', 'User-Agent': UA } })).status;
      };
      // Lists the project's EVM accounts (read-only). 403: a working key without that scope.
      const cdp = await ask('cdp', base, '/platform/v2/evm/accounts', '?pageSize=1');
      if (cdp === undefined) return 'unknown';
      if (cdp !== 401 || !name.startsWith('organizations/')) return byStatus(cdp, [200, 403], [401]);
      // An EC key made for the Coinbase App (Advanced Trade) APIs: ask for its own permissions
      // (read-only) at api.coinbase.com, or at the same override. Invalid only if both refuse it.
      const app = await ask('app', base === 'https://api.cdp.coinbase.com' ? 'https://api.coinbase.com' : base, '/api/v3/brokerage/key_permissions', '');
      return byStatus(app ?? 0, [200, 403], [401]);
    },
  },
];

/**
 * Detectors deliberately left without a verifier, and why (the docs table says "not verifiable";
 * src/secrets/README.md gives the reasons at length).
 */
export const UNVERIFIABLE: Readonly<Record<string, string>> = {
  'scalr-token': 'no account host next to the token',
  'snowflake-password': 'needs the account and user; only a login checks it',
  'snowflake-connection-uri': 'only a login checks it',
  'couchbase-password': 'only a login to the cluster checks it',
  'couchbase-connection-uri': 'only a login to the cluster checks it',
  'checkout-secret-key': 'no scope-free read-only request',
  'checkout-sandbox-secret-key': 'no scope-free read-only request',
  'checkout-legacy-secret-key': 'no scope-free read-only request',
};

export function providerFor(secret: string, detectorId: string, props: Facts = {}): Provider | undefined {
  return PROVIDERS.find((p) => p.matches(secret, detectorId, props));
}

export interface VerifyOptions {
  timeoutMs?: number;
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  /** Replaces the network (tests: to see which URL a provider would be asked, without asking it). */
  http?: Http;
}

export interface VerifyItem {
  secret: string;
  detectorId: string;
  /** The finding's safe properties; some providers need one (Scalr: the account `host`). */
  properties?: Facts;
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
  const jobs = new Map<string, [Provider, Facts]>();
  for (const it of items) {
    if (jobs.has(it.secret)) continue;
    const props = it.properties ?? {};
    const p = providerFor(it.secret, it.detectorId, props);
    if (p) jobs.set(it.secret, [p, props]);
  }
  const out = new Map<string, VerifyResult>();
  const queue = [...jobs.entries()];
  const http = opts.http ?? httpWithTimeout(timeoutMs);
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [secret, [p, props]] = job;
      let result: VerifyResult = { verdict: 'unknown', provider: p.name };
      const fallback = typeof p.defaultBase === 'string' ? p.defaultBase : p.defaultBase(props);
      const base = baseUrl(env[p.env], fallback);
      if (base) {
        try {
          result = { verdict: await p.check(base, secret, http, props), provider: p.name };
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
function baseUrl(override: string | undefined, fallback: string | undefined): string | undefined {
  const raw = override?.trim() || fallback;
  if (!raw) return undefined;
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
