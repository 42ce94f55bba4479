import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/fork-pr-secrets-private', () => {
  it('reports: private-repository fork PRs get secrets', async () => {
    const d = await exampleGithub();
    value(d.forkPrPrivate)!.send_secrets_and_variables = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: fork pull request workflows in acme-widgets's private repositories receive secrets and variables: anyone who can fork gets them",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they get neither write tokens nor secrets', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: settings cannot be read', async () => {
    const d = await exampleGithub();
    d.forkPrPrivate = noScope(); repo(d, 'infra').forkPrPrivate = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
          "acme-widgets/infra: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
