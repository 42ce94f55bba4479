import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/pipeline-variables-override', () => {
  it('reports: developers may override variables', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: developers can run pipelines in acme-gl/backend with their own variable values, overriding what jobs trust (registry URLs, scripts, feature flags)",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: only maintainers may', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').info.restrict_user_defined_variables = true; project(d, 'backend').info.ci_pipeline_variables_minimum_override_role = 'maintainer';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the settings are hidden', async () => {
    const d = await exampleGitlab();
    delete project(d, 'docs-site').info.restrict_user_defined_variables; delete project(d, 'docs-site').info.ci_pipeline_variables_minimum_override_role;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: developers can run pipelines in acme-gl/backend with their own variable values, overriding what jobs trust (registry URLs, scripts, feature flags)",
        ],
        "notEvaluated": [
          "acme-gl/docs-site: scope: needs read_api and the Maintainer role (pipeline variable settings not returned)",
        ],
      }
    `);
  });
});
