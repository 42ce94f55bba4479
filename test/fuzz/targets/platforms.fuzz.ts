/**
 * Fuzz targets for the platform resolvers (GitLab extends/include/!reference, Azure templates and
 * parameters, CircleCI orbs/commands/continuations, Bitbucket imports and merge keys), each run
 * through the platform's whole audit (parse → resolve → every rule) on a small virtual repository
 * whose files include, extend and template each other, with cycles and fan-outs.
 *
 * Properties: no exception, no "internal error" diagnostic, every finding and related location
 * inside a file of the repository, and the report bounded by the input (no quadratic output).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { check, defineTarget, lines, tokenText, type FuzzTarget } from '../harness.js';
import { excludeKnown } from '../known.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import type { CiFile, Platform, RepoReader } from '../../../src/audit/platform.js';
import { auditor as gitlab } from '../../../src/platforms/gitlab/platform.js';
import { auditor as azure } from '../../../src/platforms/azure/platform.js';
import { auditor as circleci } from '../../../src/platforms/circleci/platform.js';
import { auditor as bitbucket } from '../../../src/platforms/bitbucket/platform.js';

type Files = Array<[string, string]>;

/** A value that turns into a YAML tag after stringify (`!reference [a, b]` for GitLab). */
const TAG_MARK = '@@TAG@@';

function toYaml(value: unknown): string {
  // Shared sub-objects become anchors and aliases; tags are spliced in afterwards.
  return stringify(value, { lineWidth: 0 }).replace(new RegExp(`["']?${TAG_MARK}([^"'\\n]*)["']?`, 'g'), (_m, rest: string) => rest);
}

/** A file's text: usually the generated document, sometimes with a junk line spliced in or cut short. */
function mutated(doc: fc.Arbitrary<string>, junk: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: doc },
    {
      weight: 2,
      arbitrary: fc.tuple(doc, fc.nat(), lines(tokenText(junk, 8), 3)).map(([d, at, j]) => {
        const ls = d.split('\n');
        ls.splice(at % (ls.length + 1), 0, j);
        return ls.join('\n');
      }),
    },
    { weight: 1, arbitrary: fc.tuple(doc, fc.nat()).map(([d, at]) => d.slice(0, at % (d.length + 1))) },
  );
}

