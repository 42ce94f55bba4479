import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/repo-secret-single-environment', () => {
  it('reports: repository secrets only one environment\'s jobs use', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: repository secret DEPLOY_KEY of acme-widgets/api is only used by jobs deploying to production: stored at repository level, any workflow on any branch can read it; move it to the production environment",
          "acme-widgets/infra medium: repository secret TF_TOKEN of acme-widgets/infra is only used by jobs deploying to prod: stored at repository level, any workflow on any branch can read it; move it to the prod environment",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: there are no repository secrets', async () => {
    const d = await exampleGithub();
    repo(d, 'api').secrets = ok([]); repo(d, 'infra').secrets = ok([]);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: secrets cannot be listed', async () => {
    const d = await exampleGithub();
    repo(d, 'api').secrets = noScope('write access to the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/infra medium: repository secret TF_TOKEN of acme-widgets/infra is only used by jobs deploying to prod: stored at repository level, any workflow on any branch can read it; move it to the prod environment",
        ],
        "notEvaluated": [
          "acme-widgets/api: scope: needs write access to the repository",
        ],
      }
    `);
  });
});
