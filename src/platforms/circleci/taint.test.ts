import { describe, expect, it } from 'vitest';
import { memoryRepo, yaml } from '../../audits/circleci/testing.js';
import type { RelatedLocation } from '../../core/finding.js';
import type { CircleFile, CircleModel, Command, Job, RunStep } from './model.js';
import { classifyPipelineValue, findInterpolations, maskInterpolations } from './interpolate.js';
import { buildCircleModel } from './parse.js';
import { allDefinitions, stepSites } from './resolve.js';
import { isTextParameter, nodeRelated, ParameterTaint, strengthRank, taintedEnvironment, type EnvTaint, type Origin } from './taint.js';

/*
 * ParameterTaint and taintedEnvironment called directly, with every hop of every chain (the rule
 * tests print only the finding's message). Expected values are written out by hand.
 */

function load(config: string, extra: Record<string, string> = {}): { model: CircleModel; file: CircleFile; taint: ParameterTaint } {
  const { entries, read } = memoryRepo({ '.circleci/config.yml': config, ...extra });
  const { model, problems } = buildCircleModel(entries, read);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return { model, file: model.files[0]!, taint: new ParameterTaint(model) };
}

function def(file: CircleFile, kind: 'job' | 'command', name: string, orb = ''): Job | Command {
  for (const defs of allDefinitions(file)) {
    if (defs.scope !== orb) continue;
    const found = (kind === 'job' ? defs.jobs : defs.commands).find((d) => d.name === name);
    if (found) return found;
  }
  throw new Error(`no ${kind} ${name}`);
}

const hop = (r: RelatedLocation) => `  ${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} ${r.message}`;
const shown = (o: Origin | undefined): string[] => (o ? [`${o.path} ${o.strength} (${o.what})`, ...o.chain.map(hop)] : []);

describe('ParameterTaint: job and command parameters', () => {
  it('taints text parameters from their default, and not typed ones', () => {
    const { file, taint } = load(yaml`
      version: 2.1
      jobs:
        build:
          parameters:
            branch:
              type: string
              default: v-<< pipeline.git.branch >>
            untyped:
              default: << pipeline.git.commit.subject >>
            flag:
              type: boolean
              default: << pipeline.git.branch >>
            kind:
              type: enum
              enum: [a, b]
              default: << pipeline.git.branch >>
            safe:
              type: string
              default: << pipeline.git.revision >>
            listed:
              type: string
              default: [<< pipeline.git.branch >>]
          docker: [{ image: cimg/base:2024.01 }]
          steps: [checkout]
    `);
    const build = def(file, 'job', 'build');
    expect(shown(taint.parameter(build, 'branch'))).toEqual(['pipeline.git.branch medium (the branch name)', '  7:20-7:45 parameter "branch" of job "build" defaults to pipeline.git.branch']);
    expect(shown(taint.parameter(build, 'untyped'))).toEqual(['pipeline.git.commit.subject high (the commit subject)', '  9:18-9:51 parameter "untyped" of job "build" defaults to pipeline.git.commit.subject']);
    for (const name of ['flag', 'kind', 'safe', 'listed', 'missing']) expect({ name, o: taint.parameter(build, name) }).toEqual({ name, o: undefined });
  });

  it('taints job parameters from workflow entries and matrices, keeping the strongest origin', () => {
    const { file, taint } = load(yaml`
      version: 2.1
      jobs:
        build:
          parameters:
            up:
              default: << pipeline.git.branch >>
            keep:
              default: << pipeline.git.commit.subject >>
            tie:
              default: << pipeline.git.branch >>
            arg: { type: string, default: "" }
            cell: { type: string, default: "" }
            count: { type: integer, default: 1 }
            num: { type: string, default: 1 }
            bare: { type: string }
          docker: [{ image: cimg/base:2024.01 }]
          steps: [checkout]
      workflows:
        main:
          jobs:
            - build:
                up: << pipeline.git.commit.body >>
                keep: << pipeline.git.tag >>
                tie: << pipeline.git.tag >>
                arg: x << pipeline.event.github.label >>
                undeclared: << pipeline.git.commit.subject >>
                count: << pipeline.git.commit.subject >>
                matrix:
                  parameters:
                    cell: [safe, "<< pipeline.git.commit.author_name >>"]
                    count: ["<< pipeline.git.commit.subject >>"]
                num: 2
            - node/test:
                version: << pipeline.git.branch >>
    `);
    const build = def(file, 'job', 'build');
    expect(shown(taint.parameter(build, 'up'))).toEqual(['pipeline.git.commit.body high (the commit message body)', '  22:15-22:45 parameter "up" of job "build" is set from pipeline.git.commit.body here']);
    expect(shown(taint.parameter(build, 'keep'))).toEqual(['pipeline.git.commit.subject high (the commit subject)', '  8:18-8:51 parameter "keep" of job "build" defaults to pipeline.git.commit.subject']);
    expect(shown(taint.parameter(build, 'tie'))).toEqual(['pipeline.git.branch medium (the branch name)', '  10:18-10:43 parameter "tie" of job "build" defaults to pipeline.git.branch']);
    expect(shown(taint.parameter(build, 'arg'))).toEqual(['pipeline.event.github.label medium (the label name)', '  25:18-25:51 parameter "arg" of job "build" is set from pipeline.event.github.label here']);
    expect(shown(taint.parameter(build, 'cell'))).toEqual(['pipeline.git.commit.author_name high (the commit author name)', '  30:29-30:66 matrix parameter "cell" of job "build" is set from pipeline.git.commit.author_name here']);
    expect(taint.parameter(build, 'count')).toBeUndefined();
    expect(taint.parameter(build, 'undeclared')).toBeUndefined();
    expect(taint.parameter(build, 'num')).toBeUndefined();
    expect(taint.parameter(build, 'bare')).toBeUndefined();
  });
});

