import { describe, expect, it } from 'vitest';
import { memoryReader, yaml } from '../../audits/azure/testing.js';
import type { RelatedLocation } from '../../core/finding.js';
import type { AzureModel, Step } from './model.js';
import { buildAzureModel, isAzureEntryPath } from './parse.js';
import { envNameOf, findVariable, originsOfEnv, originsOfParameter, originsOfVariable, taintOfText, type Scope, type TaintOrigin } from './taint.js';

/*
 * The taint functions of taint.ts called directly, with every field of every origin and every
 * hop of its chain (the rule tests only see the worst origin's message). Expected values are
 * written out by hand from Azure's rules, not computed.
 */

function load(files: Record<string, string>): AzureModel {
  const entries = Object.entries(files)
    .filter(([p]) => isAzureEntryPath(p))
    .map(([path, text]) => ({ path, repoPath: path, text }));
  const { model, problems } = buildAzureModel(entries, memoryReader(files));
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return model;
}

/** The scope of the step labelled `label` in the first pipeline. */
function at(model: AzureModel, label: string): { scope: Scope; step: Step } {
  const p = model.pipelines[0]!;
  for (const stage of p.stages) for (const job of stage.jobs) for (const step of job.steps) if (step.label === label) return { scope: { pipeline: p, stage, job, step }, step };
  throw new Error(`no step "${label}"`);
}

const hop = (r: RelatedLocation) => `  ${r.file}:${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} ${r.message}`;
function show(o: TaintOrigin): string[] {
  const flags = [o.kind, `${o.strength}/${o.severity}`, o.multiline ? 'multiline' : 'one-line', ...(o.prDisabled ? ['pr-disabled'] : [])];
  return [`${o.path} ${flags.join(' ')} (${o.who})`, ...o.chain.map(hop)];
}
const shown = (list: TaintOrigin[]) => list.flatMap(show);
function hits(text: string, scope: Scope, step: Step): string[] {
  return taintOfText(text, scope, step.ctx).flatMap((h) => [`${h.start}-${h.end} ${h.expr}`, ...shown(h.origins)]);
}

const WHO = {
  pr: 'the pull request author names the source branch',
  branch: 'whoever pushes a branch or tag names it',
  message: 'the commit author writes the commit message',
  requested: 'the user who triggered the run chooses their display name',
  email: 'the user who triggered the run chooses their e-mail address',
};

const TRIGGERS = {
  default: '',
  main: 'trigger: [main]\n',
  wildcard: "trigger: ['feature/*']\n",
  question: "trigger: ['v?']\n",
  tags: 'trigger:\n  branches:\n    include: [main]\n  tags:\n    include: [v1]\n',
  none: 'trigger: none\n',
  prNone: 'trigger: [main]\npr: none\n',
} as const;
type Trigger = keyof typeof TRIGGERS;

/** Each predefined source: its origin line (without the pr-disabled flag), and where it carries chosen text. */
const SOURCES: Array<{ name: string; env: string; origin: string; present: Trigger[]; absent: Trigger[] }> = [
  { name: 'System.PullRequest.SourceBranch', env: 'SYSTEM_PULLREQUEST_SOURCEBRANCH', origin: `System.PullRequest.SourceBranch pr high/medium one-line (${WHO.pr})`, present: ['default', 'main', 'wildcard', 'question', 'tags', 'none', 'prNone'], absent: [] },
  { name: 'Build.SourceBranch', env: 'BUILD_SOURCEBRANCH', origin: `Build.SourceBranch branch medium/low one-line (${WHO.branch})`, present: ['default', 'wildcard', 'question', 'tags'], absent: ['main', 'none', 'prNone'] },
  { name: 'Build.SourceBranchName', env: 'BUILD_SOURCEBRANCHNAME', origin: `Build.SourceBranchName branch medium/low one-line (${WHO.branch})`, present: ['default', 'wildcard', 'question', 'tags'], absent: ['main', 'none', 'prNone'] },
  { name: 'Build.SourceVersionMessage', env: 'BUILD_SOURCEVERSIONMESSAGE', origin: `Build.SourceVersionMessage ci high/medium multiline (${WHO.message})`, present: ['default', 'main', 'wildcard', 'question', 'tags', 'prNone'], absent: ['none'] },
  { name: 'Build.RequestedFor', env: 'BUILD_REQUESTEDFOR', origin: `Build.RequestedFor any medium/medium multiline (${WHO.requested})`, present: ['default', 'main', 'wildcard', 'question', 'tags', 'none', 'prNone'], absent: [] },
  { name: 'Build.RequestedForEmail', env: 'BUILD_REQUESTEDFOREMAIL', origin: `Build.RequestedForEmail any medium/low one-line (${WHO.email})`, present: ['default', 'main', 'wildcard', 'question', 'tags', 'none', 'prNone'], absent: [] },
];

