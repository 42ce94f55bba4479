import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/webhook-insecure', () => {
  it('reports: a hook skips TLS verification', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: webhook 81 to ci.acme-gl.example on acme-gl/backend: TLS certificate verification off: event payloads (and the secret token header) can be read or forged in transit",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: verification is on', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').hooks)[0]!.enable_ssl_verification = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: hooks cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').hooks = noScope('the Maintainer role');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/backend: scope: needs the Maintainer role",
        ],
      }
    `);
  });
});