/** Some of `keys`, each with a value. */
function some(entries: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(entries, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

function oneOrMany<T>(a: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T | T[]> {
  return fc.oneof(a, fc.array(a, { maxLength: max }));
}

/** A virtual repository: the entry file (always) and some of the other files. */
function repo(paths: readonly string[], text: fc.Arbitrary<string>): fc.Arbitrary<Files> {
  return fc.tuple(text, ...paths.slice(1).map((p) => fc.option(text, { freq: 3 }).map((t) => [p, t] as const))).map(([entry, ...rest]) => [
    [paths[0]!, entry],
    ...rest.filter((f): f is readonly [string, string] => f[1] !== null).map(([p, t]) => [p, t] as [string, string]),
  ]);
}

function lineCounts(files: Files): Map<string, number> {
  return new Map(files.map(([p, t]) => [p, t.split('\n').length]));
}

function checkAudit(platform: Platform, files: Files, entries: readonly string[]): void {
  const byPath = new Map(files);
  const read: RepoReader = (repoPath) => {
    const key = repoPath.replace(/^\.?\//, '');
    const text = byPath.get(key);
    return text === undefined ? { error: 'no such file' } : { file: { path: key, repoPath: key, text } };
  };
  const ci: CiFile[] = entries.filter((e) => byPath.has(e)).map((e) => ({ path: e, repoPath: e, text: byPath.get(e)! }));
  const result = platform.audit(ci, read, DEFAULT_CONFIG, false);
  const counts = lineCounts(files);
  for (const d of result.diagnostics) {
    check(!/internal error/i.test(d.message), () => `diagnostic: ${d.message}`);
    check(!d.message.includes('\n') && d.message.length < 2000, () => `diagnostic not one short line: ${JSON.stringify(d.message.slice(0, 300))}`);
  }
  for (const f of result.findings) {
    for (const l of [f.location, ...f.related]) {
      const n = counts.get(l.file);
      check(n !== undefined, () => `${f.ruleId}: location in unknown file ${l.file}`);
      check(l.startLine >= 1 && l.startLine <= l.endLine && l.endLine <= n, () => `${f.ruleId}: lines ${l.startLine}-${l.endLine} outside 1-${n} of ${l.file}`);
      check(l.startColumn >= 1 && l.endColumn >= 1, () => `${f.ruleId}: column below 1`);
    }
    check(f.message.length > 0 && f.message.length < 4000, () => `${f.ruleId}: message of ${f.message.length} characters`);
  }
  // Bounded output: the report grows at most linearly with the repository (a resolver that
  // copies every finding per inheriting job, or edits per finding, blows this up).
  const inputChars = files.reduce((a, [, t]) => a + t.length, 0);
  const out = JSON.stringify(result).length;
  check(out <= 200_000 + 2_000 * inputChars, () => `${out} characters of findings for ${inputChars} characters of input`);
}

// ---------------------------------------------------------------------------------------------
// GitLab: extends (chains, fan-out, cycles), include (local, nested, cycles, remote), !reference,
// spec:inputs headers, child pipelines.

const GL_FILES = ['.gitlab-ci.yml', 'a.yml', 'ci/b.yml', 'c.yml'];
const GL_NAMES = ['.base', '.t1', '.t2', 'build', 'test', 'deploy', '.t3', 'job'];
const GL_LINES = ['echo $CI_COMMIT_BRANCH', 'echo "$CI_MERGE_REQUEST_TITLE"', 'curl -s https://x.sh | bash', 'eval "$CI_COMMIT_MESSAGE"', 'echo $[[ inputs.x ]]', 'git checkout $CI_COMMIT_REF_NAME', 'make', 'docker login -u u -p $PASS', 'export TOKEN=glpat-AbCdEfGhIjKlMnOpQrSt'];
const glScalar = fc.constantFrom('x', '$CI_COMMIT_BRANCH', '$[[ inputs.x ]]', 'true', 'on_success', 'never', '$CI_PIPELINE_SOURCE == "merge_request_event"', 'docker:dind', 'alpine', 'node:latest@sha256:' + 'a'.repeat(64), '1');
const glRef = fc.tuple(fc.constantFrom(...GL_NAMES), fc.constantFrom('script', 'before_script', 'variables', 'rules', 'image', 'nope')).map(([j, k]) => `${TAG_MARK}!reference [${j}, ${k}]`);
const glScript = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GL_LINES) }, { weight: 1, arbitrary: glRef }), { maxLength: 4 });
const glInclude = fc.oneof(
  fc.constantFrom(...GL_FILES),
  fc.record({ local: fc.constantFrom(...GL_FILES, 'missing.yml', '../out.yml', '/a.yml', 'ci/*.yml') }),
  fc.record({ local: fc.constantFrom(...GL_FILES), inputs: some({ x: glScalar, y: glScalar }) }),
  fc.record({ project: fc.constant('g/p'), file: fc.constantFrom('x.yml', '/t.yml'), ref: fc.constantFrom('main', 'v1') }),
  fc.record({ template: fc.constant('Auto-DevOps.gitlab-ci.yml') }),
  fc.record({ remote: fc.constant('https://example.com/x.yml') }),
  fc.record({ component: fc.constant('gitlab.com/g/c/comp@1.0') }),
);
const glJob = some({
  extends: oneOrMany(fc.constantFrom(...GL_NAMES, 'missing')),
  script: fc.oneof(glScript, glRef),
  before_script: glScript,
  stage: fc.constantFrom('build', 'test', 'deploy'),
  image: fc.oneof(glScalar, fc.record({ name: glScalar })),
  services: fc.array(glScalar, { maxLength: 2 }),
  variables: some({ A: glScalar, GIT_STRATEGY: fc.constantFrom('clone', 'none'), CI_DEBUG_TRACE: fc.constantFrom('true', 'false') }),
  rules: fc.oneof(fc.array(some({ if: glScalar, when: glScalar, changes: fc.array(glScalar, { maxLength: 2 }) }), { maxLength: 3 }), glRef),
  environment: fc.oneof(glScalar, fc.record({ name: fc.constantFrom('production', 'review/$CI_COMMIT_REF_SLUG') })),
  cache: some({ key: glScalar, paths: fc.array(glScalar, { maxLength: 2 }) }),
  needs: fc.array(fc.constantFrom(...GL_NAMES), { maxLength: 3 }),
  trigger: fc.oneof(fc.record({ include: oneOrMany(glInclude, 2) }), glScalar),
  only: fc.array(glScalar, { maxLength: 2 }),
  artifacts: some({ paths: fc.array(glScalar, { maxLength: 2 }) }),
});
/** `n` hidden jobs, each extending the previous two: a fan-out of 2^n without memoisation. */
const glChain = fc.integer({ min: 2, max: 30 }).map((n) => {
  const jobs: Record<string, unknown> = { '.c0': { script: ['echo $CI_COMMIT_BRANCH'] }, '.c1': { script: ['make'] } };
  for (let i = 2; i < n; i++) jobs[`.c${i}`] = { extends: [`.c${i - 1}`, `.c${i - 2}`] };
  jobs.job = { extends: `.c${n - 1}` };
  return jobs;
});
const glDoc = fc
  .tuple(
    some({ include: oneOrMany(glInclude), variables: some({ A: glScalar }), default: some({ image: glScalar, before_script: glScript }), workflow: some({ rules: fc.array(some({ if: glScalar }), { maxLength: 2 }) }), stages: fc.constant(['build', 'test', 'deploy']) }),
    fc.dictionary(fc.constantFrom(...GL_NAMES), glJob, { maxKeys: 5 }),
    excludeKnown('gitlab-extends-fan-out') ? fc.constant(null) : fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: glChain }),
    fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ spec: fc.record({ inputs: some({ x: some({ default: glScalar }), y: fc.constant(null) }) }) }) }),
  )
  .map(([top, jobs, chain, spec]) => (spec ? `${toYaml(spec)}---\n` : '') + toYaml({ ...top, ...jobs, ...(chain ?? {}) }));