function onePipeline(trigger: Trigger): { scope: Scope; step: Step } {
  return at(load({ 'azure-pipelines.yml': `${TRIGGERS[trigger]}steps:\n  - script: echo\n    displayName: sink\n` }), 'sink');
}

describe('Azure source variables, per trigger', () => {
  for (const src of SOURCES) {
    for (const trigger of src.present) {
      it(`${src.name} carries chosen text under ${trigger}, as $(macro), env ${src.env} and any spelling`, () => {
        const { scope, step } = onePipeline(trigger);
        const origin = (trigger === 'prNone' || trigger === 'none') && src.name.startsWith('System.PullRequest.') ? src.origin.replace(' (', ' pr-disabled (') : src.origin;
        expect(shown(originsOfVariable(src.name, scope))).toEqual([origin]);
        expect(shown(originsOfVariable(src.name.toUpperCase(), scope))).toEqual([origin]);
        expect(shown(originsOfEnv(src.env, scope))).toEqual([origin]);
        expect(shown(originsOfEnv(src.name.replace(/\./g, '_'), scope))).toEqual([origin]);
        expect(hits(`x $(${src.name})`, scope, step)).toEqual([`2-${src.name.length + 5} $(${src.name})`, origin]);
      });
    }
    for (const trigger of src.absent) {
      it(`${src.name} carries no chosen text under ${trigger}`, () => {
        const { scope, step } = onePipeline(trigger);
        expect(originsOfVariable(src.name, scope)).toEqual([]);
        expect(originsOfEnv(src.env, scope)).toEqual([]);
        expect(hits(`x $(${src.name})`, scope, step)).toEqual([]);
      });
    }
  }

  it('has a trigger list for every row and no trigger twice', () => {
    for (const src of SOURCES) expect([...src.present, ...src.absent].sort()).toEqual(Object.keys(TRIGGERS).sort());
  });

  it('maps a variable name to its environment name', () => {
    expect(envNameOf('Build.SourceBranch')).toBe('BUILD_SOURCEBRANCH');
    expect(envNameOf('my.var name')).toBe('MY_VAR_NAME');
    expect(envNameOf('a-b')).toBe('A-B');
  });

  it('knows nothing of ids, SHAs and target branches', () => {
    const { scope } = onePipeline('default');
    for (const name of ['Build.BuildId', 'Build.SourceVersion', 'System.PullRequest.TargetBranch', 'Build.Repository.Uri']) {
      expect(originsOfVariable(name, scope)).toEqual([]);
      expect(originsOfEnv(envNameOf(name), scope)).toEqual([]);
    }
  });
});

