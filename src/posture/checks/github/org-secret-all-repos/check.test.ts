import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/org-secret-all-repos', () => {
  it('reports: an organisation secret is visible to every repository', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: organisation secret NPM_TOKEN is available to every repository of acme-widgets: any workflow in any of them (and any new repository) can read it; select the repositories that need it",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: secrets are limited to selected repositories', async () => {
    const d = await exampleGithub();
    value(d.secrets)[0]!.visibility = 'selected';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: secrets cannot be listed', async () => {
    const d = await exampleGithub();
    d.secrets = noScope();
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
