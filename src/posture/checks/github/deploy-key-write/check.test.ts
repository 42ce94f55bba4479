import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/deploy-key-write', () => {
  it('reports: a deploy key can push', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: deploy key "ci-pusher" can push to acme-widgets/api, bypassing pull requests and tied to no person or expiry",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the key is read-only', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').deployKeys)[0]!.read_only = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: keys cannot be listed', async () => {
    const d = await exampleGithub();
    repo(d, 'api').deployKeys = noScope('admin on the repository');
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
