import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { loadIndicators } from '../monitor/indicators.js';
import { githubStyleToken, prng } from '../monitor/simulate/org.js';
import { jobLog, simple } from '../monitor/simulate/payloads.js';
import { Scenario } from '../monitor/testing.js';
import { openStore } from '../store/open.js';
import type { SqlStore } from '../store/sql-store.js';
import { exposure, exposureCsv, exposureMarkdown } from './exposure.js';
import { sweepLogs } from './sweep-logs.js';
import { timeline, timelineCsv } from './timeline.js';

const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';
const OTHER = 'a'.repeat(40);
const PINNED = 'c'.repeat(40);
const at = (iso: string): number => Date.parse(iso);
const log = (iso: string, action: string, ref: string, sha: string, lines: string[] = ['ok']): string =>
  jobLog({ start: at(iso), runner: 'GitHub Actions 2', workflowRef: 'acme/x/.github/workflows/lint.yml@refs/heads/main', downloads: [{ action: 'actions/checkout', ref: 'v4', sha: OTHER }, { action, ref, sha }], steps: [{ name: 'lint', lines }] });

let store: SqlStore;
const dir = mkdtempSync(join(tmpdir(), 'pw-ir-'));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  store = await openStore({ db: 'memory', dataDir: dir });
  await new Scenario()
    .hook('repository', simple({ org: 'acme', name: 'site', visibility: 'public' }, 'alice', { action: 'edited' }), at('2025-03-01T00:00:00Z'))
    .entry('repo.create_actions_secret', { at: at('2025-02-01T00:00:00Z'), actor: 'alice', repo: 'acme/api', fields: { key: 'NPM_TOKEN' } })
    .entry('org.create_actions_secret', { at: at('2025-02-01T00:00:00Z'), actor: 'alice', org: 'acme', fields: { key: 'DEPLOY_KEY' } })
    .entry('workflows.prepared_workflow_job', { at: at('2025-03-14T17:00:00Z'), actor: 'dev', repo: 'acme/api', fields: { workflow_run_id: 100, job_name: 'lint', secrets_passed: ['GITHUB_TOKEN', 'NPM_TOKEN', 'DEPLOY_KEY'] } })
    .log('acme/api/100/lint.txt', log('2025-03-14T17:00:00Z', 'tj-actions/changed-files', 'v45', TJ_BAD))
    .log('acme/site/101/lint.txt', log('2025-03-14T18:00:00Z', 'tj-actions/changed-files', 'v45', OTHER))
    .log('acme/api/102/lint.txt', log('2025-03-15T09:00:00Z', 'tj-actions/changed-files', PINNED, PINNED))
    .log('acme/api/103/lint.txt', log('2025-04-02T09:00:00Z', 'tj-actions/changed-files', 'v45', OTHER))
    .run({ store });
});

