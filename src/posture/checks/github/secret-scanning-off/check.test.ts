import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/secret-scanning-off', () => {
  it('reports: secret scanning is off', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/infra medium: secret scanning is off for acme-widgets/infra: credentials committed to it, or printed by its workflows, go unnoticed",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it is on', async () => {
    const d = await exampleGithub();
    repo(d, 'infra').info.security_and_analysis!.secret_scanning = { status: 'enabled' };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: security settings are hidden (not an admin)', async () => {
    const d = await exampleGithub();
    delete repo(d, 'infra').info.security_and_analysis;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/infra: scope: needs admin on the repository (security_and_analysis is only shown to admins)",
        ],
      }
    `);
  });
});
