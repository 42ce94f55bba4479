/**
 * The GitHub Action's entry point (dist/action/main.js, what action.yml runs), in a simulated
 * runner: a git repository with a pull request branch, GITHUB_EVENT_PATH with the event,
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, RUNNER_TEMP, INPUT_* variables. Every input and
 * output is exercised, with exact expected text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INJECTABLE, REPO } from '../helpers.js';
import { commitAll, git, GH_PAT, initRepo, tempDir, write } from '../secrets/fixtures.js';

const ENTRY = join(REPO, 'dist/action/main.js');
const BODY = INJECTABLE.replace('issue.title', 'issue.body');
const LOW = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
}

interface Fixture {
  repo: string;
  mainSha: string;
  headSha: string;
}

/** main: an injectable workflow and a leaked token; branch pr adds a second injectable workflow. */
function fixture(): Fixture {
  const repo = tempDir('pw-action-');
  initRepo(repo);
  write(repo, '.github/workflows/old.yml', INJECTABLE);
  write(repo, 'config/settings.env', `TOKEN=${GH_PAT}\n`);
  const mainSha = commitAll(repo, 'base');
  git(repo, ['checkout', '-q', '-b', 'pr']);
  write(repo, '.github/workflows/old.yml', `# moved\n${INJECTABLE}`);
  write(repo, '.github/workflows/new.yml', BODY);
  const headSha = commitAll(repo, 'change');
  return { repo, mainSha, headSha };
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** Runs the entry point asynchronously, so a local API server in this process can answer it. */
async function runAction(fx: Fixture, inputs: Record<string, string>, opts: { event?: string; payload?: unknown; env?: Record<string, string> } = {}): Promise<Run> {
  const runnerTemp = tempDir('pw-runner-');
  const eventPath = join(runnerTemp, 'event.json');
  const payload = opts.payload ?? {
    pull_request: { number: 7, base: { sha: fx.mainSha, ref: 'main' }, head: { sha: fx.headSha, ref: 'pr', repo: { fork: false } } },
  };
  writeFileSync(eventPath, JSON.stringify(payload));
  const summaryFile = join(runnerTemp, 'summary.md');
  const outputFile = join(runnerTemp, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: fx.repo,
    GITHUB_EVENT_NAME: opts.event ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SHA: fx.headSha,
    GITHUB_REF: 'refs/pull/7/merge',
    // What the runner sets from action.yml's defaults.
    INPUT_COMMAND: 'scan',
    INPUT_PATHS: '',
    INPUT_CONFIG: '',
    'INPUT_FAIL-ON': 'high',
    'INPUT_MIN-CONFIDENCE': '',
    INPUT_BASELINE: '',
    'INPUT_NEW-ONLY': 'auto',
    'INPUT_SARIF-FILE': '',
    'INPUT_UPLOAD-SARIF': 'false',
    INPUT_ANNOTATIONS: 'true',
    INPUT_ONLINE: 'false',
    INPUT_TOKEN: 'ghs_jobtoken',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...opts.env,
  };
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], { cwd: fx.repo, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    runnerTemp,
  };
}

/** Annotation lines for findings (the Action's own messages have title=pipewarden). */
function findingAnnotations(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));
}

