import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/outside-collaborator-write', () => {
  it('reports: an outside collaborator can push', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/infra medium: outside collaborator contractor-jo has write access to acme-widgets/infra: someone outside the organisation's 2FA, SSO and offboarding can change its code and workflows",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they can only read', async () => {
    const d = await exampleGithub();
    value(repo(d, 'infra').outsideCollaborators)[0]!.permissions = { pull: true };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: collaborators cannot be listed', async () => {
    const d = await exampleGithub();
    repo(d, 'infra').outsideCollaborators = noScope('write access to the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/infra: scope: needs write access to the repository",
        ],
      }
    `);
  });
});