describe('ir exposure', () => {
  it('lists each job that ran the action in the window, whether it ran bad code, and the secrets to rotate with their scope', async () => {
    const r = await exposure(store, loadIndicators(), { action: 'tj-actions/changed-files', from: at('2025-03-10T00:00:00Z'), to: at('2025-03-31T00:00:00Z') });
    expect(r.jobs.map((j) => [j.status, j.repository, j.public, j.runId, j.job, j.ref, j.sha, j.secrets, j.secretsSource, j.log])).toEqual([
      ['affected', 'acme/api', null, 100, 'lint', 'v45', TJ_BAD, ['GITHUB_TOKEN', 'NPM_TOKEN', 'DEPLOY_KEY'], 'audit-log', 'acme/api/100/lint.txt:16'],
      ['not-affected', 'acme/site', true, 101, 'lint', 'v45', OTHER, [], 'unknown', 'acme/site/101/lint.txt:16'],
      ['not-affected', 'acme/api', null, 102, 'lint', PINNED, PINNED, [], 'unknown', 'acme/api/102/lint.txt:16'],
    ]);
    expect(r.jobs.map((j) => j.reason)).toEqual([
      `resolved to ${TJ_BAD}, a published malicious commit (GHSA-mrrh-fwg8-r2c3)`,
      `resolved to ${OTHER}, not a known bad commit`,
      'pinned to a commit that is not a known bad one',
    ]);
    expect(r.secrets_to_rotate).toEqual([
      { name: 'DEPLOY_KEY', scope: 'org', where: 'acme', scopeSource: 'audit-log', jobs: 1 },
      { name: 'NPM_TOKEN', scope: 'repo', where: 'acme/api', scopeSource: 'audit-log', jobs: 1 },
    ]);
    expect(r.github_token_exposed_in).toBe(1);
    expect(r.indicator?.id).toBe('tj-actions-changed-files-2025-03');
    const md = exposureMarkdown(r);
    expect(md).toContain('- [ ] `DEPLOY_KEY`: org secret of acme; read by 1 job\n- [ ] `NPM_TOKEN`: repo secret of acme/api; read by 1 job\n');
    expect(md).toContain('3 jobs used it: 1 affected, 0 likely affected, 2 not affected.');
    expect(exposureCsv(r).split('\n')[1]).toBe(`affected,acme/api,,100,,lint,acme/x/.github/workflows/lint.yml@refs/heads/main,2025-03-14T17:00:00.137Z,v45,${TJ_BAD},GITHUB_TOKEN NPM_TOKEN DEPLOY_KEY,audit-log,acme/api/100/lint.txt:16,"resolved to ${TJ_BAD}, a published malicious commit (GHSA-mrrh-fwg8-r2c3)"`);
  });

  it('without an indicator: mutable refs in the window are likely, pinned commits are not; the responder\'s bad commits decide', async () => {
    const none = { ...loadIndicators(), actions: [] };
    const q = { action: 'tj-actions/changed-files', from: at('2025-03-10T00:00:00Z'), to: at('2025-03-31T00:00:00Z') };
    const guess = await exposure(store, none, q);
    expect(guess.jobs.map((j) => j.status)).toEqual(['likely', 'likely', 'not-affected']);
    expect(guess.secrets_to_rotate.map((s) => s.name)).toEqual(['DEPLOY_KEY', 'NPM_TOKEN']);
    expect(guess.notes).toEqual(['Some exposed jobs have no audit-log `secrets_passed` and no known workflow file: their secrets are not listed (export the audit log with workflows.prepared_workflow_job events).']);
    const known = await exposure(store, none, { ...q, badShas: [OTHER.toUpperCase()] });
    expect(known.jobs.map((j) => j.status)).toEqual(['not-affected', 'affected', 'not-affected']);
    expect(known.secrets_to_rotate).toEqual([]);
  });
});

describe('ir timeline', () => {
  it('merges events and alerts in time order, an alert after its cause', async () => {
    const { entries, truncated } = await timeline(store, { from: at('2025-03-14T00:00:00Z'), to: at('2025-03-15T00:00:00Z') });
    expect(truncated).toBe(false);
    expect(entries.map((e) => `${e.type} ${e.kind} ${e.repository}`)).toEqual([
      'event workflows.prepared_workflow_job acme/api',
      'event job_log acme/api',
      'alert compromised-action-used acme/api',
      'event job_log acme/site',
    ]);
    expect(timelineCsv(entries).split('\n')[0]).toBe('time,type,source,kind,severity,repository,actor,summary,evidence');
  });
});

describe('ir sweep-logs', () => {
  it('reports secrets in a folder of logs with file and line, masked, and nothing for masked or example values', async () => {
    const token = githubStyleToken('ghp_', prng(3));
    const logs = join(dir, 'sweep');
    mkdirSync(join(logs, 'acme/api/7'), { recursive: true });
    writeFileSync(join(logs, 'acme/api/7/build.txt'), `step one\nexport GH=${token}\nGITHUB_TOKEN=***\nAKIAIOSFODNN7EXAMPLE\n`);
    const r = await sweepLogs(logs, 'sweep', DEFAULT_CONFIG);
    expect(r.logs).toBe(1);
    expect(r.findings.map((f) => [f.location.file, f.location.startLine, f.ruleId, f.severity])).toEqual([['sweep/acme/api/7/build.txt', 2, 'monitor/secret-in-log', 'critical']]);
    expect(JSON.stringify(r)).not.toContain(token);
    expect(r.diagnostics).toEqual([]);
  });
});
