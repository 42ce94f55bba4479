import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/org-base-permission', () => {
  it('reports: the base permission is write (and admin is critical)', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: every member of acme-widgets has write access to every repository (base permission "write"): any member account can push to any pipeline",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the base permission is read', async () => {
    const d = await exampleGithub();
    value(d.info).default_repository_permission = 'read';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the field is hidden (not an owner)', async () => {
    const d = await exampleGithub();
    delete value(d.info).default_repository_permission;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org (only owners see default_repository_permission)",
        ],
      }
    `);
  });
});