describe('ParameterTaint: through commands', () => {
  const config = yaml`
    version: 2.1
    orbs:
      tools:
        jobs:
          orbjob:
            parameters:
              t: { default: "<< pipeline.git.tag >>" }
            docker: [{ image: cimg/base:2024.01 }]
            steps: [checkout]
    commands:
      greet:
        parameters:
          to: { type: string, default: "" }
          n: { type: integer, default: 1 }
        steps:
          - run: echo "<< parameters.to >>"
      wrap:
        parameters:
          body: { type: steps, default: [] }
          msg: { type: string, default: "" }
        steps:
          - greet: { to: "<< parameters.msg >>" }
          - steps: << parameters.body >>
    jobs:
      build:
        parameters:
          title: { type: string, default: "" }
        docker: [{ image: cimg/base:2024.01 }]
        steps:
          - wrap:
              msg: "<< parameters.title >>"
              body:
                - greet: { to: "<< pipeline.git.branch >>" }
          - when:
              condition: true
              steps:
                - greet: { to: "<< pipeline.git.commit.body >>", n: "<< pipeline.git.commit.subject >>" }
    workflows:
      main:
        jobs:
          - build:
              title: << pipeline.event.github.pull_request.title >>
              pre-steps:
                - greet: { to: "<< pipeline.git.commit.author_name >>" }
  `;

  it('follows a caller parameter into a command, through rounds of the fixpoint', () => {
    const { file, taint } = load(config);
    expect(shown(taint.parameter(def(file, 'command', 'wrap'), 'msg'))).toEqual([
      'pipeline.event.github.pull_request.title high (the pull request title)',
      '  42:18-42:64 parameter "title" of job "build" is set from pipeline.event.github.pull_request.title here',
      '  31:17-31:39 parameter "msg" of command "wrap" is set from pipeline.event.github.pull_request.title here',
    ]);
    expect(shown(taint.parameter(def(file, 'job', 'build'), 'title'))).toHaveLength(2);
  });

  it('keeps the strongest of the calls in when:, steps arguments, pre-steps and other commands', () => {
    const { file, taint } = load(config);
    const greet = def(file, 'command', 'greet');
    // commit body (job step in when:), author name (pre-steps) and the title through wrap are all
    // high; branch (steps argument) is medium. The first high one found wins.
    const origin = taint.parameter(greet, 'to')!;
    expect(origin.strength).toBe('high');
    expect(taint.parameter(greet, 'n')).toBeUndefined();
    expect(shown(taint.parameter(def(file, 'job', 'orbjob', 'tools'), 't'))).toEqual(['pipeline.git.tag medium (the tag name)', '  7:26-7:48 parameter "t" of job "orbjob" of inline orb "tools" defaults to pipeline.git.tag']);
  });

  it('sees each kind of call on its own', () => {
    const only = (steps: string, pre = '') =>
      load(
        `version: 2.1\ncommands:\n  greet:\n    parameters:\n      to: { type: string, default: "" }\n    steps:\n      - run: echo "<< parameters.to >>"\n  wrap:\n    parameters:\n      body: { type: steps, default: [] }\n    steps:\n      - steps: << parameters.body >>\njobs:\n  build:\n    docker: [{ image: cimg/base:2024.01 }]\n    steps:\n${steps}workflows:\n  main:\n    jobs:\n      - build${pre}\n`,
      );
    const greetTo = (l: ReturnType<typeof only>) => shown(l.taint.parameter(def(l.file, 'command', 'greet'), 'to'));
    expect(greetTo(only('      - when:\n          condition: true\n          steps:\n            - greet: { to: "<< pipeline.git.branch >>" }\n'))).toEqual([
      'pipeline.git.branch medium (the branch name)',
      '  20:29-20:54 parameter "to" of command "greet" is set from pipeline.git.branch here',
    ]);
    expect(greetTo(only('      - unless:\n          condition: true\n          steps:\n            - greet: { to: "<< pipeline.git.tag >>" }\n'))).toEqual([
      'pipeline.git.tag medium (the tag name)',
      '  20:29-20:51 parameter "to" of command "greet" is set from pipeline.git.tag here',
    ]);
    expect(greetTo(only('      - wrap:\n          body:\n            - greet: { to: "<< pipeline.git.branch >>" }\n'))).toEqual([
      'pipeline.git.branch medium (the branch name)',
      '  19:29-19:54 parameter "to" of command "greet" is set from pipeline.git.branch here',
    ]);
    expect(greetTo(only('      - checkout\n', ':\n          post-steps:\n            - greet: { to: "<< pipeline.git.branch >>" }'))).toEqual([
      'pipeline.git.branch medium (the branch name)',
      '  23:29-23:54 parameter "to" of command "greet" is set from pipeline.git.branch here',
    ]);
    expect(greetTo(only('      - greet: { to: "<< parameters.nothing >> << pipeline.number >>" }\n'))).toEqual([]);
  });

  it('keeps the last eight hops of a long chain', () => {
    const n = 10;
    const commands = Array.from({ length: n }, (_, i) => `  c${i}:\n    parameters:\n      a: { type: string, default: "" }\n    steps:\n      - ${i + 1 < n ? `c${i + 1}: { a: "<< parameters.a >>" }` : 'run: echo "<< parameters.a >>"'}\n`).join('');
    const { file, taint } = load(`version: 2.1\ncommands:\n${commands}jobs:\n  build:\n    docker: [{ image: cimg/base:2024.01 }]\n    steps:\n      - c0: { a: "<< pipeline.git.branch >>" }\n`);
    const last = taint.parameter(def(file, 'command', `c${n - 1}`), 'a')!;
    expect(last.chain.map((r) => r.message)).toEqual(Array.from({ length: 8 }, (_, k) => `parameter "a" of command "c${k + 2}" is set from pipeline.git.branch here`));
    expect(taint.parameter(def(file, 'command', 'c0'), 'a')!.chain.map((r) => r.message)).toEqual(['parameter "a" of command "c0" is set from pipeline.git.branch here']);
  });

  it('reads pipeline values only, outside jobs and commands', () => {
    const { file, taint } = load(config);
    const build = def(file, 'job', 'build');
    expect(shown(taint.originOf(file, 'parameters.title', build))).toHaveLength(2);
    expect(taint.originOf(file, 'parameters.title', undefined)).toBeUndefined();
    expect(taint.originOf(file, 'pipeline.git.branch', undefined)).toEqual({ path: 'pipeline.git.branch', strength: 'medium', what: 'the branch name', chain: [] });
    expect(taint.originOf(file, 'pipeline.number', build)).toBeUndefined();
    expect(taint.originOf(file, 'git.branch', build)).toBeUndefined();
    expect(taint.originOf(file, 'title', build)).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('places a related note at a node', () => {
    const { file } = load('version: 2.1\njobs:\n  build:\n    docker: [{ image: cimg/base:2024.01 }]\n    steps: [checkout]\n');
    const build = def(file, 'job', 'build');
    expect(nodeRelated(file, build.nameNode, 'here')).toEqual({ file: '.circleci/config.yml', startLine: 3, startColumn: 3, endLine: 3, endColumn: 8, message: 'here' });
  });

  it('ranks strengths and recognises text parameters', () => {
    expect(['low', 'medium', 'high'].map((s) => strengthRank(s as 'low'))).toEqual([1, 2, 3]);
    const p = (type?: string) => ({ name: 'x', nameNode: undefined as never, node: null, type });
    expect([isTextParameter(p()), isTextParameter(p('string')), isTextParameter(p('boolean')), isTextParameter(p('enum')), isTextParameter(p('steps')), isTextParameter(undefined)]).toEqual([true, true, false, false, false, false]);
  });
});

describe('taintedEnvironment', () => {
  const config = yaml`
    version: 2.1
    orbs:
      node: circleci/node@5.1.0
    executors:
      ex:
        docker: [{ image: cimg/base:2024.01 }]
        environment:
          FROM_EXECUTOR: << pipeline.git.tag >>
          OVERRIDDEN: << pipeline.git.tag >>
          EX_PARAM: << parameters.title >>
    commands:
      cmd:
        parameters:
          p: { default: "<< pipeline.git.branch >>" }
        steps:
          - run:
              name: in-command
              command: echo
              environment:
                STEP: << pipeline.git.commit.subject >>
                FROM_PARAM: << parameters.p >>
                NUM: 5
    jobs:
      build:
        parameters:
          title: { type: string, default: "<< pipeline.event.github.pull_request.title >>" }
        executor: ex
        environment:
          FROM_JOB: << parameters.title >>
          OVERRIDDEN: safe
          CIRCLE_TAG: v1
          LIST: [<< pipeline.git.branch >>]
          JOB_PARAM: << parameters.title >>
        steps:
          - run:
              name: sink
              command: echo
              environment:
                STEP: x << pipeline.git.commit.author_email >> << pipeline.git.branch >>
                FROM_JOB: << pipeline.git.branch >>
      images:
        parameters:
          t: { default: "<< pipeline.git.tag >>" }
        docker:
          - image: cimg/base:2024.01
            environment:
              PRIMARY: << pipeline.git.commit.body >>
              FROM_PARAM: << parameters.t >>
          - image: redis:7
            environment:
              SECONDARY: << pipeline.git.commit.body >>
        steps:
          - run: { name: images, command: echo }
      orb-executor:
        executor: node/default
        steps:
          - run: { name: orb-executor, command: echo }
  `;
  const env = (name: string): string[] => {
    const { file, taint } = load(config);
    const site = [...stepSites(file)].find((s) => s.step.type === 'run' && s.step.name === name)!;
    const out = taintedEnvironment(taint, file, site.step as RunStep, site.def);
    return [...out.entries()].map(([k, v]: [string, EnvTaint]) => `${k} ${v.strength} (${v.what})${v.related ? hop(v.related) : ''}`).sort();
  };
  const BUILT_IN = ['CIRCLE_BRANCH medium (the branch name)', 'CIRCLE_TAG medium (the tag name)'];

  it('merges executor, job and step environments, inner scopes winning; executors see no job parameter', () => {
    expect(env('sink')).toEqual([
      'CIRCLE_BRANCH medium (the branch name)',
      'FROM_EXECUTOR medium (set from pipeline.git.tag, the tag name)  8:22-8:44 executor environment FROM_EXECUTOR is set from pipeline.git.tag here',
      'FROM_JOB medium (set from pipeline.git.branch, the branch name)  40:23-40:48 step environment FROM_JOB is set from pipeline.git.branch here',
      'JOB_PARAM high (set from pipeline.event.github.pull_request.title, the pull request title)  33:18-33:40 job environment JOB_PARAM is set from pipeline.event.github.pull_request.title here',
      'STEP medium (set from pipeline.git.commit.author_email, the commit author email)  39:21-39:59 step environment STEP is set from pipeline.git.commit.author_email here',
    ]);
  });

  it('reads the primary container and step environments through the parameters of their job or command', () => {
    expect(env('images')).toEqual([
      ...BUILT_IN,
      'FROM_PARAM medium (set from pipeline.git.tag, the tag name)  48:23-48:41 container environment FROM_PARAM is set from pipeline.git.tag here',
      'PRIMARY high (set from pipeline.git.commit.body, the commit message body)  47:20-47:50 container environment PRIMARY is set from pipeline.git.commit.body here',
    ]);
    expect(env('in-command')).toEqual([
      ...BUILT_IN,
      'FROM_PARAM medium (set from pipeline.git.branch, the branch name)  21:25-21:43 step environment FROM_PARAM is set from pipeline.git.branch here',
      'STEP high (set from pipeline.git.commit.subject, the commit subject)  20:19-20:52 step environment STEP is set from pipeline.git.commit.subject here',
    ]);
    expect(env('orb-executor')).toEqual(BUILT_IN);
  });
});

describe('interpolations and pipeline values', () => {
  it('finds << >> at exact offsets, skipping escaped ones', () => {
    expect(findInterpolations('a <<pipeline.git.branch>> \\<< pipeline.git.tag >> <<  parameters.x-y_z  >> << 1x >>')).toEqual([
      { start: 2, end: 25, expr: 'pipeline.git.branch' },
      { start: 50, end: 74, expr: 'parameters.x-y_z' },
    ]);
    expect(findInterpolations('<< a >><< b >>')).toEqual([
      { start: 0, end: 7, expr: 'a' },
      { start: 7, end: 14, expr: 'b' },
    ]);
    expect(maskInterpolations('cat << EOF\n<< a >> x \\<< b >>')).toBe('cat << EOF\n_______ x \\<< b >>');
  });

  it('classifies pipeline parameters by their declared type', () => {
    const { file } = load(yaml`
      version: 2.1
      parameters:
        free: { type: string, default: "" }
        untyped: { default: "" }
        flag: { type: boolean, default: false }
      jobs:
        build:
          docker: [{ image: cimg/base:2024.01 }]
          steps: [checkout]
    `);
    const what = (name: string) => `the string pipeline parameter "${name}", which anyone allowed to trigger the pipeline (API, web app, scheduled trigger) can set`;
    expect(classifyPipelineValue('pipeline.parameters.free', file)).toEqual({ strength: 'low', what: what('free') });
    expect(classifyPipelineValue('pipeline.parameters.untyped', file)).toEqual({ strength: 'low', what: what('untyped') });
    expect(classifyPipelineValue('pipeline.parameters.flag', file)).toBeUndefined();
    expect(classifyPipelineValue('pipeline.parameters.missing', file)).toBeUndefined();
    expect(classifyPipelineValue('pipeline.parameters.free', undefined)).toBeUndefined();
  });

  it('classifies trigger fields of every provider but circleci, and nothing deeper or unknown', () => {
    expect(classifyPipelineValue('pipeline.trigger_parameters.bitbucket.commit_title', undefined)).toEqual({ strength: 'high', what: "the bitbucket trigger's commit title" });
    expect(classifyPipelineValue('pipeline.trigger_parameters.github_app.target_branch', undefined)).toEqual({ strength: 'medium', what: "the github_app trigger's target branch name" });
    for (const path of [
      'pipeline.trigger_parameters.circleci.title',
      'pipeline.trigger_parameters.circleci.branch',
      'pipeline.trigger_parameters.gitlab.commit_sha',
      'pipeline.trigger_parameters.gitlab.title.x',
      'pipeline.trigger_parameters.gitlab',
      'x.pipeline.trigger_parameters.gitlab.title',
      'pipeline.trigger_parameters.git-lab.title',
      'pipeline.trigger_parameters.gitlab.xtitle',
      'pipeline.trigger_parameters.gitlab.branches',
      'pipeline.trigger_parameters.gitlab.xref',
    ]) {
      expect({ path, c: classifyPipelineValue(path, undefined) }).toEqual({ path, c: undefined });
    }
  });
});