const gitlabResolver = defineTarget<Files>({
  name: 'gitlab-resolver',
  about: 'GitLab audit on a virtual repository (extends chains/fan-outs/cycles, local includes with cycles, !reference, spec:inputs, child pipelines): no exception, no internal error, locations inside the files, bounded report',
  arbitrary: repo(GL_FILES, mutated(glDoc, ['extends: ', 'include: ', '!reference [', '*a', '&a ', '- ', '  ', ':', '$[[ inputs.x ]]', '---\n'])),
  run(files) {
    checkAudit(gitlab, files, ['.gitlab-ci.yml']);
  },
  deadlineMs: 4000,
});

// ---------------------------------------------------------------------------------------------
// Azure Pipelines: extends/step/job/stage templates (nested, cyclic, missing), parameters and
// ${{ }} template expressions (if/each/insertion), variables and groups.

const AZ_FILES = ['azure-pipelines.yml', 't/steps.yml', 't/jobs.yml', 't/base.yml'];
const azExpr = fc.constantFrom('${{ parameters.p }}', '$(Build.SourceBranch)', '$(System.PullRequest.SourceBranch)', '$[ variables.x ]', '${{ variables.v }}', '${{ parameters.list }}', 'x', '$(Build.SourceVersionMessage)');
const azScript = fc.array(fc.constantFrom('echo $(Build.SourceBranchName)', 'echo "##vso[task.setvariable variable=X]$(System.PullRequest.SourceBranch)"', 'curl -sSL https://x | sh', 'echo ${{ parameters.p }}', 'make'), { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
const azTemplateRef = fc.tuple(fc.constantFrom(...AZ_FILES.slice(1), 'missing.yml', '../out.yml', 'steps.yml@other', '/t/steps.yml'), fc.option(some({ p: azExpr, list: fc.array(azExpr, { maxLength: 2 }) }))).map(([template, parameters]) => (parameters ? { template, parameters } : { template }));
const azStep = fc.oneof(
  fc.record({ script: azScript }, { requiredKeys: ['script'] }),
  some({ bash: azScript, displayName: azExpr, env: some({ X: azExpr }) }),
  fc.record({ checkout: fc.constantFrom('self', 'none'), persistCredentials: fc.boolean() }, { requiredKeys: ['checkout'] }),
  fc.record({ task: fc.constantFrom('Bash@3', 'PowerShell@2', 'Docker@2'), inputs: some({ script: azScript, targetType: fc.constant('inline') }) }),
  azTemplateRef,
  fc.record({ '${{ if eq(parameters.p, true) }}': fc.array(fc.record({ script: azScript }), { maxLength: 2 }) }),
  fc.record({ '${{ each s in parameters.list }}': fc.array(fc.record({ script: fc.constant('echo ${{ s }}') }), { maxLength: 2 }) }),
);
const azSteps = fc.array(azStep, { maxLength: 4 });
const azJob = some({ job: fc.constantFrom('a', 'b'), steps: azSteps, pool: fc.constantFrom('ubuntu-latest', 'self-hosted'), variables: some({ v: azExpr }), template: fc.constantFrom(...AZ_FILES.slice(1)) });
const azDoc = some({
  trigger: fc.oneof(fc.constant('none'), fc.array(fc.constantFrom('main', 'refs/tags/*'), { maxLength: 2 })),
  pr: fc.oneof(fc.constant('none'), fc.array(fc.constant('main'), { maxLength: 1 })),
  parameters: fc.oneof(
    fc.array(some({ name: fc.constantFrom('p', 'list'), type: fc.constantFrom('string', 'boolean', 'object', 'stepList'), default: fc.oneof(azExpr, fc.array(azExpr, { maxLength: 2 })) }), { maxLength: 2 }),
    some({ p: azExpr, list: fc.array(azExpr, { maxLength: 2 }) }),
  ),
  variables: fc.oneof(some({ v: azExpr, x: azExpr }), fc.array(fc.oneof(fc.record({ name: fc.constant('v'), value: azExpr }), fc.record({ group: fc.constant('g') }), azTemplateRef), { maxLength: 2 })),
  extends: azTemplateRef,
  resources: fc.constant({ repositories: [{ repository: 'other', type: 'github', name: 'o/r' }] }),
  steps: azSteps,
  jobs: fc.array(fc.oneof(azJob, azTemplateRef), { maxLength: 3 }),
  stages: fc.array(fc.oneof(some({ stage: fc.constantFrom('s1', 's2'), jobs: fc.array(fc.oneof(azJob, azTemplateRef), { maxLength: 2 }) }), azTemplateRef), { maxLength: 2 }),
}).map(toYaml);

const azureResolver = defineTarget<Files>({
  name: 'azure-resolver',
  about: 'Azure Pipelines audit on a virtual repository (extends/stage/job/step templates with cycles and fan-out, parameters, ${{ if/each }}): no exception, no internal error, locations inside the files, bounded report',
  arbitrary: repo(AZ_FILES, mutated(azDoc, ['${{ ', '}}', '- template: ', 'parameters:', '$(', ')', '- ', '  ', ':'])),
  run(files) {
    checkAudit(azure, files, ['azure-pipelines.yml']);
  },
  deadlineMs: 4000,
});

// ---------------------------------------------------------------------------------------------
// CircleCI: inline orbs, commands calling commands (recursion), executors, parameters and
// << >> interpolation, matrix, workflows, setup/continuation configs.

const CC_FILES = ['.circleci/config.yml', '.circleci/continue.yml', '.circleci/other.yml'];
const CC_CMDS = ['c1', 'c2', 'o/c1', 'o/j', 'o/e', 'node/install', 'j1', 'j2'];
const ccScalar = fc.constantFrom('<< parameters.p >>', '<< pipeline.git.branch >>', '<< pipeline.parameters.x >>', 'x', 'cimg/base:stable', 'echo $CIRCLE_BRANCH', 'curl -s https://x | bash', 'echo << pipeline.trigger_parameters.github_app.commit_message >>');
const ccStep = fc.oneof(
  fc.constantFrom('checkout', 'c1', 'c2', 'o/c1', 'node/install'),
  fc.record({ run: fc.oneof(ccScalar, some({ command: ccScalar, name: ccScalar })) }),
  fc.tuple(fc.constantFrom(...CC_CMDS), some({ p: ccScalar, steps: fc.constant([{ run: 'make' }]) })).map(([c, args]) => ({ [c]: args })),
  fc.record({ when: some({ condition: ccScalar, steps: fc.constant(['c1']) }) }),
);
const ccSteps = fc.array(ccStep, { maxLength: 4 });
const ccParams = some({ p: some({ type: fc.constantFrom('string', 'steps', 'boolean', 'executor'), default: ccScalar }) });
const ccCommands = fc.dictionary(fc.constantFrom('c1', 'c2', 'c3'), some({ parameters: ccParams, steps: ccSteps }), { maxKeys: 3 });
const ccJob = some({ docker: fc.constant([{ image: 'cimg/base:2024.01' }]), executor: fc.oneof(fc.constantFrom('o/e', 'e1', 'missing'), fc.record({ name: fc.constant('e1') })), parameters: ccParams, steps: ccSteps });
const ccOrb = some({ commands: ccCommands, jobs: fc.dictionary(fc.constantFrom('j', 'k'), ccJob, { maxKeys: 2 }), executors: fc.constant({ e: { docker: [{ image: 'x' }] } }), orbs: fc.constant({ inner: 'circleci/node@5.0.0' }) });
const ccDoc = some({
  version: fc.constantFrom(2.1, '2.1', 2),
  setup: fc.boolean(),
  orbs: some({ o: fc.oneof(ccOrb, fc.constant('circleci/node@5.1.0')), node: fc.constantFrom('circleci/node@5', 'circleci/node@volatile'), 'path-filtering': fc.constant('circleci/path-filtering@1.0.0'), continuation: fc.constant('circleci/continuation@1.0.0') }),
  parameters: some({ x: some({ type: fc.constant('string'), default: ccScalar }) }),
  commands: ccCommands,
  executors: fc.constant({ e1: { docker: [{ image: 'cimg/base:stable' }] } }),
  jobs: fc.dictionary(fc.constantFrom('j1', 'j2', 'setup'), fc.oneof(ccJob, fc.constant({ steps: ['checkout', { 'continuation/continue': { configuration_path: '.circleci/continue.yml' } }] })), { maxKeys: 3 }),
  workflows: fc.dictionary(
    fc.constantFrom('w', 'v'),
    some({
      jobs: fc.array(fc.oneof(fc.constantFrom(...CC_CMDS), fc.tuple(fc.constantFrom(...CC_CMDS), some({ requires: fc.array(fc.constantFrom('j1', 'j2'), { maxLength: 2 }), context: fc.constant('prod'), matrix: fc.constant({ parameters: { p: ['a', 'b'] } }), filters: fc.constant({ branches: { only: 'main' } }), name: ccScalar })).map(([j, v]) => ({ [j]: v })), fc.record({ 'path-filtering/filter': fc.record({ mapping: fc.constant('x p true'), config_path: fc.constantFrom(...CC_FILES) }) })), { maxLength: 3 }),
    }),
    { maxKeys: 2 },
  ),
}).map(toYaml);

const circleciResolver = defineTarget<Files>({
  name: 'circleci-resolver',
  about: 'CircleCI audit on a virtual repository (inline orbs, recursive commands, executors, parameters and << >> interpolation, matrix, continuation configs): no exception, no internal error, locations inside the files, bounded report',
  arbitrary: repo(CC_FILES, mutated(ccDoc, ['<< ', ' >>', '- ', '  ', ':', 'steps: ', 'orbs:'])),
  run(files) {
    checkAudit(circleci, files, ['.circleci/config.yml']);
  },
  deadlineMs: 4000,
});

// ---------------------------------------------------------------------------------------------
// Bitbucket: definitions with anchors and `<<:` merge keys, pipelines of every kind, parallel and
// stage groups, imports of shared pipelines, pipes.

const BB_FILES = ['bitbucket-pipelines.yml', 'shared/bitbucket-pipelines.yml'];
const bbScript = fc.array(fc.oneof(fc.constantFrom('echo $BITBUCKET_BRANCH', 'echo "$BITBUCKET_PR_DESTINATION_BRANCH"', 'curl -s https://x | bash', 'git checkout $BITBUCKET_BRANCH', 'make', 'export TOKEN=$BB_TOKEN'), fc.record({ pipe: fc.constantFrom('atlassian/aws-s3-deploy:1.1.0', 'docker://x/y:latest'), variables: fc.constant({ A: '$BITBUCKET_BRANCH' }) })), { maxLength: 3 });
const bbStep = some({ name: fc.constantFrom('b', 't'), script: bbScript, image: fc.constantFrom('node:latest', 'atlassian/default-image:4'), deployment: fc.constantFrom('production', 'test'), trigger: fc.constantFrom('manual', 'automatic'), caches: fc.constant(['node']), 'runs-on': fc.constant(['self.hosted']), oidc: fc.boolean() });
const bbItem = fc.oneof(
  fc.record({ step: bbStep }),
  fc.record({ parallel: fc.array(fc.record({ step: bbStep }), { maxLength: 2 }) }),
  fc.record({ stage: some({ name: fc.constant('s'), steps: fc.array(fc.record({ step: bbStep }), { maxLength: 2 }) }) }),
  fc.record({ import: fc.constantFrom('shared-pipeline:main:shared/bitbucket-pipelines.yml', 'shared:main:bitbucket-pipelines.yml', 'x@y', 'missing') }),
);
const bbList = fc.array(bbItem, { maxLength: 3 });
const bbDoc = fc
  .tuple(
    some({
      image: fc.constant('node:20'),
      definitions: some({ steps: fc.array(fc.record({ step: bbStep }), { maxLength: 2 }), services: fc.constant({ docker: { memory: 2048 } }), pipelines: fc.dictionary(fc.constantFrom('shared-pipeline', 'shared'), bbList, { maxKeys: 2 }) }),
      pipelines: some({
        default: bbList,
        branches: fc.dictionary(fc.constantFrom('main', '**', 'feature/*', '{a,b}'), bbList, { maxKeys: 2 }),
        'pull-requests': fc.dictionary(fc.constantFrom('**', 'feature/*'), bbList, { maxKeys: 2 }),
        tags: fc.dictionary(fc.constantFrom('v*'), bbList, { maxKeys: 1 }),
        custom: fc.dictionary(fc.constantFrom('deploy', 'x'), fc.oneof(bbList, fc.record({ import: fc.constant('shared-pipeline:main:shared/bitbucket-pipelines.yml') })), { maxKeys: 2 }),
      }),
      export: fc.boolean(),
    }),
    fc.boolean(),
  )
  .map(([doc, merge]) => {
    let text = toYaml(doc);
    // Bitbucket's documented `<<: *anchor` step merges (stringify writes aliases only for shared objects).
    if (merge) text = text.replace(/^(\s+)- step:\n(\s+)name: b\n/m, '$1- step: &b\n$2name: b\n').replace(/^(\s+)- step:\n(\s+)name: t\n/m, '$1- step:\n$2<<: *b\n$2name: t\n');
    return text;
  });

const bitbucketResolver = defineTarget<Files>({
  name: 'bitbucket-resolver',
  about: 'Bitbucket audit on a virtual repository (anchors and <<: merges, every pipeline kind, parallel/stage groups, shared pipeline imports, pipes): no exception, no internal error, locations inside the files, bounded report',
  arbitrary: repo(BB_FILES, mutated(bbDoc, ['<<: *b', '&b ', '*b', '- step:', '- ', '  ', ':', 'import: '])),
  run(files) {
    checkAudit(bitbucket, files, ['bitbucket-pipelines.yml']);
  },
  deadlineMs: 4000,
});

const targets: FuzzTarget[] = [gitlabResolver, azureResolver, circleciResolver, bitbucketResolver];
export default targets;
