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
const mixed = args.includes('--mixed');
const out = opt('out', mixed ? 'bench/corpus/audit-mixed' : 'bench/corpus/audit');

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

// Real repositories are mostly clean: most steps use pinned actions and benign scripts, and a
// minority carry the patterns the audits look for (so the corpus still exercises every rule).
const CLEAN_USES = [
  'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false',
  'actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af # v4.1.0\n        with:\n          node-version: 20',
  'actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b # v5.3.0\n        with:\n          python-version: "3.12"',
  'actions/upload-artifact@6f51ac03b9356f520e9adb1b1b7802705f340c2b # v4.5.0\n        with:\n          name: dist\n          path: dist/',
];
const CLEAN_RUNS = ['npm ci\n          npm test', 'make build && make test', 'python -m pip install -r requirements.txt\n          pytest -q', 'go test ./...', 'cargo test --locked'];

function step() {
  const vulnerable = rand() < 0.15;
  if (rand() < 0.5) {
    const u = vulnerable ? pick(USES) : pick(CLEAN_USES);
    return `      - uses: ${u}`;
  }
  const run = vulnerable ? pick(RUNS) : pick(CLEAN_RUNS);
  const env = run.includes('$TITLE') ? '\n        env:\n          TITLE: ${{ github.event.issue.title }}' : '';
  return `      - name: step ${Math.floor(rand() * 1000)}${env}\n        run: |\n          ${run}`;
}

function job(name) {
  const steps = Array.from({ length: 2 + Math.floor(rand() * 8) }, step).join('\n');
  const perms = rand() < 0.8 ? '    permissions:\n      contents: read\n' : pick(['', '    permissions: write-all\n', '    permissions:\n      contents: write\n      pull-requests: write\n']);
  const runsOn = rand() < 0.85 ? 'ubuntu-latest' : pick(['[self-hosted, linux]', '${{ matrix.os }}']);
  const matrix = rand() < 0.3 ? '    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n        node: [18, 20, 22]\n' : '';
  const container = rand() < 0.1 ? '    container: node:20\n' : '';
  return `  ${name}:\n    runs-on: ${runsOn}\n${perms}${matrix}${container}    steps:\n${steps}`;
}

function workflow(i) {
  const trig = rand() < 0.7 ? TRIGGERS[0] : pick(TRIGGERS);
  const jobs = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, j) => job(`job${j}`)).join('\n');
  const top = rand() < 0.8 ? 'permissions:\n  contents: read\n\n' : '';
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

// Other platforms, for --mixed: each repository gets one pipeline of each, varied by the PRNG.
function gitlab() {
  const jobs = Array.from({ length: 3 + Math.floor(rand() * 6) }, (_, j) => `job${j}:
  stage: ${pick(['build', 'test', 'deploy'])}
  image: ${pick(['node:20', 'python:3.12@sha256:' + 'a'.repeat(64), 'alpine:latest'])}
  script:
    - ${pick(['npm ci', 'make test', 'eval "$CI_COMMIT_MESSAGE"', 'curl -sL https://x.example/i.sh | sh', 'echo "$CI_MERGE_REQUEST_TITLE"'])}
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
`).join('\n');
  return `stages: [build, test, deploy]\nvariables:\n  GIT_DEPTH: "10"\n  CI_DEBUG_TRACE: "${rand() < 0.1}"\n\n${jobs}`;
}
function azure() {
  const steps = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => pick([
    '  - script: echo "$(Build.SourceBranchName)"',
    '  - bash: npm ci && npm test',
    '  - task: Bash@3\n    inputs:\n      targetType: inline\n      script: echo hello',
    '  - checkout: self\n    persistCredentials: true',
    '  - script: echo "##vso[task.setvariable variable=x]$(System.PullRequest.SourceBranch)"',
  ])).join('\n');
  return `trigger:\n  - main\npr:\n  - main\npool:\n  vmImage: ubuntu-latest\nvariables:\n  system.debug: ${rand() < 0.1}\nsteps:\n${steps}\n`;
}
function circleci() {
  return `version: 2.1
orbs:
  node: circleci/node@${pick(['5.2.0', '5', 'volatile'])}
jobs:
  build:
    docker:
      - image: ${pick(['cimg/node:20.11', 'node:latest'])}
    steps:
      - checkout
      - run: ${pick(['npm ci', 'echo "<< pipeline.git.branch >>"', 'curl -s https://x.example/i.sh | bash'])}
workflows:
  main:
    jobs:
      - build
`;
}
function bitbucket() {
  return `image: ${pick(['node:20', 'atlassian/default-image:4'])}
pipelines:
  default:
    - step:
        name: build
        caches: [node]
        script:
          - npm ci
          - ${pick(['npm test', 'eval "$BITBUCKET_BRANCH"', 'curl -s https://x.example/i.sh | sh'])}
  pull-requests:
    '**':
      - step:
          script:
            - npm test
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
  let perRepo = 99;
  if (mixed) {
    mkdirSync(join(repo, '.circleci'), { recursive: true });
    const others = [['.gitlab-ci.yml', gitlab()], ['azure-pipelines.yml', azure()], ['.circleci/config.yml', circleci()], ['bitbucket-pipelines.yml', bitbucket()]];
    for (const [name, text] of others) {
      writeFileSync(join(repo, name), text);
      bytes += text.length;
      written++;
    }
    perRepo = 95;
  }
  for (let i = 0; i < perRepo && written < total; i++, written++) {
    const w = workflow(written);
    writeFileSync(join(repo, `.github/workflows/w${i}.yml`), w);
    bytes += w.length;
  }
}
console.log(`wrote ${written} files (${(bytes / 1e6).toFixed(1)} MB) in ${repos} repositories under ${out}`);
