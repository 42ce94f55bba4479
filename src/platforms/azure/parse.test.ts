import { describe, expect, it } from 'vitest';
import { yaml } from '../../audits/github/testing.js';
import { buildAzureModel, isAzureEntryPath, resolvePath, type AzureReader } from './parse.js';
import { loggingCommands } from './scripts.js';

function build(files: Record<string, string>) {
  const read: AzureReader = (p) => (files[p] === undefined ? { error: 'no such file' } : { file: { path: p, repoPath: p, text: files[p]! } });
  const entries = Object.keys(files).filter(isAzureEntryPath).map((p) => ({ path: p, repoPath: p, text: files[p]! }));
  return buildAzureModel(entries, read);
}

describe('azure parse', () => {
  it('reads triggers: default, none, lists and filters', () => {
    const t = (text: string) => {
      const p = build({ 'azure-pipelines.yml': text + '\nsteps:\n  - script: x\n' }).model.pipelines[0]!;
      return [p.trigger.kind, p.trigger.branches.join(','), p.trigger.tags, p.pr.kind];
    };
    expect(t('')).toEqual(['default', '*', true, 'default']);
    expect(t('trigger: none\npr: none')).toEqual(['none', '', false, 'none']);
    expect(t('trigger: [main, release/*]')).toEqual(['filtered', 'main,release/*', false, 'default']);
    expect(t('trigger:\n  branches:\n    include: [main]\n  tags:\n    include: [v*]')).toEqual(['filtered', 'main', true, 'default']);
    expect(t('trigger:\n  tags:\n    include: [v*]')).toEqual(['filtered', '', true, 'default']);
  });

  it('collects deployment strategy hooks in order and deployment environments', () => {
    const { model, problems } = build({
      'azure-pipelines.yml': yaml`
        jobs:
          - deployment: web
            environment:
              name: prod.vm1
            strategy:
              canary:
                preDeploy:
                  steps: [{ script: pre }]
                deploy:
                  steps: [{ script: deploy }]
                on:
                  failure:
                    steps: [{ script: rollback }]
      `,
    });
    expect(problems).toEqual([]);
    const job = model.pipelines[0]!.stages[0]!.jobs[0]!;
    expect([job.kind, job.strategy, job.environment?.name]).toEqual(['deployment', 'canary', 'prod']);
    expect(job.steps.map((s) => String(s.script?.value))).toEqual(['pre', 'deploy', 'rollback']);
  });

  it('expands ${{ if }} and ${{ each }} insertions, step-list parameters and extends templates', () => {
    const { model, problems } = build({
      'azure-pipelines.yml': yaml`
        extends:
          template: base.yml
          parameters:
            buildSteps:
              - script: user step
      `,
      'base.yml': yaml`
        parameters:
          - name: buildSteps
            type: stepList
            default: []
        variables:
          - template: vars.yml
        jobs:
          - job: build
            steps:
              - \${{ if eq(variables['Build.Reason'], 'PullRequest') }}:
                - script: pr only
              - \${{ each step in parameters.buildSteps }}:
                - \${{ step }}
              - script: last
      `,
      'vars.yml': yaml`
        variables:
          shared: value
      `,
    });
    expect(problems).toEqual([]);
    const p = model.pipelines[0]!;
    const steps = p.stages[0]!.jobs[0]!.steps;
    expect(steps.map((s) => [String(s.script?.value), s.ctx.source.path, s.ctx.guards.length])).toEqual([
      ['pr only', 'base.yml', 1],
      ['user step', 'azure-pipelines.yml', 0],
      ['last', 'base.yml', 0],
    ]);
    expect(p.variables.map((v) => [v.name, v.ctx.source.path])).toEqual([['shared', 'vars.yml']]);
    expect(p.extends?.repoPath).toBe('base.yml');
  });

  it('records external templates without reading them', () => {
    const { model, problems } = build({
      'azure-pipelines.yml': yaml`
        resources:
          repositories:
            - repository: t
              type: github
              name: o/t
        stages:
          - template: stages.yml@t
      `,
    });
    expect(problems).toEqual([]);
    expect(model.pipelines[0]!.templates.map((t) => [t.kind, t.repoAlias, t.raw])).toEqual([['external', 't', 'stages.yml@t']]);
  });

  it('resolves path@self from the repository root, a plain path from the including file', () => {
    const { model, problems } = build({
      'ci/azure-pipelines.yml': yaml`
        steps:
          - template: ./ci/steps/a.yml@self
          - template: steps/a.yml
          - template: steps/a.yml@self
      `,
      'ci/steps/a.yml': 'steps:\n  - script: echo a\n',
    });
    expect(model.pipelines[0]!.templates.map((t) => [t.kind, t.raw, t.repoPath])).toEqual([
      ['local', './ci/steps/a.yml@self', 'ci/steps/a.yml'],
      ['local', 'steps/a.yml', 'ci/steps/a.yml'],
      ['local', 'steps/a.yml@self', 'steps/a.yml'],
    ]);
    expect(problems.map((p) => `${p.location.startLine} ${p.message}`)).toEqual(['4 template "steps/a.yml@self" cannot be read (steps/a.yml): no such file']);
  });

  it('resolves template paths against the including file and refuses to leave the repository', () => {
    expect(resolvePath('ci/azure-pipelines.yml', 'templates/a.yml')).toBe('ci/templates/a.yml');
    expect(resolvePath('ci/x/main.yml', '../b.yml')).toBe('ci/b.yml');
    expect(resolvePath('ci/main.yml', '/t/c.yml')).toBe('t/c.yml');
    expect(resolvePath('main.yml', '../x.yml')).toBeUndefined();
  });

  it('parses logging commands and their message', () => {
    const v = 'echo "##vso[task.setvariable variable=a;isOutput=true]$X" && echo done';
    const [c] = loggingCommands(v);
    expect(c!.command).toBe('task.setvariable');
    expect(c!.props.get('isoutput')).toBe('true');
    expect(v.slice(c!.valueStart, c!.valueEnd)).toBe('$X');
  });
});
