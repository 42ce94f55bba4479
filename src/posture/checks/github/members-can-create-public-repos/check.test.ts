import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/members-can-create-public-repos', () => {
  it('reports: members can create public repositories', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets low: any member of acme-widgets can create a public repository: code, workflow logs and artifacts can be published without review",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they cannot', async () => {
    const d = await exampleGithub();
    value(d.info).members_can_create_public_repositories = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the field is hidden (not an owner)', async () => {
    const d = await exampleGithub();
    delete value(d.info).members_can_create_public_repositories;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org (only owners see members_can_create_public_repositories)",
        ],
      }
    `);
  });
});
