/**
 * Entry points for the commands: build a client from the environment, prefetch facts for an
 * audit, resolve pins for `fix`. Imported lazily by the CLI only when `--online` is given, so
 * offline runs never load (or reach) any of this.
 */
import type { Diagnostic } from '../core/finding.js';
import type { PipewardenConfig } from '../config/types.js';
import { apiBaseUrl, GithubClient, resolveToken } from './github-client.js';
import { prefetch, usesOfFiles, type FileToScan } from './prefetch.js';
import type { OnlineFacts } from './facts.js';

export interface ClientSetup {
  client: GithubClient;
  diagnostics: Diagnostic[];
}

/** A client for `--gh-hostname HOST` (GHES) or github.com, with the token from the environment or `gh`. */
export async function createClient(hostname?: string): Promise<ClientSetup> {
  const baseUrl = apiBaseUrl(hostname); // throws for a malformed host name (a usage error)
  const token = await resolveToken(hostname);
  const diagnostics: Diagnostic[] = token.note ? [{ level: 'note', message: `--online: ${token.note}` }] : [];
  return { client: new GithubClient({ baseUrl, ...(token.token ? { token: token.token } : {}) }), diagnostics };
}

/** What `audit --online` runs before the rules: list the `uses:` of the files, fetch the facts. */
export async function prefetchForAudit(
  groups: readonly (readonly FileToScan[])[],
  config: PipewardenConfig,
  opts: { hostname?: string; maxBytes: number },
): Promise<{ facts: OnlineFacts; diagnostics: Diagnostic[] }> {
  const { client, diagnostics } = await createClient(opts.hostname);
  const uses = usesOfFiles(groups, opts.maxBytes);
  const policy = config.rules['unpinned-uses']?.options?.policy;
  const result = await prefetch(client, uses, policy && typeof policy === 'object' && !Array.isArray(policy) ? { usesPolicy: policy as Record<string, unknown> } : {});
  return { facts: result.facts, diagnostics: [...diagnostics, ...result.diagnostics] };
}
