import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/runner-not-ephemeral', () => {
  it('reports: a runner is persistent', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: self-hosted runner "build-box-1" is persistent: one job can leave a backdoor, a poisoned cache or stolen credentials for the next job on it",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it is ephemeral', async () => {
    const d = await exampleGithub();
    value(d.runners)[0]!.ephemeral = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the server does not say (older GHES)', async () => {
    const d = await exampleGithub();
    delete value(d.runners)[0]!.ephemeral;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: unsupported: the API does not report whether runners are ephemeral",
        ],
      }
    `);
  });
});
