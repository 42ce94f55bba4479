/**
 * Entry point of the GitHub Action (action.yml, `runs.using: node24`). Runs the bundled CLI
 * from this package as a child process, with the inputs as separate arguments (never through a
 * shell), then publishes what it found: annotations (the CLI's `github` format on stdout), a job
 * summary, SARIF with a category per command (uploaded to code scanning on request), and the
 * outputs `findings`, `sarif-file` and `exit-code`. Nothing is installed or downloaded.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonReport } from '../report/json.js';
import { escapeData, escapeProperty } from '../report/github.js';
import { mergeBaseOf, RevisionError, workTreeTop } from '../sources/revision.js';
import { chooseBase, readEvent } from './event.js';
import { InputError, readInputs, type ActionInputs } from './inputs.js';
import { renderSummary } from './summary.js';
import { uploadSarif, UploadError } from './upload.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

type Env = NodeJS.ProcessEnv;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function annotate(level: 'error' | 'warning' | 'notice', message: string): void {
  log(`::${level} title=${escapeProperty('pipewarden')}::${escapeData(message)}`);
}

/** Runs the Action; resolves to the process exit code (0 passed, 1 failed). */
export async function runAction(env: Env = process.env): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    annotate('error', e.message);
    return 1;
  }
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const temp = env.RUNNER_TEMP || tmpdir();
  const work = mkdtempSync(join(temp, 'pipewarden-'));
  try {
    return await runIn(inputs, env, workspace, temp, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runIn(inputs: ActionInputs, env: Env, workspace: string, temp: string, work: string): Promise<number> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const base = chooseBase(inputs.newOnly, eventName, event);
  let newOnly = base.ref;
  let scope = base.reason;
  if (newOnly) {
    try {
      mergeBaseOf(workTreeTop(workspace), newOnly);
    } catch (e) {
      if (!(e instanceof RevisionError)) throw e;
      // Reporting everything is the safe side of not knowing what is new.
      scope = `Every finding is reported: new-only could not be applied (${e.message}).`;
      annotate('warning', `${scope} Check out with fetch-depth: 0 (actions/checkout) so the base commit is available.`);
      newOnly = undefined;
    }
  }

  const jsonFile = join(work, 'report.json');
  const sarifFile = inputs.sarifFile ? resolve(workspace, inputs.sarifFile) : join(temp, `pipewarden-${inputs.command}.sarif`);
  mkdirSync(dirname(sarifFile), { recursive: true });
  const common = [
    ...inputs.paths,
    '--fail-on', inputs.failOn,
    ...(inputs.minConfidence ? ['--min-confidence', inputs.minConfidence] : []),
    ...(inputs.config ? ['--config', inputs.config] : []),
    ...(inputs.baseline ? ['--baseline', inputs.baseline] : []),
    ...(inputs.online ? ['--online'] : []),
  ];
  // Code scanning tracks alerts per branch and shows a pull request what it adds, so what is
  // uploaded holds every finding; the gate, annotations and summary hold only the new ones.
  const separateSarif = inputs.uploadSarif && newOnly !== undefined;
  const gateArgs = [
    inputs.command,
    ...common,
    '--format', inputs.annotations ? 'github' : 'text',
    '--json-output', jsonFile,
    ...(separateSarif ? [] : ['--sarif-output', sarifFile]),
    ...(newOnly ? ['--new-only', newOnly] : []),
  ];
  const childEnv = cliEnv(env, inputs);
  log(`pipewarden ${displayArgs(gateArgs, work)}`);
  const exitCode = await runCli(gateArgs, workspace, childEnv);
  if (separateSarif) {
    const sarifArgs = [inputs.command, ...common, '--format', 'sarif', '--output', sarifFile, '--fail-on', 'never', '--quiet'];
    log(`pipewarden ${displayArgs(sarifArgs, work)}`);
    const code = await runCli(sarifArgs, workspace, childEnv, true);
    if (code !== 0) annotate('warning', `the full SARIF report for code scanning could not be written (exit code ${code})`);
  }
  const hasSarif = existsSync(sarifFile) && setSarifCategory(sarifFile, inputs.command);

  const report = readReport(jsonFile);
  const findings = report?.findings.length ?? 0;
  setOutputs(env, { findings: String(findings), 'sarif-file': hasSarif ? sarifFile : '', 'exit-code': String(exitCode) });
  if (env.GITHUB_STEP_SUMMARY) {
    const summary = report
      ? renderSummary(report, {
          command: inputs.command,
          failOn: inputs.failOn,
          exitCode,
          scope,
          blobBase: blobBase(env),
          repoPath: repoPathIn(workspace),
        })
      : `## pipewarden ${inputs.command}: the scan did not complete (exit code ${exitCode}); see the log\n`;
    appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  }

  let uploadFailed = false;
  if (inputs.uploadSarif) {
    uploadFailed = !(await upload(inputs, env, event, workspace, hasSarif ? sarifFile : undefined));
  }
  if (exitCode >= 2) {
    annotate('error', `pipewarden ${inputs.command} did not complete (exit code ${exitCode}); see the messages above`);
    return 1;
  }
  if (exitCode === 1) {
    annotate('error', `pipewarden ${inputs.command} found ${findings === 1 ? 'a finding' : `${findings} findings`}, at or above "${inputs.failOn}" (the fail-on input)`);
    return 1;
  }
  return uploadFailed ? 1 : 0;
}

/** The CLI's environment: the runner's, minus the Action's own inputs (the token among them). */
function cliEnv(env: Env, inputs: ActionInputs): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('INPUT_')) out[k] = v;
  if (inputs.online) {
    if (inputs.token) out.GITHUB_TOKEN = inputs.token;
    // GitHub Enterprise Server: the runner names its API; api.github.com otherwise.
    if (env.GITHUB_API_URL) out.PIPEWARDEN_GITHUB_API_URL = env.GITHUB_API_URL;
  }
  return out;
}

