import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/org-2fa-not-required', () => {
  it('reports: 2FA is not required', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl high: group acme-gl does not require two-factor authentication: a phished password is enough to push code and run pipelines",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: 2FA is required', async () => {
    const d = await exampleGitlab();
    value(d.info).require_two_factor_authentication = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the field is not returned', async () => {
    const d = await exampleGitlab();
    delete value(d.info).require_two_factor_authentication;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl: scope: needs read_api with the Owner role (require_two_factor_authentication not returned)",
        ],
      }
    `);
  });
});