describe('the Action on a pull request', { timeout: 300_000 }, () => {
  it('defaults: scan, only what the pull request adds, annotations, summary, SARIF, outputs', async () => {
    const fx = fixture();
    const r = await runAction(fx, {});
    expect(r.code).toBe(1);
    const sarifPath = join(r.runnerTemp, 'pipewarden-scan.sarif');
    expect(r.stdout).toBe(
      [
        `pipewarden scan . --fail-on high --format github --json-output $TMP/report.json --sarif-output ${sarifPath} --new-only ${fx.mainSha}`,
        '::error file=.github/workflows/new.yml,line=7,col=20,endLine=7,endColumn=50,title=template-injection::"github.event.issue.body" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
        '::error title=pipewarden::pipewarden scan found a finding, at or above "high" (the fail-on input)',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(`note: --new-only ${fx.mainSha}: 2 findings already present at the merge base ${fx.mainSha.slice(0, 12)} left out\n`);
    expect(r.outputs).toEqual({ findings: '1', 'sarif-file': sarifPath, 'exit-code': '1' });
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as { runs: Array<{ automationDetails: unknown; results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.automationDetails).toEqual({ id: 'pipewarden/scan/' });
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual(['template-injection']);
    expect(r.summary).toBe(
      [
        '## pipewarden scan: 1 new finding (1 high)',
        '',
        '**Failed:** 1 finding at or above `high`.',
        '',
        `Pull request: only the findings it introduces, compared with the merge base of its base branch. 2 findings already at the merge base \`${fx.mainSha.slice(0, 12)}\` are not shown.`,
        '',
        '| severity | count |',
        '|---|---:|',
        '| high | 1 |',
        '',
        '### Findings',
        '',
        '| severity | rule | where | message |',
        '|---|---|---|---|',
        `| high | template-injection | [.github/workflows/new.yml:7](https://github.com/acme/app/blob/${fx.headSha}/.github/workflows/new.yml#L7) | "github.event.issue.body" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "\\$VAR" instead |`,
        '',
        '<details><summary>How to suppress a finding</summary>',
        '',
        '- Fix it: `pipewarden fix` applies the safe fixes; `pipewarden rules RULE` explains each rule.',
        '- On the line, or the line above: `# pipewarden: ignore[RULE] why this is fine`.',
        '- In `.github/pipewarden.yml`: an `ignore:` entry with `rule`, `path` (`file` or `file:line`), `reason` and an optional `expires` date.',
        "- Accept everything found today: `pipewarden scan --write-baseline .pipewarden-baseline.json`, commit the file and set the Action's `baseline` input to it.",
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('new-only: false reports everything; a push compares only with new-only: true; a ref is taken as given', async () => {
    const fx = fixture();
    const all = await runAction(fx, { 'new-only': 'false' });
    expect(all.outputs.findings).toBe('3');
    expect(findingAnnotations(all.stdout)).toHaveLength(3);
    expect(all.summary).toContain('## pipewarden scan: 3 findings (1 critical, 2 high)\n');
    expect(all.summary).toContain('Every finding is reported (new-only: false).');

    const before = git(fx.repo, ['rev-parse', 'HEAD~1']).trim();
    const push = { before, after: fx.headSha };
    const pushAuto = await runAction(fx, {}, { event: 'push', payload: push });
    expect(pushAuto.outputs.findings).toBe('3');
    expect(pushAuto.summary).toContain('Every finding is reported: a push has no base to compare with.');
    const pushTrue = await runAction(fx, { 'new-only': 'true' }, { event: 'push', payload: push });
    expect(pushTrue.outputs.findings).toBe('1');
    expect(pushTrue.summary).toContain('Push: only the findings this push introduces.');
    const ref = await runAction(fx, { 'new-only': 'main' }, { event: 'workflow_dispatch', payload: {} });
    expect(ref.outputs.findings).toBe('1');
    expect(ref.stdout.split('\n')[0]).toMatch(/ --new-only main$/);

    const queue = await runAction(fx, {}, { event: 'merge_group', payload: { merge_group: { base_sha: fx.mainSha, head_sha: fx.headSha } } });
    expect(queue.outputs.findings).toBe('1');
    expect(queue.summary).toContain('Merge queue: only the findings this entry introduces.');
  });

  it('a shallow checkout without the base: warns, reports everything, still gates', async () => {
    const fx = fixture();
    const clone = tempDir('pw-action-shallow-');
    git(clone, ['clone', '-q', '--depth', '1', '--branch', 'pr', `file://${fx.repo}`, 'c']);
    const r = await runAction({ ...fx, repo: join(clone, 'c') }, {});
    expect(r.code).toBe(1);
    expect(r.outputs.findings).toBe('3');
    expect(r.stdout).toContain(
      `::warning title=pipewarden::Every finding is reported: new-only could not be applied ("${fx.mainSha}" is not a commit in this repository (this is a shallow clone: fetch the base branch with enough history (actions/checkout%3A fetch-depth%3A 0; GitLab%3A GIT_DEPTH%3A 0))). Check out with fetch-depth: 0 (actions/checkout) so the base commit is available.`.replace(
        /%3A/g,
        ':',
      ),
    );
  });

  it('command, paths, fail-on, min-confidence, config and baseline reach the CLI', async () => {
    const fx = fixture();
    write(fx.repo, 'ci/.github/workflows/low.yml', LOW);
    commitAll(fx.repo, 'low');
    const audit = await runAction(fx, { command: 'audit', paths: 'ci\n.github/workflows/new.yml', 'new-only': 'false', 'fail-on': 'never' });
    expect(audit.code).toBe(0);
    expect(audit.stdout.split('\n')[0]).toBe(
      `pipewarden audit ci .github/workflows/new.yml --fail-on never --format github --json-output $TMP/report.json --sarif-output ${join(audit.runnerTemp, 'pipewarden-audit.sarif')}`,
    );
    expect(findingAnnotations(audit.stdout).map((l) => l.replace(/^(::\w+ file=[^,]+),.*?title=([^:]+)::.*$/, '$1 $2'))).toEqual([
      '::error file=.github/workflows/new.yml template-injection',
      '::notice file=ci/.github/workflows/low.yml unpinned-uses',
    ]);
    expect(audit.outputs).toMatchObject({ findings: '2', 'exit-code': '0' });
    expect(audit.summary).toContain('The gate is off (`fail-on: never`).');
    expect(JSON.parse(readFileSync(audit.outputs['sarif-file']!, 'utf8')).runs[0].automationDetails).toEqual({ id: 'pipewarden/audit/' });

    // fail-on low makes the low finding fail the step; min-confidence high keeps it (high confidence).
    const low = await runAction(fx, { command: 'audit', paths: 'ci', 'new-only': 'false', 'fail-on': 'low', 'min-confidence': 'high' });
    expect(low.code).toBe(1);
    expect(low.stdout.split('\n')[0]).toContain('--fail-on low --min-confidence high');
    expect(low.summary).toContain('**Failed:** 1 finding at or above `low`.');

    // config: a config file that turns the rule off.
    write(fx.repo, 'quiet.yml', 'rules:\n  template-injection:\n    enabled: false\n');
    const cfg = await runAction(fx, { command: 'audit', config: 'quiet.yml', 'new-only': 'false' });
    expect(cfg.code).toBe(0);
    expect(cfg.outputs.findings).toBe('1');
    expect(cfg.summary).toContain('**Passed:** nothing at or above `high`.');

    // baseline: accept today's findings, then nothing is left.
    const baseline = join(fx.repo, 'baseline.json');
    expect(spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), 'secrets', '--write-baseline', baseline, '--fail-on', 'never'], { cwd: fx.repo }).status).toBe(0);
    const secrets = await runAction(fx, { command: 'secrets', baseline: 'baseline.json', 'new-only': 'false' });
    expect(secrets.code).toBe(0);
    expect(secrets.outputs.findings).toBe('0');
    expect(secrets.summary).toBe('## pipewarden secrets: no findings\n\n**Passed:** nothing at or above `high`.\n\nEvery finding is reported (new-only: false). 1 suppressed by ignores or the baseline.\n\n');
  });

  it('command: sast runs the SAST scanner, new-only included', async () => {
    const fx = fixture();
    git(fx.repo, ['checkout', '-q', 'main']);
    // Named handlers: a SAST fingerprint is function + sink + source, so two anonymous handlers
    // with the same sink and source in one file would share one.
    const handler = (path: string, table: string): string => `app.get('${path}', function ${table}Handler(req, res) {\n  res.json(db.prepare(\`SELECT * FROM ${table} WHERE n = '\${req.query.n}'\`).all());\n});\n`;
    write(fx.repo, 'app.js', `const express = require('express');\nconst Database = require('better-sqlite3');\nconst db = new Database('x.db');\nconst app = express();\n${handler('/a', 'users')}`);
    const mainSha = commitAll(fx.repo, 'an injectable handler on main');
    git(fx.repo, ['checkout', '-q', 'pr']);
    git(fx.repo, ['merge', '-q', '--no-edit', 'main']);
    write(fx.repo, 'app.js', `// moved\n${readFileSync(join(fx.repo, 'app.js'), 'utf8')}${handler('/b', 'items')}`);
    const headSha = commitAll(fx.repo, 'another one');
    const r = await runAction({ repo: fx.repo, mainSha, headSha }, { command: 'sast' });
    expect(r.stdout.split('\n')[0]).toMatch(/^pipewarden sast \. --fail-on high --format github /);
    expect(findingAnnotations(r.stdout).map((l) => l.replace(/^(::\w+ file=[^,]+,line=\d+).*?title=([^:]+)::.*$/, '$1 $2'))).toEqual(['::error file=app.js,line=10 sql-injection']);
    expect(r.outputs.findings).toBe('1');
    expect(JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8')).runs[0].automationDetails).toEqual({ id: 'pipewarden/sast/' });
  });

  it('command: deps passes through to the dependency scanner', async () => {
    const fx = fixture();
    write(fx.repo, 'package-lock.json', '{"name":"x","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"x","version":"1.0.0"}}}\n');
    const data = tempDir('pw-action-data-');
    const r = await runAction(fx, { command: 'deps', 'new-only': 'false', 'fail-on': 'never' }, { env: { PIPEWARDEN_DATA_DIR: data } });
    // As many findings as the deps command itself reports here (its checks keep growing).
    const direct = spawnSync(process.execPath, [join(REPO, 'dist/cli/main.js'), 'deps', '-f', 'json', '--fail-on', 'never'], { cwd: fx.repo, encoding: 'utf8', env: { ...process.env, PIPEWARDEN_DATA_DIR: data } });
    const count = (JSON.parse(direct.stdout) as { findings: unknown[] }).findings.length;
    expect(r.stdout.split('\n')[0]).toBe(`pipewarden deps . --fail-on never --format github --json-output $TMP/report.json --sarif-output ${join(r.runnerTemp, 'pipewarden-deps.sarif')}`);
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ findings: String(count), 'sarif-file': join(r.runnerTemp, 'pipewarden-deps.sarif'), 'exit-code': '0' });
    expect(JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8')).runs[0].automationDetails).toEqual({ id: 'pipewarden/deps/' });
    expect(r.summary.split('\n')[0]).toMatch(/^## pipewarden deps: (no findings|\d+ findings? \()/);
  });

  it('annotations: false prints the text report instead; sarif-file sets the path', async () => {
    const fx = fixture();
    const r = await runAction(fx, { annotations: 'false', 'sarif-file': 'out/pw.sarif', 'new-only': 'false', command: 'secrets' });
    expect(findingAnnotations(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('config/settings.env:1:7: critical[high] secrets/github-pat-classic: GitHub personal access token (classic) ghp_******** found\n');
    expect(r.outputs['sarif-file']).toBe(join(fx.repo, 'out/pw.sarif'));
    expect(JSON.parse(readFileSync(join(fx.repo, 'out/pw.sarif'), 'utf8')).runs[0].automationDetails).toEqual({ id: 'pipewarden/secrets/' });
  });

  it('rejects bad inputs with one error annotation, and runs nothing', async () => {
    const fx = fixture();
    const cases: Array<[Record<string, string>, string]> = [
      [{ command: 'fix' }, 'input "command" must be one of scan, audit, secrets, deps, sast, posture, not "fix"'],
      [{ 'fail-on': 'severe' }, 'input "fail-on" must be one of critical, high, medium, low, info, never, not "severe"'],
      [{ 'min-confidence': 'sure' }, 'input "min-confidence" must be one of high, medium, low, not "sure"'],
      [{ annotations: 'yes' }, 'input "annotations" must be true or false, not "yes"'],
      [{ 'upload-sarif': 'on' }, 'input "upload-sarif" must be true or false, not "on"'],
      [{ online: '1' }, 'input "online" must be true or false, not "1"'],
      [{ command: 'scan', paths: 'a\nb' }, 'command "scan" scans one path; got 2'],
      [{ 'new-only': '--output=/etc/passwd' }, 'input "new-only" must be auto, true, false or a git ref, not "--output=/etc/passwd"'],
    ];
    for (const [inputs, message] of cases) {
      const r = await runAction(fx, inputs);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`::error title=pipewarden::${message.replace(/%/g, '%25')}\n`);
      expect(r.outputs).toEqual({});
    }
  });

  it('exit code 2 from the CLI (a bad config) fails the step and says so', async () => {
    const fx = fixture();
    write(fx.repo, 'bad.yml', 'rules:\n  template-injection:\n    severity: extreme\n');
    const r = await runAction(fx, { config: 'bad.yml' });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ findings: '0', 'sarif-file': '', 'exit-code': '2' });
    expect(r.stdout).toContain('::error title=pipewarden::pipewarden scan did not complete (exit code 2); see the messages above\n');
    expect(r.summary).toBe('## pipewarden scan: the scan did not complete (exit code 2); see the log\n');
  });

  it('input values are never interpreted: a path with shell syntax is just a path', async () => {
    const fx = fixture();
    const marker = join(tempDir('pw-action-marker-'), 'pwned');
    const r = await runAction(fx, { command: 'audit', paths: `$(touch ${marker})`, 'new-only': 'false' });
    expect(r.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(r.stderr).toContain('no such file or directory');
  });
});

describe('the Action with a local GitHub API', { timeout: 300_000 }, () => {
  const requests: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];
  let api = '';
  let status = 202;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      if (req.url?.endsWith('/code-scanning/sarifs')) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 202 ? JSON.stringify({ id: 'upload-42', url: 'x' }) : JSON.stringify({ message: 'Resource not accessible by integration' }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
      }
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    api = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('upload-sarif: every finding goes to code scanning, with the category, commit and ref; the gate stays new-only', async () => {
    const fx = fixture();
    requests.length = 0;
    status = 202;
    const r = await runAction(fx, { 'upload-sarif': 'true' }, { env: { GITHUB_API_URL: api } });
    expect(r.code).toBe(1);
    expect(r.outputs.findings).toBe('1');
    expect(r.stdout).toContain('SARIF uploaded to code scanning (category pipewarden/scan/, upload upload-42)\n');
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect([req.method, req.url, req.auth]).toEqual(['POST', '/repos/acme/app/code-scanning/sarifs', 'Bearer ghs_jobtoken']);
    const body = JSON.parse(req.body) as { commit_sha: string; ref: string; sarif: string; tool_name: string; checkout_uri: string };
    expect([body.commit_sha, body.ref, body.tool_name, body.checkout_uri]).toEqual([fx.headSha, 'refs/pull/7/merge', 'pipewarden', `file://${fx.repo}`]);
    const sarif = JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8')) as { runs: Array<{ automationDetails: unknown; results: unknown[] }> };
    expect(sarif.runs[0]!.automationDetails).toEqual({ id: 'pipewarden/scan/' });
    expect(sarif.runs[0]!.results).toHaveLength(3);
    expect(readFileSync(r.outputs['sarif-file']!, 'utf8')).toBe(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8'));
  });

  it('upload-sarif refused: an error that fails the step, or a warning for a fork pull request', async () => {
    const fx = fixture();
    status = 403;
    const r = await runAction(fx, { 'upload-sarif': 'true', 'fail-on': 'never' }, { env: { GITHUB_API_URL: api } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error title=pipewarden::upload-sarif: code scanning refused the upload: HTTP 403 Resource not accessible by integration (the job needs permissions: security-events: write)\n',
    );
    const fork = await runAction(
      fx,
      { 'upload-sarif': 'true', 'fail-on': 'never' },
      { env: { GITHUB_API_URL: api }, payload: { pull_request: { base: { sha: fx.mainSha }, head: { sha: fx.headSha, repo: { fork: true } } } } },
    );
    expect(fork.code).toBe(0);
    expect(fork.stdout).toContain('::warning title=pipewarden::upload-sarif: code scanning refused the upload: HTTP 403');
  });

  it('online: the CLI gets --online, the token and the runner API URL', async () => {
    const fx = fixture();
    write(fx.repo, '.github/workflows/low.yml', LOW);
    requests.length = 0;
    const r = await runAction(fx, { command: 'audit', online: 'true', 'new-only': 'false' }, { env: { GITHUB_API_URL: api } });
    expect(r.stdout.split('\n')[0]).toContain(' --online ');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((q) => q.auth === 'Bearer ghs_jobtoken' || q.auth === 'token ghs_jobtoken')).toBe(true);
    // The token never reaches the log.
    expect(r.stdout + r.stderr).not.toContain('ghs_jobtoken');
  });
});
