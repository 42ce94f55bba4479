#!/usr/bin/env node
// Hostile sizes (issue 8, item 7): generates CI files of many jobs, needs, steps and stages for
// every platform, audits each with the built CLI and prints shape, N, seconds and peak RSS.
// Usage: nice -n 19 node bench/hostile-sizes.mjs [--only NAME] [--n 5000]
// Needs `npm run build`. One process at a time; CPU time (user+sys) is what to compare on a loaded
// machine (wall time waits for the CPU); both include Node start-up (~0.3 s).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../dist/cli/main.js');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const N = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : 5000;

const range = (n) => Array.from({ length: n }, (_, i) => i);
const gh = (jobs) => `on: push\npermissions: {}\njobs:\n${jobs}`;
const ghJob = (i, needs, steps = 1) =>
  `  j${i}:\n    runs-on: ubuntu-latest\n${needs.length ? `    needs: [${needs.map((k) => `j${k}`).join(', ')}]\n` : ''}    steps:\n${range(steps).map((s) => `      - run: echo ${i}-${s}\n`).join('')}`;

const SHAPES = {
  'github: jobs, no needs': (n) => ({ '.github/workflows/ci.yml': gh(range(n).map((i) => ghJob(i, [])).join('')) }),
  'github: jobs in a needs chain': (n) => ({ '.github/workflows/ci.yml': gh(range(n).map((i) => ghJob(i, i ? [i - 1] : [])).join('')) }),
  'github: every job needs the 20 before it': (n) => ({ '.github/workflows/ci.yml': gh(range(n).map((i) => ghJob(i, range(Math.min(i, 20)).map((k) => i - 1 - k))).join('')) }),
  'github: one job needs all others': (n) => ({ '.github/workflows/ci.yml': gh(range(n).map((i) => ghJob(i, i === n - 1 ? range(n - 1) : [])).join('')) }),
  'github: one job, N steps': (n) => ({ '.github/workflows/ci.yml': gh(ghJob(0, [], n)) }),
  'github: jobs with outputs read through needs': (n) => ({
    '.github/workflows/ci.yml': gh(range(n).map((i) => `  j${i}:\n    runs-on: ubuntu-latest\n${i ? `    needs: j${i - 1}\n` : ''}    outputs:\n      v: \${{ steps.s.outputs.v }}\n    steps:\n      - id: s\n        run: echo "v=\${{ ${i ? `needs.j${i - 1}.outputs.v` : 'github.sha'} }}" >> "$GITHUB_OUTPUT"\n`).join('')),
  }),
  'github: pull_request_target, gated jobs in a needs chain running the PR head': (n) => ({
    '.github/workflows/ci.yml': `on: pull_request_target\npermissions: {}\njobs:\n${range(n).map((i) => `  j${i}:\n    runs-on: ubuntu-latest\n${i ? `    needs: j${i - 1}\n` : ''}    if: github.event.pull_request.head.repo.full_name != github.repository\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n      - run: npm test\n`).join('')}`,
  }),
  'gitlab: jobs in a needs chain': (n) => ({ '.gitlab-ci.yml': range(n).map((i) => `j${i}:\n  script: echo ${i}\n${i ? `  needs: [j${i - 1}]\n` : ''}`).join('') }),
  'gitlab: every job needs/dependencies on the 20 before': (n) => ({
    '.gitlab-ci.yml': range(n).map((i) => {
      const prev = range(Math.min(i, 20)).map((k) => `j${i - 1 - k}`);
      return `j${i}:\n  script: echo ${i}\n${prev.length ? `  needs: [${prev.join(', ')}]\n  dependencies: [${prev.join(', ')}]\n` : ''}`;
    }).join(''),
  }),
  'gitlab: stages, jobs spread over 100 stages': (n) => ({
    '.gitlab-ci.yml': `stages: [${range(100).map((s) => `s${s}`).join(', ')}]\n${range(n).map((i) => `j${i}:\n  stage: s${i % 100}\n  script: echo ${i}\n`).join('')}`,
  }),
  'azure: stages in a dependsOn chain': (n) => ({
    'azure-pipelines.yml': `stages:\n${range(n).map((i) => `  - stage: s${i}\n${i ? `    dependsOn: s${i - 1}\n` : ''}    jobs:\n      - job: j\n        steps:\n          - script: echo ${i}\n`).join('')}`,
  }),
  'azure: jobs, each dependsOn the 20 before': (n) => ({
    'azure-pipelines.yml': `jobs:\n${range(n).map((i) => `  - job: j${i}\n${i ? `    dependsOn: [${range(Math.min(i, 20)).map((k) => `j${i - 1 - k}`).join(', ')}]\n` : ''}    steps:\n      - script: echo ${i}\n`).join('')}`,
  }),
  'circleci: workflow jobs in a requires chain': (n) => ({
    '.circleci/config.yml': `version: 2.1\njobs:\n${range(n).map((i) => `  j${i}:\n    docker:\n      - image: cimg/base:2024.01@sha256:${'a'.repeat(64)}\n    steps:\n      - run: echo ${i}\n`).join('')}workflows:\n  main:\n    jobs:\n${range(n).map((i) => `      - j${i}${i ? `:\n          requires: [j${i - 1}]` : ''}\n`).join('')}`,
  }),
  'bitbucket: N steps': (n) => ({
    'bitbucket-pipelines.yml': `image: atlassian/default-image:4@sha256:${'b'.repeat(64)}\npipelines:\n  default:\n${range(n).map((i) => `    - step:\n        name: s${i}\n        script:\n          - echo ${i}\n`).join('')}`,
  }),
};

function materialise(files) {
  const root = mkdtempSync(join(tmpdir(), 'pw-hostile-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

console.log('| shape | N | file KB | CPU s (user+sys) | wall s | peak RSS MB | exit | findings |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, gen] of Object.entries(SHAPES)) {
  if (only && !name.includes(only)) continue;
  const files = gen(N);
  const root = materialise(files);
  const kb = Math.round(Object.values(files).reduce((s, t) => s + t.length, 0) / 1024);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, CLI, 'audit', '--format', 'json', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys, kb2] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  const rss = Math.round(kb2 / 1024);
  const cpu = user + sys;
  let findings;
  try {
    findings = JSON.parse(r.stdout).findings.length;
  } catch {
    findings = `unparsed: ${r.stderr.split('\n')[0]}`;
  }
  console.log(`| ${name} | ${N} | ${kb} | ${cpu.toFixed(2)} | ${secs.toFixed(2)} | ${rss} | ${r.status} | ${findings} |`);
}