function runCli(args: string[], cwd: string, env: Env, quiet = false): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 3 : 3)));
  });
}

/** For the log: quoted like a shell would need, temp paths shortened. */
function displayArgs(args: string[], work: string): string {
  return args.map((a) => (a.startsWith(work) ? `$TMP${a.slice(work.length)}` : a)).map((a) => (/^[\w@%+=:,./$-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Sets `runs[].automationDetails.id` to `pipewarden/COMMAND/`: code scanning's category. */
function setSarifCategory(file: string, command: string): boolean {
  try {
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as { runs?: Array<Record<string, unknown>> };
    for (const run of sarif.runs ?? []) run.automationDetails = { id: `pipewarden/${command}/` };
    writeFileSync(file, JSON.stringify(sarif, null, 2) + '\n');
    return true;
  } catch {
    return false;
  }
}

function readReport(file: string): JsonReport | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
  } catch {
    return undefined;
  }
}

/** Step outputs in the multi-line form with a random delimiter, so no value can forge another. */
function setOutputs(env: Env, values: Record<string, string>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    const delimiter = `pipewarden_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

function blobBase(env: Env): string | undefined {
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!server || !repo || !sha || !/^[0-9a-f]{40,64}$/.test(sha) || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repo}/blob/${sha}/`;
}

/** Finding paths are relative to the workspace; links need them relative to the repository. */
function repoPathIn(workspace: string): (file: string) => string | undefined {
  let top: string | undefined;
  try {
    top = workTreeTop(workspace);
  } catch {
    top = undefined;
  }
  return (file) => {
    if (!top) return undefined;
    const rel = relative(top, resolve(workspace, file));
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
  };
}

async function upload(inputs: ActionInputs, env: Env, event: Record<string, unknown>, workspace: string, sarifFile: string | undefined): Promise<boolean> {
  if (!sarifFile) {
    annotate('error', 'upload-sarif: there is no SARIF report to upload');
    return false;
  }
  try {
    const id = await uploadSarif({
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      token: inputs.token ?? '',
      commitSha: env.GITHUB_SHA ?? '',
      ref: env.GITHUB_REF ?? '',
      sarif: readFileSync(sarifFile, 'utf8'),
      checkoutUri: workspace,
    });
    log(`SARIF uploaded to code scanning (category pipewarden/${inputs.command}/, upload ${id})`);
    return true;
  } catch (e) {
    if (!(e instanceof UploadError)) throw e;
    const fork = (event.pull_request as { head?: { repo?: { fork?: unknown } } } | undefined)?.head?.repo?.fork === true;
    if (fork && e.status === 403) {
      // A fork's pull request gets a read-only token: code scanning cannot take its results.
      annotate('warning', `upload-sarif: ${e.message} (a pull request from a fork has a read-only token; the findings are in the annotations and the summary)`);
      return true;
    }
    annotate('error', `upload-sarif: ${e.message}`);
    return false;
  }
}

// Run when executed as the Action's entry point (not when imported by a test).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runAction().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      annotate('error', `internal error in the pipewarden Action: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
