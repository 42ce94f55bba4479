/**
 * Fuzz target for `pipewarden fix` (src/fix/engine.ts, the whole audit → fix → re-audit loop) on
 * generated workflows written the many ways people write YAML: block and flow style, comments
 * after keys, empty values, quoted and block scalars, CRLF, existing `with:`/`env:`/`permissions:`.
 *
 * Properties: no exception; a file that parsed still parses after the fixes; no fix dropped as
 * "would leave invalid YAML"; and the re-parsed *model* equals the original except where a fix
 * is meant to change it (persist-credentials: false, permissions, a pinned uses:, a run: script
 * whose expressions moved into env:, an if: condition rewritten); the output stays bounded.
 */
import fc from 'fast-check';
import { parse } from 'yaml';
import { check, defineTarget } from '../harness.js';
import { excludeKnown } from '../known.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { fixFiles } from '../../../src/fix/engine.js';
import { loadYaml } from '../../../src/yaml/load.js';

const PATH = '.github/workflows/w.yml';
const SHA = '0123456789abcdef0123456789abcdef01234567';

const EXPRS = ['${{ github.head_ref }}', '${{ github.event.pull_request.title }}', '${{ github.event.issue.body }}', '${{ inputs.name }}', '${{ matrix.os }}', '${{ secrets.TOKEN }}', '${{ github.event.comment.body || \'x\' }}'];
const TRIGGERS = ['on: pull_request_target', 'on: [push, pull_request]', 'on:\n  issue_comment:\n    types: [created]', 'on: workflow_dispatch', 'on:\n  pull_request:\n  push:\n    branches: [main]'];
const PERMS = ['', 'permissions: write-all', 'permissions: {}', 'permissions:\n  contents: write', 'permissions: # none\n  contents: read'];

/** One step, as lines indented under `steps:` (the `- ` line first). */
const checkoutStep = fc
  .tuple(
    fc.constantFrom('actions/checkout@v4', 'actions/checkout@v3 # old', `actions/checkout@${SHA}`, '"actions/checkout@v4"', 'actions/checkout@main'),
    fc.constantFrom(
      '',
      'with:\n  fetch-depth: 0',
      'with:\n  persist-credentials: true',
      ...(excludeKnown('fix-existing-persist-credentials') ? [] : ['with:\n  persist-credentials:', 'with:\n  persist-credentials: # keep', 'with:\n  persist-credentials: [a]']),
      'with:\n  persist-credentials: "true" # yes',
      'with: { ref: "${{ github.event.pull_request.head.sha }}" }',
      'with:\n  ref: ${{ github.head_ref }}\n  # trailing comment',
      'with:',
      'with: {}',
      'with: # options\n  token: ${{ secrets.PAT }}',
    ),
    fc.boolean(),
  )
  .map(([uses, w, named]) => [...(named ? ['- name: co', '  uses: ' + uses] : ['- uses: ' + uses]), ...(w ? w.split('\n').map((l) => '  ' + l) : [])]);

