import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Pins: the commit SHA a ref of an action repository points to. `fix` resolves every
 * `owner/repo@ref` an unpinned-uses finding names through a PinResolver, then hands the SHAs to
 * the rule (option `pins`) so it can offer the exact edit.
 *
 * Lock file (`--pins FILE`), JSON or YAML, one map from `owner/repo@ref` to a 40-hex SHA:
 *
 *   actions/checkout@v4: 11bd71901bbe5b1630ceea73d27597364c9af683
 *   "actions/setup-node@v4": "39370e3970a6d050c480ffad4ff0ed4d3fdee5af"
 *
 * Owner and repository names match case-insensitively; refs exactly. A sub-path action
 * (`github/codeql-action/init@v3`) is pinned by its repository's key (`github/codeql-action@v3`).
 */

/** Resolves a ref of a repository to a commit SHA; undefined when it does not know. */
export type PinResolver = (owner: string, repo: string, ref: string) => Promise<string | undefined>;

export class PinsFileError extends Error {}

export function pinKey(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

const KEY_RE = /^([^/\s@]+)\/([^/\s@]+)@(\S+)$/;
const SHA_RE = /^[0-9a-f]{40}$/i;

/** Parses a pins lock file's text; errors name the file and the offending key. */
export function parsePins(text: string, file: string): Map<string, string> {
  let data: unknown;
  try {
    data = parse(text, { version: '1.2', uniqueKeys: true, maxAliasCount: 0 });
  } catch (e) {
    throw new PinsFileError(`${file}: not valid JSON or YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (data === null || data === undefined) return new Map();
  if (typeof data !== 'object' || Array.isArray(data)) throw new PinsFileError(`${file}: expected a mapping of owner/repo@ref to a commit SHA`);
  const out = new Map<string, string>();
  for (const [key, sha] of Object.entries(data as Record<string, unknown>)) {
    const m = KEY_RE.exec(key);
    if (!m) throw new PinsFileError(`${file}: "${key}" is not owner/repo@ref`);
    if (typeof sha !== 'string' || !SHA_RE.test(sha)) throw new PinsFileError(`${file}: "${key}" must map to a 40-character commit SHA`);
    out.set(pinKey(m[1]!, m[2]!, m[3]!), sha.toLowerCase());
  }
  return out;
}

export function readPinsFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PinsFileError(`cannot read pins file ${path}`);
  }
  return parsePins(text, path);
}

/** A resolver answering from a lock file's map (offline). */
export function pinsFileResolver(pins: ReadonlyMap<string, string>): PinResolver {
  return (owner, repo, ref) => Promise.resolve(pins.get(pinKey(owner, repo, ref)));
}

/** First resolver that knows the answer wins (e.g. lock file, then an online client). */
export function chainResolvers(...resolvers: PinResolver[]): PinResolver {
  return async (owner, repo, ref) => {
    for (const r of resolvers) {
      const sha = await r(owner, repo, ref);
      if (sha && SHA_RE.test(sha)) return sha.toLowerCase();
    }
    return undefined;
  };
}
