import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/org-sso-not-enforced', () => {
  it('reports: an Enterprise organisation has no SAML provider', async () => {
    const d = await exampleGithub();
    d.samlConfigured = ok(false);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: organisation acme-widgets has no SAML identity provider: access is not tied to the company's identity provider (if the enterprise enforces SAML for all organisations, disable this check)",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: SAML SSO is outside the plan (Team): not applicable, no finding and no note', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the provider cannot be read', async () => {
    const d = await exampleGithub();
    d.samlConfigured = noScope();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
        ],
      }
    `);
  });
});
