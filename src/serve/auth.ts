/**
 * API authentication: `Authorization: Bearer <token>`; tokens are stored as SHA-256 only, the
 * first admin token comes from PIPEWARDEN_ADMIN_TOKEN. Roles are ordered: a responder can do what
 * a viewer can, an admin what a responder can.
 */
import { randomBytes } from 'node:crypto';
import type { ApiToken, Role, ServeStore } from '../store/serve-store.js';
import { tokenHash } from './signature.js';

const RANK: Record<Role, number> = { viewer: 1, responder: 2, admin: 3 };

export function allows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** A new API token: 256 random bits, prefixed so secret scanners (ours included) can recognise it. */
export function newToken(): string {
  return `pwt_${randomBytes(32).toString('base64url')}`;
}

export const ADMIN_TOKEN_NAME = 'admin (PIPEWARDEN_ADMIN_TOKEN)';

export class Authenticator {
  private readonly cache = new Map<string, { token: ApiToken | undefined; until: number }>();

  constructor(private readonly store: ServeStore) {}

  /** Registers the environment's admin token (idempotent: its hash is unique). */
  async bootstrap(adminToken: string | undefined): Promise<void> {
    if (!adminToken) return;
    await this.store.createToken({ name: ADMIN_TOKEN_NAME, role: 'admin', hash: tokenHash(adminToken), createdBy: 'environment' });
  }

  /**
   * The token a request presents, if valid and not revoked. Lookups are by hash (an index
   * lookup, so no comparison on the secret itself); results are cached for a few seconds, and
   * revocation clears the cache.
   */
  async authenticate(header: string | undefined): Promise<ApiToken | undefined> {
    const m = header === undefined ? null : /^Bearer\s+(\S{16,512})$/i.exec(header.trim());
    if (!m) return undefined;
    const hash = tokenHash(m[1]!);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.token;
    const token = await this.store.tokenByHash(hash);
    const valid = token && token.revokedAt === null ? token : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { token: valid, until: now + 5_000 });
    if (valid && (valid.lastUsedAt === null || now - valid.lastUsedAt > 60_000)) await this.store.touchToken(valid.id).catch(() => undefined);
    return valid;
  }

  forget(): void {
    this.cache.clear();
  }
}
