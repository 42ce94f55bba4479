import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/push-protection-off', () => {
  it('reports: secret scanning is on but push protection off', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: push protection is off for acme-widgets/api: a pushed credential is found after it is public, not blocked before",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: push protection is on', async () => {
    const d = await exampleGithub();
    repo(d, 'api').info.security_and_analysis!.secret_scanning_push_protection = { status: 'enabled' };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: security settings are hidden (not an admin)', async () => {
    const d = await exampleGithub();
    delete repo(d, 'api').info.security_and_analysis;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs admin on the repository (security_and_analysis is only shown to admins)",
        ],
      }
    `);
  });
});
