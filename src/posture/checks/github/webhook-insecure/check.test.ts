import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/webhook-insecure', () => {
  it('reports: a hook skips TLS verification and has no secret', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api high: webhook 3101 to ci.acme-widgets.example on acme-widgets/api: TLS certificate verification off; no secret, so the receiver cannot tell GitHub from a forger",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: TLS verification is on and a secret is set', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').hooks)[0]!.config = { url: 'https://ci.acme-widgets.example/x', insecure_ssl: '0', secret: '********' };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: hooks cannot be listed', async () => {
    const d = await exampleGithub();
    repo(d, 'api').hooks = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