describe('taintOfText', () => {
  const model = () =>
    load({
      'azure-pipelines.yml': yaml`
        parameters:
          - name: note
            type: string
            default: none
          - name: flag
            type: boolean
            default: false
        variables:
          msg: $(Build.SourceVersionMessage)
          safe: fixed
        steps:
          - script: echo
            displayName: sink
      `,
    });
  const MSG = [`Build.SourceVersionMessage ci high/medium multiline (${WHO.message})`, '  azure-pipelines.yml:9:8-9:37 variable "msg" is set from attacker-controlled data here'];
  const NOTE = ['parameters.note queue medium/medium multiline (anyone who can queue a run sets it)', '  azure-pipelines.yml:2:11-2:15 parameter "note" is a free-form string anyone who can queue a run may set'];

  it('reports macros, template and runtime expressions at their offsets, in text order', () => {
    const { scope, step } = at(model(), 'sink');
    expect(hits('${{ variables.msg }} $(msg) x', scope, step)).toEqual(['0-20 ${{ variables.msg }}', ...MSG, '21-27 $(msg)', ...MSG]);
    expect(hits("a $[ variables['msg'] ]", scope, step)).toEqual(["2-23 $[ variables['msg'] ]", ...MSG]);
    expect(hits("$[ VARIABLES['MSG'] ]\n", scope, step)).toEqual(["0-22 $[ VARIABLES['MSG'] ]\n", ...MSG]);
    expect(hits('${{\n  variables.msg\n}}', scope, step)).toEqual(['0-22 ${{\n  variables.msg\n}}', ...MSG]);
    expect(hits('$(MSG_1) $(msg)', scope, step)).toEqual(['9-15 $(msg)', ...MSG]);
    expect(hits('${{ parameters.note }}', scope, step)).toEqual(['0-22 ${{ parameters.note }}', ...NOTE]);
    expect(hits('${{ Parameters.Note.x }}', scope, step)).toEqual(['0-24 ${{ Parameters.Note.x }}', ...NOTE]);
    expect(hits("${{ format(variables[ 'msg' ]) }}", scope, step)).toEqual(["0-33 ${{ format(variables[ 'msg' ]) }}", ...MSG]);
    expect(hits("${{ format(variables[\t'msg'\t]) }}", scope, step)).toEqual(["0-33 ${{ format(variables[\t'msg'\t]) }}", ...MSG]);
    expect(hits("${{ format('{0}{1}', variables.safe, parameters['note']) }}", scope, step)).toEqual(["0-59 ${{ format('{0}{1}', variables.safe, parameters['note']) }}", ...NOTE]);
  });

  it('stays silent on safe names, malformed macros and runtime expressions that do not end the value', () => {
    const { scope, step } = at(model(), 'sink');
    for (const text of ['$(safe) ${{ variables.safe }}', '$( msg )', '$(.msg)', '$(-msg)', '$msg', '$[ variables.msg ] && echo', '${{ myvariables.msg }}', '${{ parameters.flag }}', '${{ parameters.missing }}', "${{ variables['safe'] }}"]) {
      expect({ text, hits: hits(text, scope, step) }).toEqual({ text, hits: [] });
    }
  });

  it('stays silent on expressions that yield a boolean or a number, whatever the spelling', () => {
    const { scope, step } = at(model(), 'sink');
    for (const text of [
      "${{ eq(variables.msg, 'x') }}",
      "${{ NE(variables.msg, 'x') }}",
      "${{   contains(variables['msg'], 'x') }}",
      "$[ startsWith(variables.msg, 'refs/') ]",
      '${{ length(parameters.note) }}',
      "${{ and(succeeded(), endsWith(variables.msg, 'x')) }}",
      "$[ counter(variables.msg, 0) ]",
    ]) {
      expect({ text, hits: hits(text, scope, step) }).toEqual({ text, hits: [] });
    }
    expect(hits("${{ replace(variables.msg, 'a', 'b') }}", scope, step)).toEqual(["0-39 ${{ replace(variables.msg, 'a', 'b') }}", ...MSG]);
    expect(hits("${{ coalesce(variables.msg, 'eq(') }}", scope, step)).toEqual(["0-37 ${{ coalesce(variables.msg, 'eq(') }}", ...MSG]);
  });
});

const MESSAGE = `Build.SourceVersionMessage ci high/medium multiline (${WHO.message})`;
const PR_BRANCH = `System.PullRequest.SourceBranch pr high/medium one-line (${WHO.pr})`;

