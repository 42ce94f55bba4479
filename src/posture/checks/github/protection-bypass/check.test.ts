import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/protection-bypass', () => {
  it('reports: admins are not included (classic) and a ruleset lets a role bypass always', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: protection of main in acme-widgets/api can be bypassed by repository admins (classic protection does not include administrators): one privileged account can push unreviewed changes",
          "acme-widgets/infra medium: protection of main in acme-widgets/infra can be bypassed by RepositoryRole 5 (bypass ruleset "main protection"): one privileged account can push unreviewed changes",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: admins are included and bypass is for pull requests only', async () => {
    const d = await exampleGithub();
    classic(d, 'api').enforce_admins = { enabled: true }; value(repo(d, 'infra').rulesets)[0]!.bypass_actors![0]!.bypass_mode = 'pull_request';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: ruleset bypass actors cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'infra').rulesets = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: protection of main in acme-widgets/api can be bypassed by repository admins (classic protection does not include administrators): one privileged account can push unreviewed changes",
        ],
        "notEvaluated": [
          "acme-widgets/infra: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
