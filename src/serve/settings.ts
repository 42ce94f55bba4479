/**
 * `pipewarden serve` settings: the `serve:` section of the config file for everything that is
 * not a secret, and the environment for every secret (the JSON Schema has no field that could
 * hold one, so a secret cannot end up in a committed file).
 */
import { SEVERITIES, type Severity } from '../core/finding.js';
import type { PipewardenConfig, ServeConfig } from '../config/types.js';

export const ENV = {
  githubSecret: 'PIPEWARDEN_GITHUB_WEBHOOK_SECRET',
  /** The secret being rotated out: both verify until this one is removed. */
  githubSecretPrevious: 'PIPEWARDEN_GITHUB_WEBHOOK_SECRET_PREVIOUS',
  gitlabToken: 'PIPEWARDEN_GITLAB_TOKEN',
  auditToken: 'PIPEWARDEN_AUDIT_STREAM_TOKEN',
  adminToken: 'PIPEWARDEN_ADMIN_TOKEN',
} as const;

/** GitHub caps a webhook payload at 25 MB (https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap). */
export const GITHUB_MAX_BODY = 25 * 1024 * 1024;

export interface Destination {
  name: string;
  type: 'slack' | 'webhook';
  url: string;
  /** HMAC-SHA256 key of the generic webhook (`X-Pipewarden-Signature-256`). */
  secret?: string;
  minSeverity: Severity;
}

export interface ServeSettings {
  host: string;
  port: number;
  githubSecrets: string[];
  gitlabTokens: string[];
  auditTokens: string[];
  adminToken?: string;
  /** Largest accepted body of a hook or audit batch (bytes, before decompression). */
  maxBodyBytes: number;
  /** Largest decompressed audit batch. */
  maxInflatedBytes: number;
  /** Base URL of the dashboard, for links in notifications. */
  publicUrl?: string;
  destinations: Destination[];
}

export class SettingsError extends Error {}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-f:]+)\]|([^:]+)):(\d{1,5})$/i.exec(value.trim()) ?? /^()()(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new SettingsError(`--listen: "${value}" is not HOST:PORT (e.g. 127.0.0.1:8080)`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

const secretsOf = (env: NodeJS.ProcessEnv, ...names: string[]): string[] => names.map((n) => env[n]).filter((v): v is string => typeof v === 'string' && v !== '');

export function serveSettings(config: PipewardenConfig, env: NodeJS.ProcessEnv, listen?: string): ServeSettings {
  const s: ServeConfig = config.serve ?? {};
  const where = parseListen(listen ?? s.listen ?? '127.0.0.1:8080');
  const destinations: Destination[] = [];
  for (const d of s.notify ?? []) {
    const url = d.url ?? (d['url-env'] ? env[d['url-env']] : undefined);
    if (!url) throw new SettingsError(`serve.notify "${d.name}": ${d['url-env'] ? `environment variable ${d['url-env']} is not set` : 'give url or url-env'}`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SettingsError(`serve.notify "${d.name}": the URL is not valid`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new SettingsError(`serve.notify "${d.name}": only http(s) URLs`);
    const secret = d['secret-env'] ? env[d['secret-env']] : undefined;
    if (d['secret-env'] && !secret) throw new SettingsError(`serve.notify "${d.name}": environment variable ${d['secret-env']} is not set`);
    if (d.type === 'webhook' && !secret) throw new SettingsError(`serve.notify "${d.name}": a generic webhook is signed; set secret-env`);
    const minSeverity = d['min-severity'] ?? 'high';
    if (!(SEVERITIES as readonly string[]).includes(minSeverity)) throw new SettingsError(`serve.notify "${d.name}": unknown severity ${minSeverity}`);
    destinations.push({ name: d.name, type: d.type, url, ...(secret && { secret }), minSeverity: minSeverity as Severity });
  }
  const names = destinations.map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new SettingsError(`serve.notify: two destinations are named "${dup}"`);
  return {
    ...where,
    githubSecrets: secretsOf(env, ENV.githubSecret, ENV.githubSecretPrevious),
    gitlabTokens: secretsOf(env, ENV.gitlabToken),
    auditTokens: secretsOf(env, ENV.auditToken),
    ...(env[ENV.adminToken] && { adminToken: env[ENV.adminToken] }),
    maxBodyBytes: Math.min((s['max-body-mb'] ?? 25) * 1024 * 1024, 100 * 1024 * 1024),
    maxInflatedBytes: 256 * 1024 * 1024,
    ...(s['public-url'] && { publicUrl: s['public-url'].replace(/\/+$/, '') }),
    destinations,
  };
}