const runStep = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('echo "', 'echo ', 'git checkout ', 'x=', ' && ', "'", 'make ') }, { weight: 4, arbitrary: fc.constantFrom(...EXPRS) }), { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom('plain', 'block', 'folded', 'double', 'single'),
    fc.constantFrom('', 'env:\n  A: b', 'env: { A: b }', 'env:', 'shell: pwsh', 'shell: bash\nenv:\n  X: ${{ github.head_ref }}', 'if: ${{ github.event_name == \'push\' }}'),
    fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 40 }) }),
  )
  .map(([line, n, style, extra, times]) => {
    const body = Array.from({ length: n }, (_, i) => (i === 0 && times > 1 ? Array(times).fill(line).join(' ; ') : line));
    const run =
      style === 'block' ? ['run: |', ...body.map((b) => '  ' + b)]
      : style === 'folded' ? ['run: >-', ...body.map((b) => '  ' + b)]
      : style === 'double' ? [`run: "${body.join(' ; ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`]
      : style === 'single' ? [`run: '${body.join(' ; ').replace(/'/g, "''")}'`]
      : [`run: ${body.join(' ; ').replace(/^['"&*!|>%@`#\-?{[]/, 'x').replace(/: | #/g, ' ')}`];
    const lines = [...run, ...(extra ? extra.split('\n') : [])];
    return [`- ${lines[0]}`, ...lines.slice(1).map((l) => '  ' + l)];
  });

const otherStep = fc.constantFrom(
  ['- uses: actions/upload-artifact@v4', '  with:', '    path: .'],
  ['- uses: actions/setup-node@v4 # node', '  with: { node-version: 20 }'],
  ['- if: |', "    ${{ github.event_name == 'push' }}", '  run: echo hi'],
  ["- if: contains('refs/heads/main refs/heads/dev', github.ref)", '  run: echo hi'],
  ['- if: ${{ github.actor }} == \'bot\'', '  run: echo hi'],
  ['- run: git push'],
  ['- uses: ./local'],
  ['- uses: docker://alpine:3'],
);

const step = fc.oneof({ weight: 3, arbitrary: checkoutStep }, { weight: 4, arbitrary: runStep }, { weight: 2, arbitrary: otherStep });

const job = fc
  .tuple(fc.constantFrom('a', 'b', 'build-1'), fc.constantFrom(...PERMS), fc.array(step, { minLength: 1, maxLength: 5 }), fc.constantFrom(2, 4), fc.constantFrom('', 'if: ${{ always() }}\n', 'env:\n  E: 1\n'))
  .map(([name, perms, steps, ind, extra]) => {
    const pad = ' '.repeat(ind);
    const out = [`${name}:`, `${pad}runs-on: ubuntu-latest`];
    for (const l of [...(perms ? perms.split('\n') : []), ...(extra ? extra.trimEnd().split('\n') : [])]) out.push(pad + l);
    out.push(`${pad}steps:`);
    for (const s of steps) for (const l of s) out.push(pad + pad + l);
    return out;
  });

const workflow = fc
  .tuple(fc.constantFrom(...TRIGGERS), fc.constantFrom(...PERMS), fc.uniqueArray(job, { minLength: 1, maxLength: 3, selector: (j) => j[0] }), fc.constantFrom(2, 4), fc.boolean(), fc.boolean())
  .map(([on, perms, jobs, ind, crlf, comment]) => {
    const pad = ' '.repeat(ind);
    const out = [...(comment ? ['# generated'] : []), 'name: w', ...on.split('\n'), ...(perms ? perms.split('\n') : []), 'jobs:'];
    for (const j of jobs) for (const l of j) out.push(pad + l);
    return out.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
  });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Where a fix may change the workflow's model, and what it may change it to. */
function allowedChange(path: string[], before: Json | undefined, after: Json | undefined): string | undefined {
  const p = path.join('.');
  const isStep = /^jobs\.[^.]+\.steps\.\d+$/.test(path.slice(0, 4).join('.'));
  if (path.length === 1 && path[0] === 'permissions') return undefined;
  if (path.length === 3 && path[0] === 'jobs' && path[2] === 'permissions') return undefined;
  if (isStep && path.length === 5 && path[4] === 'with') {
    // `with:` created (or an empty one filled) by the persist-credentials fix.
    const wasEmpty = before === undefined || before === null || (typeof before === 'object' && !Array.isArray(before) && Object.keys(before).length === 0);
    return wasEmpty && JSON.stringify(after) === '{"persist-credentials":false}' ? undefined : `${p}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
  }
  if (isStep && path.length === 6 && path[4] === 'with' && path[5] === 'persist-credentials') return after === false ? undefined : `${p} became ${JSON.stringify(after)}`;
  if (isStep && path.length === 5 && path[4] === 'uses') return typeof before === 'string' && typeof after === 'string' && after === `${before.replace(/^"|"$/g, '').split('@')[0]}@${SHA}` ? undefined : `${p}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
  if (isStep && path.length === 5 && path[4] === 'run') return typeof after === 'string' ? undefined : `${p} is no longer a string`;
  if (isStep && path.length === 5 && path[4] === 'env') {
    const wasEmpty = before === undefined || before === null;
    return (wasEmpty || (typeof before === 'object' && !Array.isArray(before))) && after !== null && typeof after === 'object' && !Array.isArray(after) ? undefined : `${p}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
  }
  if (isStep && path.length === 6 && path[4] === 'env') return before === undefined && typeof after === 'string' ? undefined : `${p}: ${JSON.stringify(before)} -> ${JSON.stringify(after)} (an existing env entry changed)`;
  if ((isStep && path.length === 5 && path[4] === 'if') || (path.length === 3 && path[0] === 'jobs' && path[2] === 'if')) return typeof after === 'string' || typeof after === 'boolean' ? undefined : `${p} is no longer a condition`;
  return `${p}: ${JSON.stringify(before)?.slice(0, 200)} -> ${JSON.stringify(after)?.slice(0, 200)}`;
}

/** Differences between two models that no fix explains (empty when the change is the intended one). */
function unexplained(before: Json | undefined, after: Json | undefined, path: string[] = [], out: string[] = []): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return out;
  const obj = (v: Json | undefined): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  const why = allowedChange(path, before, after);
  if (why === undefined) return out;
  if (obj(before) && obj(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) unexplained(before[k], after[k], [...path, k], out);
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => unexplained(b, after[i], [...path, String(i)], out));
    return out;
  }
  out.push(why);
  return out;
}

function toModel(text: string): Json {
  return parse(text, { uniqueKeys: false, maxAliasCount: 100 }) as Json;
}

const fixEngine = defineTarget<{ text: string; unsafe: boolean }>({
  name: 'fix-engine',
  about: 'pipewarden fix on generated workflows (comments, empty values, flow/block style, CRLF): no exception; fixed files re-parse; the model equals the original except the intended changes; bounded output',
  arbitrary: fc.record({ text: workflow, unsafe: fc.boolean() }),
  async: true,
  async run({ text, unsafe }) {
    const result = await fixFiles([{ path: PATH, repoPath: PATH, text, kind: 'workflow' }], {
      config: DEFAULT_CONFIG,
      unsafe,
      resolver: (owner, repo) => Promise.resolve(owner === 'actions' && repo === 'checkout' ? SHA : undefined),
    });
    const fixed = result.texts.get(PATH)!;
    for (const d of result.diagnostics) check(d.level !== 'error', () => `fix diagnostic: ${d.message}`);
    check(fixed.length <= 3 * text.length + 4000, () => `fixed text grew from ${text.length} to ${fixed.length} characters`);
    const parsedBefore = loadYaml(PATH, text).problems.length === 0;
    if (!parsedBefore) {
      check(fixed === text || result.applied.length > 0, 'text changed without an applied fix');
      return;
    }
    const problems = loadYaml(PATH, fixed).problems;
    check(problems.length === 0, () => `fixed file no longer parses: ${problems[0]!.message}\n--- fixed:\n${fixed}`);
    const diff = unexplained(toModel(text), toModel(fixed));
    check(diff.length === 0, () => `the model changed beyond the fixes: ${diff.slice(0, 3).join('; ')}\n--- fixed:\n${fixed}`);
    if (result.applied.length === 0) check(fixed === text, 'text changed but no fix was reported');
  },
  deadlineMs: 8000,
});

export default [fixEngine];
