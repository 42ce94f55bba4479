import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/org-2fa-not-required', () => {
  it('reports: 2FA is not required', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: organisation acme-widgets lets members without two-factor authentication push code and change pipelines",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: 2FA is required', async () => {
    const d = await exampleGithub();
    value(d.info).two_factor_requirement_enabled = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the field is hidden (not an owner)', async () => {
    const d = await exampleGithub();
    delete value(d.info).two_factor_requirement_enabled;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org (only owners see two_factor_requirement_enabled)",
        ],
      }
    `);
  });
});
