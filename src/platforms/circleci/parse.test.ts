import { describe, expect, it } from 'vitest';
import { nodeLocation } from '../../yaml/load.js';
import { memoryRepo, yaml } from '../../audits/circleci/testing.js';
import { buildCircleModel, orbRef } from './parse.js';
import { findInterpolations, maskInterpolations } from './interpolate.js';
import { evalCondition, filterMatches, gateFor } from './workflow.js';
import type { Scalar } from 'yaml';

function model(files: Record<string, string>) {
  const { entries, read } = memoryRepo(files);
  return buildCircleModel(entries, read);
}

describe('circleci model', () => {
  it('models orbs, executors, commands, jobs, steps and workflows with positions', () => {
    const { model: m, problems } = model({
      '.circleci/config.yml': yaml`
        version: 2.1
        parameters:
          target: { type: string, default: staging }
        orbs:
          node: circleci/node@5.2.0
          local:
            commands:
              hi:
                steps: [{ run: echo hi }]
        executors:
          py:
            docker:
              - image: cimg/python:3.12
            resource_class: large
        commands:
          greet:
            parameters:
              who: { type: string }
            steps:
              - run: echo << parameters.who >>
        defaults: &defaults
          working_directory: ~/app
        jobs:
          build:
            <<: *defaults
            executor: py
            environment:
              - FOO=bar
            steps:
              - checkout
              - greet: { who: me }
              - when:
                  condition: true
                  steps: [{ save_cache: { key: k, paths: [a, b] } }]
              - node/install
              - store_artifacts: { path: dist }
        workflows:
          version: 2
          main:
            jobs:
              - build:
                  name: b1
                  context: [ctx]
                  requires: [x]
                  filters: { branches: { only: main } }
                  custom: 1
      `,
    });
    expect(problems).toEqual([]);
    const f = m.files[0]!;
    expect(f.version).toBe('2.1');
    expect(f.pipelineParameters.map((p) => [p.name, p.type])).toEqual([['target', 'string']]);
    expect(f.defs.orbs.map((o) => [o.name, o.ref?.version, !!o.inline])).toEqual([
      ['node', '5.2.0', false],
      ['local', undefined, true],
    ]);
    expect(f.defs.orbs[1]!.inline!.commands[0]!.name).toBe('hi');
    expect(f.defs.executors[0]!.images[0]!.image!.value).toBe('cimg/python:3.12');
    const job = f.defs.jobs[0]!;
    expect(job.workingDirectory?.value).toBe('~/app');
    expect(job.executorRef?.name).toBe('py');
    expect(job.environment.map((e) => e.key)).toEqual(['FOO']);
    expect(job.steps.map((s) => s.type)).toEqual(['checkout', 'call', 'when', 'call', 'store_artifacts']);
    const when = job.steps[2]!;
    expect(when.type === 'when' && when.steps[0]!.type === 'save_cache' && when.steps[0]!.paths.length).toBe(2);
    expect(nodeLocation(f.source, job.steps[1]!.keyNode).startLine).toBe(31);
    const wf = f.workflows[0]!;
    expect(f.workflows.map((w) => w.name)).toEqual(['main']);
    const e = wf.jobs[0]!;
    expect([e.ref, e.id, e.contexts.map((c) => c.value), e.requires.map((r) => r.value), e.args.map((a) => a.key)]).toEqual(['build', 'b1', ['ctx'], ['x'], ['custom']]);
    expect(e.filters?.branches?.only.map((s) => s.value)).toEqual(['main']);
  });

  it('parses orb references', () => {
    const n = {} as Scalar;
    expect(orbRef('circleci/node@5', n)).toMatchObject({ kind: 'registry', namespace: 'circleci', orb: 'node', version: '5' });
    expect(orbRef('acme/x@dev:alpha', n)).toMatchObject({ version: 'dev:alpha' });
    expect(orbRef("acme/x", n)?.version).toBeUndefined();
    expect(orbRef("https://example.com/o.yml", n)?.kind).toBe("url");
  });

  it('finds interpolations, honouring \\<< escapes, and masks them without moving offsets', () => {
    const v = 'a << pipeline.git.branch >> \\<< parameters.x >> <<parameters.y>>';
    expect(findInterpolations(v).map((i) => i.expr)).toEqual(['pipeline.git.branch', 'parameters.y']);
    expect(maskInterpolations(v)).toHaveLength(v.length);
  });

  it('evaluates filters and when: conditions for probe branches', () => {
    expect(filterMatches('/feature\\/.*/', 'feature/x')).toBe(true);
    expect(filterMatches('/feature/', 'feature/x')).toBe(false);
    expect(filterMatches('/[/', 'x')).toBe(false);
    expect(filterMatches('main', 'main')).toBe(true);
    const { model: m } = model({
      '.circleci/config.yml': yaml`
        version: 2.1
        parameters:
          nightly: { type: boolean, default: false }
        workflows:
          a:
            when:
              or:
                - equal: [main, << pipeline.git.branch >>]
                - << pipeline.parameters.nightly >>
            jobs: [x]
          b:
            when:
              not:
                matches: { pattern: "^release/.*$", value: << pipeline.git.branch >> }
            jobs: [x]
      `,
    });
    const f = m.files[0]!;
    const [a, b] = f.workflows;
    expect(evalCondition(f, a!.when, 'main')).toBe(true);
    expect(evalCondition(f, a!.when, 'feature/x')).toBe(false);
    expect(evalCondition(f, b!.when, 'release/1')).toBe(false);
    expect(evalCondition(f, b!.when, 'feature/x')).toBe(true);
    expect(gateFor(f, a!, a!.jobs[0]!, 'feature/x')?.kind).toBe('condition');
    expect(gateFor(f, b!, b!.jobs[0]!, 'feature/x')).toBeUndefined();
  });

  it('does not follow continuation paths built at run time or outside the repository', () => {
    const { model: m, problems } = model({
      '.circleci/config.yml': yaml`
        version: 2.1
        setup: true
        orbs:
          continuation: circleci/continuation@1.0.0
        jobs:
          s:
            docker: [{ image: cimg/base:2024.01 }]
            steps:
              - continuation/continue: { configuration_path: /tmp/generated.yml }
              - continuation/continue: { configuration_path: << parameters.p >> }
              - continuation/continue: { configuration_path: ../../etc/passwd }
              - run: ./gen.sh > .circleci/gen.yml
              - continuation/continue: { configuration_path: .circleci/gen.yml }
      `,
    });
    expect(problems).toEqual([]);
    expect(m.files[0]!.continuations.map((c) => c.path)).toEqual(['.circleci/gen.yml']);
    expect(m.files).toHaveLength(1);
  });
});