describe('user variables', () => {
  it('follows a variable to the nearest definition: job, then stage, then pipeline', () => {
    const model = load({
      'azure-pipelines.yml': yaml`
        variables:
          - name: msg
            value: $(Build.SourceVersionMessage)
          - name: viaStage
            value: fixed
        stages:
          - stage: s
            variables:
              - group: msg
              - name: viaStage
                value: $(Build.SourceVersionMessage)
            jobs:
              - job: shadowed
                variables:
                  msg: fixed
                steps:
                  - script: echo
                    displayName: shadowed
              - job: plain
                variables:
                  - group: msg
                steps:
                  - script: echo
                    displayName: plain
      `,
    });
    const shadowed = at(model, 'shadowed');
    const plain = at(model, 'plain');
    expect(originsOfVariable('msg', shadowed.scope)).toEqual([]);
    expect(shown(originsOfVariable('MSG', plain.scope))).toEqual([MESSAGE, '  azure-pipelines.yml:3:12-3:41 variable "msg" is set from attacker-controlled data here']);
    const stageHop = '  azure-pipelines.yml:11:16-11:45 variable "viaStage" is set from attacker-controlled data here';
    expect(shown(originsOfVariable('viastage', plain.scope))).toEqual([MESSAGE, stageHop]);
    // Without a stage in the scope, the job's own stage is searched.
    expect(shown(originsOfVariable('viaStage', { pipeline: plain.scope.pipeline, job: plain.scope.job, step: plain.step }))).toEqual([MESSAGE, stageHop]);
    expect(findVariable('msg', plain.scope)).toMatchObject({ kind: 'variable', name: 'msg' });
    expect(findVariable('msg', shadowed.scope)).toMatchObject({ kind: 'variable', name: 'msg', value: { value: 'fixed' } });
    expect(findVariable('nothing', plain.scope)).toBeUndefined();
  });

  it('follows chains of variables up to the depth bound, and survives cycles and empty values', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `  v${i}: $(v${i + 1})`).join('\n') + `\n  v${n}: $(Build.SourceVersionMessage)\n`;
    const six = at(load({ 'azure-pipelines.yml': `variables:\n${chain(5)}steps:\n  - script: echo\n    displayName: sink\n` }), 'sink');
    expect(shown(originsOfVariable('v0', six.scope))).toEqual([
      MESSAGE,
      ...[0, 1, 2, 3, 4, 5].map((i) => `  azure-pipelines.yml:${i + 2}:7-${i + 2}:${i === 5 ? 36 : 12} variable "v${i}" is set from attacker-controlled data here`),
    ]);
    // The same bound through template expressions: `${{ variables.vN }}` in each value.
    const exprChain = (n: number) => chain(n).replace(/\$\((v\d+)\)/g, '${{ variables.$1 }}');
    const viaExpr = (n: number) => at(load({ 'azure-pipelines.yml': `variables:\n${exprChain(n)}steps:\n  - script: echo\n    displayName: sink\n` }), 'sink');
    expect(shown(originsOfVariable('v0', viaExpr(5).scope))).toHaveLength(7);
    expect(originsOfVariable('v0', viaExpr(6).scope)).toEqual([]);
    const seven = at(load({ 'azure-pipelines.yml': `variables:\n${chain(6)}steps:\n  - script: echo\n    displayName: sink\n` }), 'sink');
    expect(originsOfVariable('v0', seven.scope)).toEqual([]);
    expect(shown(originsOfVariable('v1', seven.scope))).toHaveLength(7);

    const odd = at(
      load({
        'azure-pipelines.yml': yaml`
          variables:
            - name: a
              value: $(b)
            - name: b
              value: $(a) $(Build.SourceVersionMessage)
            - name: self
              value: $(self)
            - name: empty
              value:
            - name: list
              value: [$(Build.SourceVersionMessage)]
          steps:
            - script: echo
              displayName: sink
        `,
      }),
      'sink',
    );
    expect(shown(originsOfVariable('a', odd.scope))).toEqual([
      MESSAGE,
      '  azure-pipelines.yml:3:12-3:16 variable "a" is set from attacker-controlled data here',
      '  azure-pipelines.yml:5:12-5:46 variable "b" is set from attacker-controlled data here',
    ]);
    expect(originsOfVariable('self', odd.scope)).toEqual([]);
    expect(originsOfVariable('empty', odd.scope)).toEqual([]);
    expect(originsOfVariable('list', odd.scope)).toEqual([]);
  });
});

