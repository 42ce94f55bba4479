import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import type { CredentialAuthorization } from '../../../github/model.js';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// The example organisation is on the Team plan (no SAML), so cases that need credentials set them.
function credential(over: Partial<CredentialAuthorization>): CredentialAuthorization {
  return {
    login: 'bob-dev',
    credential_id: 161195,
    credential_type: 'personal access token',
    credential_authorized_at: '2025-01-10T09:00:00Z',
    credential_accessed_at: '2026-11-28T10:00:00Z',
    authorized_credential_title: 'deploy scripts',
    authorized_credential_expires_at: '2027-03-01T00:00:00Z',
    scopes: ['repo', 'read:org'],
    ...over,
  };
}

describe('github posture/classic-pat-access', () => {
  it('not applicable without SAML single sign-on (the example organisation is on the Team plan): GitHub keeps no list to read', async () => {
    const d = await exampleGithub();
    expect(d.credentialAuthorizations).toEqual({
      ok: false,
      why: { reason: 'plan', detail: 'the list of classic tokens that reach the organisation needs GitHub Enterprise Cloud with SAML single sign-on' },
    });
    expect(evaluate(check, d)).toEqual({ findings: [], notEvaluated: [] });
  });

  it('not evaluated: an Enterprise Cloud organisation whose credential list the token cannot read', async () => {
    const d = await exampleGithub();
    d.credentialAuthorizations = noScope('admin:org (organisation owner; fine-grained: Administration read)');
    expect(evaluate(check, d)).toEqual({
      findings: [],
      notEvaluated: ['acme-widgets: scope: needs admin:org (organisation owner; fine-grained: Administration read)'],
    });
  });

  it('reports each classic token with a write scope; high when it never expires and can change workflows', async () => {
    const d = await exampleGithub();
    d.credentialAuthorizations = ok([
      credential({ credential_id: 170002, login: 'alice-ops', scopes: ['workflow', 'repo', 'gist'], authorized_credential_expires_at: null, authorized_credential_title: 'laptop' }),
      credential({}),
      credential({ credential_id: 170003, login: 'carol-sec', scopes: ['read:org', 'read:packages'] }),
      credential({ credential_id: 170004, credential_type: 'SSH key', scopes: [] }),
      credential({ credential_id: 170005, login: 'dave-old', scopes: ['write:packages'], credential_accessed_at: '2026-01-05T00:00:00Z', authorized_credential_title: null, authorized_credential_note: 'npm publish' }),
    ]);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: classic token "deploy scripts" (credential 161195) of bob-dev is authorised for acme-widgets with scopes repo: a classic token reaches every repository its owner can, in every organisation, and needs no approval; restrict classic tokens and move to fine-grained ones",
          "acme-widgets high: classic token "laptop" (credential 170002) of alice-ops is authorised for acme-widgets with scopes repo, workflow; it never expires: a classic token reaches every repository its owner can, in every organisation, and needs no approval; restrict classic tokens and move to fine-grained ones",
          "acme-widgets medium: classic token "npm publish" (credential 170005) of dave-old is authorised for acme-widgets with scopes write:packages; it has not been used for 329 days: a classic token reaches every repository its owner can, in every organisation, and needs no approval; restrict classic tokens and move to fine-grained ones",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: only read scopes and SSH keys', async () => {
    const d = await exampleGithub();
    d.credentialAuthorizations = ok([credential({ scopes: ['read:org', 'read:user'] }), credential({ credential_id: 2, credential_type: 'SSH key', scopes: [] })]);
    expect(evaluate(check, d)).toEqual({ findings: [], notEvaluated: [] });
  });
});
