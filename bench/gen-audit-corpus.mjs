// Generates a corpus of varied, realistic GitHub Actions workflows and composite actions for the
// audit benchmark. Deterministic (seeded PRNG) so numbers are comparable across runs.
// Usage: node bench/gen-audit-corpus.mjs [--files 10000] [--out bench/corpus/audit]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const total = Number(opt('files', '10000'));
const out = opt('out', 'bench/corpus/audit');

let seed = 0x5eed;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const TRIGGERS = [
  'push:\n    branches: [main]\n  pull_request:',
  'pull_request_target:\n    types: [opened, synchronize]',
  'issues:\n    types: [opened]',
  'issue_comment:\n    types: [created]',
  'workflow_run:\n    workflows: [CI]\n    types: [completed]',
  'release:\n    types: [published]',
  'schedule:\n    - cron: "0 3 * * 1"',
  'workflow_dispatch:\n    inputs:\n      target:\n        type: string',
  'workflow_call:\n    inputs:\n      ref:\n        type: string',
];
const USES = [
  'actions/checkout@v4',
  'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  'actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n          cache: npm',
  'actions/setup-python@v5\n        with:\n          python-version: "3.12"',
  'actions/cache@v4\n        with:\n          path: ~/.npm\n          key: npm-${{ hashFiles(\'**/package-lock.json\') }}',
  'docker/login-action@v3\n        with:\n          registry: ghcr.io\n          username: ${{ github.actor }}\n          password: ${{ secrets.GITHUB_TOKEN }}',
  'tj-actions/changed-files@v35',
  'softprops/action-gh-release@v2',
  'actions/upload-artifact@v4\n        with:\n          name: dist\n          path: dist/',
  'actions/github-script@v7\n        with:\n          script: |\n            core.info(`${{ github.event.issue.title }}`)',
  'some-org/internal-action@main',
  './.github/actions/setup',
];
const RUNS = [
  'npm ci\n          npm test',
  'echo "Title: ${{ github.event.issue.title }}"',
  'echo "$TITLE"',
  'make build && make test',
  'curl -sSfL https://get.example.com/install.sh | bash',
  'echo "ref=${{ github.head_ref }}" >> "$GITHUB_ENV"',
  'python -m pip install -r requirements.txt\n          pytest -q',
  'go test ./...',
  'docker build -t app:${{ github.sha }} .',
  'gh pr comment ${{ github.event.pull_request.number }} --body "done"',
];

function step() {
  if (rand() < 0.5) {
    const u = pick(USES);
    return `      - uses: ${u}`;
  }
  const run = pick(RUNS);
  const env = run.includes('$TITLE') ? '\n        env:\n          TITLE: ${{ github.event.issue.title }}' : '';
  return `      - name: step ${Math.floor(rand() * 1000)}${env}\n        run: |\n          ${run}`;
}

function job(name) {
  const steps = Array.from({ length: 2 + Math.floor(rand() * 8) }, step).join('\n');
  const perms = pick(['', '    permissions:\n      contents: read\n', '    permissions: write-all\n', '    permissions:\n      contents: write\n      pull-requests: write\n']);
  const runsOn = pick(['ubuntu-latest', 'ubuntu-latest', '[self-hosted, linux]', '${{ matrix.os }}']);
  const matrix = rand() < 0.3 ? '    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n        node: [18, 20, 22]\n' : '';
  const container = rand() < 0.1 ? '    container: node:20\n' : '';
  return `  ${name}:\n    runs-on: ${runsOn}\n${perms}${matrix}${container}    steps:\n${steps}`;
}

function workflow(i) {
  const trig = pick(TRIGGERS);
  const jobs = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, j) => job(`job${j}`)).join('\n');
  const top = rand() < 0.4 ? 'permissions:\n  contents: read\n\n' : '';
  return `name: Workflow ${i}\non:\n  ${trig}\n\n${top}jobs:\n${jobs}\n`;
}

function compositeAction(i) {
  return `name: setup ${i}
description: shared setup
inputs:
  version:
    description: tool version
    default: "1.0"
runs:
  using: composite
  steps:
    - uses: actions/setup-node@v4
      with:
        node-version: \${{ inputs.version }}
    - shell: bash
      run: |
        echo "installing \${{ inputs.version }}"
        npm ci
`;
}

rmSync(out, { recursive: true, force: true });
let bytes = 0;
const repos = Math.ceil(total / 100);
let written = 0;
for (let r = 0; r < repos && written < total; r++) {
  const repo = join(out, `repo${r}`);
  mkdirSync(join(repo, '.github/workflows'), { recursive: true });
  mkdirSync(join(repo, '.github/actions/setup'), { recursive: true });
  const a = compositeAction(r);
  writeFileSync(join(repo, '.github/actions/setup/action.yml'), a);
  bytes += a.length;
  written++;
  for (let i = 0; i < 99 && written < total; i++, written++) {
    const w = workflow(written);
    writeFileSync(join(repo, `.github/workflows/w${i}.yml`), w);
    bytes += w.length;
  }
}
console.log(`wrote ${written} files (${(bytes / 1e6).toFixed(1)} MB) in ${repos} repositories under ${out}`);