describe('##vso[task.setvariable] in an earlier step of the job', () => {
  const model = () =>
    load({
      'azure-pipelines.yml': yaml`
        steps:
          - bash: |
              echo "##vso[task.setvariable variable=Branch]$(System.PullRequest.SourceBranch)"
              echo "##vso[task.setvariable variable=fromEnv;isOutput=false]$BR"
              echo "##vso[task.setvariable variable=quoted]fixed" $(System.PullRequest.SourceBranch)
              echo "##vso[task.prependpath variable=path]$(System.PullRequest.SourceBranch)"
              echo "##vso[task.setvariable variable=late]fixed"
            displayName: set
            env:
              BR: $(System.PullRequest.SourceBranch)
          - pwsh: Write-Host "##vso[task.setvariable variable=ps]$env:BR"
            displayName: ps
            env:
              BR: $(System.PullRequest.SourceBranch)
          - script: echo
            displayName: sink
          - bash: echo "##vso[task.setvariable variable=late]$(System.PullRequest.SourceBranch)"
            displayName: after
      `,
    });
  const SET = '  azure-pipelines.yml:2:11-7:56 step "set" sets variable';

  it('follows the payload of an earlier step, directly or through its env:', () => {
    const { scope } = at(model(), 'sink');
    expect(shown(originsOfVariable('branch', scope))).toEqual([PR_BRANCH, `${SET} "Branch" from attacker-controlled data with ##vso[task.setvariable]`]);
    expect(shown(originsOfVariable('fromEnv', scope))).toEqual([
      PR_BRANCH,
      `${SET} "fromEnv" from attacker-controlled data with ##vso[task.setvariable]`,
      '  azure-pipelines.yml:10:11-10:45 env BR is set from attacker-controlled data here',
    ]);
    expect(shown(originsOfVariable('ps', scope))).toEqual([
      PR_BRANCH,
      '  azure-pipelines.yml:11:11-11:66 step "ps" sets variable "ps" from attacker-controlled data with ##vso[task.setvariable]',
      '  azure-pipelines.yml:14:11-14:45 env BR is set from attacker-controlled data here',
    ]);
  });

  it('ignores text after the message, other commands, other names and later steps', () => {
    const { scope } = at(model(), 'sink');
    for (const name of ['quoted', 'path', 'late', 'other']) expect({ name, o: originsOfVariable(name, scope) }).toEqual({ name, o: [] });
    const set = at(model(), 'set');
    expect(originsOfVariable('branch', set.scope)).toEqual([]);
    const ps = at(model(), 'ps');
    expect(originsOfVariable('ps', ps.scope)).toEqual([]);
    expect(shown(originsOfVariable('branch', ps.scope))).toHaveLength(2);
  });

  it('follows setvariable chains across steps up to the depth bound', () => {
    // Step k sets vk from v(k-1); v0 from the commit message. Each hop costs three levels.
    const steps = (n: number) =>
      Array.from({ length: n + 1 }, (_, k) => `  - bash: echo "##vso[task.setvariable variable=v${k}]${k === 0 ? '$(Build.SourceVersionMessage)' : `$(v${k - 1})`}"\n    displayName: s${k}\n`).join('') +
      '  - script: echo\n    displayName: sink\n';
    const { scope } = at(load({ 'azure-pipelines.yml': `steps:\n${steps(4)}` }), 'sink');
    expect(shown(originsOfVariable('v3', scope))).toEqual([
      MESSAGE,
      ...[3, 2, 1, 0].map((k) => `  azure-pipelines.yml:${2 * k + 2}:11-${2 * k + 2}:${k === 0 ? 82 : 58} step "s${k}" sets variable "v${k}" from attacker-controlled data with ##vso[task.setvariable]`),
    ]);
    expect(originsOfVariable('v4', scope)).toEqual([]);
  });

  it('searches every step when the scope has no step, and nothing without a job', () => {
    const { scope } = at(model(), 'sink');
    expect(shown(originsOfVariable('late', { pipeline: scope.pipeline, job: scope.job }))).toEqual([
      PR_BRANCH,
      '  azure-pipelines.yml:17:11-17:89 step "after" sets variable "late" from attacker-controlled data with ##vso[task.setvariable]',
    ]);
    expect(originsOfVariable('branch', { pipeline: scope.pipeline })).toEqual([]);
  });
});

describe('environment variables read by a script', () => {
  const model = () =>
    load({
      'azure-pipelines.yml': yaml`
        trigger: [main]
        variables:
          top.msg: $(Build.SourceVersionMessage)
          BUILD_SOURCEBRANCHNAME: fixed
        stages:
          - stage: s
            variables:
              stage.msg: $(Build.SourceVersionMessage)
            jobs:
              - job: j
                variables:
                  - group: group.msg
                  - name: job.msg
                    value: $(Build.SourceVersionMessage)
                steps:
                  - script: echo
                    displayName: sink
                    env:
                      br: $(System.PullRequest.SourceBranch)
                      BR: fixed
                      Mixed: $(System.PullRequest.SourceBranch)
                      BUILD_SOURCEVERSIONMESSAGE: fixed
                      EMPTY:
      `,
    });

  it('reads the step env: first (exact name, then any case), then predefined and user variables', () => {
    const { scope } = at(model(), 'sink');
    const envHop = (line: number, key: string) => `  azure-pipelines.yml:${line}:${key.length + 17}-${line}:${key.length + 51} env ${key} is set from attacker-controlled data here`;
    expect(shown(originsOfEnv('br', scope))).toEqual([PR_BRANCH, envHop(19, 'br')]);
    expect(originsOfEnv('BR', scope)).toEqual([]);
    expect(shown(originsOfEnv('MIXED', scope))).toEqual([PR_BRANCH, envHop(21, 'Mixed')]);
    expect(originsOfEnv('BUILD_SOURCEVERSIONMESSAGE', scope)).toEqual([]);
    expect(originsOfEnv('EMPTY', scope)).toEqual([]);
    expect(shown(originsOfEnv('SYSTEM_PULLREQUEST_SOURCEBRANCH', scope))).toEqual([PR_BRANCH]);
    // Branch names are not chosen under `trigger: [main]`; the pipeline variable of that name is data.
    expect(originsOfEnv('BUILD_SOURCEBRANCHNAME', scope)).toEqual([]);
    expect(shown(originsOfEnv('JOB_MSG', scope))).toEqual([MESSAGE, '  azure-pipelines.yml:14:20-14:49 variable "job.msg" is set from attacker-controlled data here']);
    expect(shown(originsOfEnv('STAGE_MSG', scope))).toEqual([MESSAGE, '  azure-pipelines.yml:8:18-8:47 variable "stage.msg" is set from attacker-controlled data here']);
    expect(shown(originsOfEnv('top_msg', scope))).toEqual([MESSAGE, '  azure-pipelines.yml:3:12-3:41 variable "top.msg" is set from attacker-controlled data here']);
    expect(originsOfEnv('GROUP_MSG', scope)).toEqual([]);
    expect(originsOfEnv('UNKNOWN', scope)).toEqual([]);
  });

  it('knows no environment outside a step', () => {
    const { scope } = at(model(), 'sink');
    expect(originsOfEnv('br', { pipeline: scope.pipeline, job: scope.job })).toEqual([]);
    expect(originsOfEnv('SYSTEM_PULLREQUEST_SOURCEBRANCH', { pipeline: scope.pipeline, job: scope.job })).toEqual([]);
  });
});

describe('template parameters', () => {
  const files = () => ({
    'azure-pipelines.yml': yaml`
      parameters:
        - name: note
          type: string
        - name: level
          type: number
          default: 1
        - name: settings
          type: object
          default: {}
      variables:
        msg: $(Build.SourceVersionMessage)
      steps:
        - template: ci/outer.yml
          parameters:
            given: $(msg)
            Untyped: $(System.PullRequest.SourceBranch)
            flag: $(msg)
            choice: $(msg)
            obj: $(msg)
            map:
              a: $(msg)
    `,
    'ci/outer.yml': yaml`
      parameters:
        - name: given
          type: string
        - name: defaulted
          default: $(Build.RequestedFor)
        - name: flag
          type: boolean
        - name: choice
          type: string
          values: [a, b]
        - name: obj
          type: object
        - name: map
          type: object
        - name: safe
          default: fixed
      steps:
        - script: echo
          displayName: outer
        - template: inner.yml
          parameters:
            passed: \${{ parameters.given }}
    `,
    'ci/inner.yml': yaml`
      parameters:
        - name: passed
          type: string
      steps:
        - script: echo
          displayName: inner
    `,
  });
  const MSG_HOP = '  azure-pipelines.yml:11:8-11:37 variable "msg" is set from attacker-controlled data here';

  it('follows arguments and defaults into a template, naming the hop', () => {
    const { scope, step } = at(load(files()), 'outer');
    const p = (name: string) => shown(originsOfParameter(name, scope, step.ctx));
    expect(p('given')).toEqual([MESSAGE, '  azure-pipelines.yml:15:14-15:20 parameter "given" of template "ci/outer.yml" is given attacker-controlled data here', MSG_HOP]);
    expect(p('GIVEN')).toEqual(p('given'));
    expect(p('untyped')).toEqual([PR_BRANCH, '  azure-pipelines.yml:16:16-16:50 parameter "untyped" of template "ci/outer.yml" is given attacker-controlled data here']);
    expect(p('defaulted')).toEqual([`Build.RequestedFor any medium/medium multiline (${WHO.requested})`, '  ci/outer.yml:5:14-5:35 parameter "defaulted" of template "ci/outer.yml" defaults to attacker-controlled data here']);
    expect(p('obj')).toEqual([MESSAGE, '  azure-pipelines.yml:19:12-19:18 parameter "obj" of template "ci/outer.yml" is given attacker-controlled data here', MSG_HOP]);
    for (const name of ['flag', 'choice', 'map', 'map.b', 'safe', 'missing', 'missing.a']) expect({ name, o: p(name) }).toEqual({ name, o: [] });
    // One field of an object argument: its text is what the expression yields.
    const field = [MESSAGE, '  azure-pipelines.yml:21:12-21:18 parameter "map.a" of template "ci/outer.yml" is given attacker-controlled data here', MSG_HOP];
    expect(p('map.a')).toEqual(field);
    expect(p('MAP.A')).toEqual(field.map((l) => l.replace('"map.a"', '"map.A"')));
    expect(hits('${{ parameters.map.a }}', scope, step)).toEqual(['0-23 ${{ parameters.map.a }}', ...field]);
    expect(p('given.x')).toEqual([MESSAGE, '  azure-pipelines.yml:15:14-15:20 parameter "given.x" of template "ci/outer.yml" is given attacker-controlled data here', MSG_HOP]);
  });

  it('follows a parameter passed on to a nested template, and names the template the text is in', () => {
    const { scope, step } = at(load(files()), 'inner');
    expect(shown(originsOfParameter('passed', scope, step.ctx))).toEqual([
      MESSAGE,
      '  ci/outer.yml:22:15-22:38 parameter "passed" of template "inner.yml" is given attacker-controlled data here',
      '  azure-pipelines.yml:15:14-15:20 parameter "given" of template "ci/outer.yml" is given attacker-controlled data here',
      MSG_HOP,
    ]);
  });

  it('treats free-form string parameters of the entry file as set by whoever queues the run', () => {
    const model = load(files());
    const p = model.pipelines[0]!;
    const scope: Scope = { pipeline: p };
    expect(shown(originsOfParameter('note', scope, p.ctx))).toEqual(['parameters.note queue medium/medium multiline (anyone who can queue a run sets it)', '  azure-pipelines.yml:2:11-2:15 parameter "note" is a free-form string anyone who can queue a run may set']);
    expect(originsOfParameter('level', scope, p.ctx)).toEqual([]);
    expect(originsOfParameter('settings', scope, p.ctx)).toEqual([]);
  });

  it('stops at a default that refers to its own parameter', () => {
    const model = load({
      'azure-pipelines.yml': 'steps:\n  - template: self.yml\n',
      'self.yml': yaml`
        parameters:
          - name: x
            default: \${{ parameters.x }} $(Build.RequestedFor)
        steps:
          - script: echo
            displayName: sink
      `,
    });
    const { scope, step } = at(model, 'sink');
    expect(shown(originsOfParameter('x', scope, step.ctx))).toEqual([`Build.RequestedFor any medium/medium multiline (${WHO.requested})`, '  self.yml:3:14-3:55 parameter "x" of template "self.yml" defaults to attacker-controlled data here']);
  });

  it('stops at an argument that refers to a parameter of the caller', () => {
    const model = load({
      'azure-pipelines.yml': yaml`
        steps:
          - template: loop.yml
            parameters:
              x: \${{ parameters.x }} $(Build.RequestedFor)
      `,
      'loop.yml': yaml`
        parameters:
          - name: x
        steps:
          - script: echo
            displayName: sink
      `,
    });
    const { scope, step } = at(model, 'sink');
    expect(shown(originsOfParameter('x', scope, step.ctx))).toEqual([`Build.RequestedFor any medium/medium multiline (${WHO.requested})`, '  azure-pipelines.yml:4:10-4:51 parameter "x" of template "loop.yml" is given attacker-controlled data here']);
  });
});
