#!/usr/bin/env node
// Writes examples/monitor/ (the data of the README's monitoring examples) from the simulator's
// payload builders, so the example keeps the shapes the normalisers read. Needs `npm run build`.
//   node scripts/monitor-example.mjs [OUT_DIR]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'examples/monitor'));
const p = await import(join(root, 'dist/monitor/simulate/payloads.js'));

const MIN = 60_000;
const DAY = 86_400_000;
const at = (iso) => Date.parse(iso);
const api = { org: 'acme', name: 'api', visibility: 'private', id: 501 };
const site = { org: 'acme', name: 'site', visibility: 'public', id: 502 };
const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';
const SAFE = '2a6b8a9f3f1d7c4e5b0a9d8c7e6f5a4b3c2d1e0f';
const CHECKOUT = '11bd71901bbe5b1630ceea73d27597364c9af683';

const hooks = [];
const audit = [];
let n = 0;
const hook = (event, at, payload) => hooks.push(JSON.stringify(p.envelope(event, `3f1c9a2e-0000-4000-8000-${String(++n).padStart(12, '0')}`, at, payload)));
const entry = (action, o) => audit.push(p.auditEntry(action, { id: `ex-${String(++n).padStart(4, '0')}`, org: 'acme', ...o }));

// History: alice and bob have administered acme for a month (unusual-actor needs a baseline).
entry('org.update_default_repository_permission', { at: at('2025-02-10T09:00:00Z'), actor: 'alice', fields: { permission: 'read', old_permission: 'read' } });
entry('repo.create_actions_secret', { at: at('2025-02-11T09:00:00Z'), actor: 'bob', repo: 'acme/api', fields: { key: 'NPM_TOKEN' } });
entry('org.create_actions_secret', { at: at('2025-02-11T09:05:00Z'), actor: 'alice', fields: { key: 'DEPLOY_KEY' } });
hook('repository', at('2025-02-12T09:00:00Z'), p.simple(api, 'alice', { action: 'edited', changes: {} }));
hook('repository', at('2025-02-12T09:01:00Z'), p.simple(site, 'alice', { action: 'edited', changes: {} }));

// 2025-03-14: the lint job of acme/api runs tj-actions/changed-files@v45 while the tag points at
// the malicious commit; its log shows the runner's secrets, double base64 encoded.
const run = at('2025-03-14T17:00:00Z');
entry('workflows.prepared_workflow_job', { at: run, actor: 'carol', repo: 'acme/api', fields: { workflow_run_id: 9100, job_name: 'lint', secrets_passed: ['GITHUB_TOKEN', 'NPM_TOKEN', 'DEPLOY_KEY'], is_hosted_runner: true, runner_labels: ['ubuntu-latest'] } });
hook('workflow_job', run + 60 * MIN, p.workflowJob(api, { action: 'completed', runId: 9100, jobId: 77001, name: 'lint', workflowName: 'lint', headSha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', branch: 'main', startedAt: run, completedAt: run + 3 * MIN, sender: 'carol' }));
const dump = `{"NPM_TOKEN":{"value":"example-npm-token-not-a-real-one-42","isSecret":true},"system.github.token":{"value":"***","isSecret":true}}`;
const blob = Buffer.from(Buffer.from(dump).toString('base64')).toString('base64');
const logs = new Map();
logs.set('acme/api/9100/lint.txt', p.jobLog({ start: run, runner: 'GitHub Actions 7', workflowRef: 'acme/api/.github/workflows/lint.yml@refs/heads/main', downloads: [{ action: 'actions/checkout', ref: 'v4', sha: CHECKOUT }, { action: 'tj-actions/changed-files', ref: 'v45', sha: TJ_BAD }], steps: [{ name: 'tj-actions/changed-files@v45', lines: ['Using local .git directory', blob, 'Found 3 changed files'] }] }));
// The same day, acme/site pins the action to a reviewed commit: not affected.
logs.set('acme/site/9101/lint.txt', p.jobLog({ start: run + 40 * MIN, runner: 'GitHub Actions 9', workflowRef: 'acme/site/.github/workflows/lint.yml@refs/heads/main', downloads: [{ action: 'actions/checkout', ref: 'v4', sha: CHECKOUT }, { action: 'tj-actions/changed-files', ref: SAFE, sha: SAFE }], steps: [{ name: 'changed files', lines: ['Found 1 changed file', 'NPM_TOKEN=***'] }] }));

// 2025-03-17: mallory (no admin history) deletes the protection of api/main, pushes a workflow
// straight to main four minutes later, then restores the protection.
let t = at('2025-03-17T14:00:00Z');
entry('protected_branch.destroy', { at: t, actor: 'mallory', repo: 'acme/api', fields: { name: 'main', public_repo: false } });
hook('branch_protection_rule', t + 300, p.simple(api, 'mallory', { action: 'deleted', rule: { name: 'main', created_at: '2024-06-01T10:00:00Z', updated_at: new Date(t).toISOString() } }));
t += 4 * MIN;
const sha = 'd1e2a3d4b5e6e7f8a9b0c1d2e3f4a5b6c7d8e9f0';
hook('push', t, p.push(api, { ref: 'refs/heads/main', before: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', after: sha, pusher: 'mallory', commits: [{ id: sha, modified: ['.github/workflows/deploy.yml'], message: 'deploy: fix' }], at: t }));
t += 6 * MIN;
entry('protected_branch.create', { at: t, actor: 'mallory', repo: 'acme/api', fields: { name: 'main', pull_request_reviews_enforcement_level: 'non_admins', required_approving_review_count: 1 } });
// Benign look-alikes: alice adds a read-only deploy key and a webhook to the org's own domain.
entry('public_key.create', { at: t + DAY, actor: 'alice', repo: 'acme/site', fields: { title: 'docs-deploy', read_only: true, public_repo: true } });
entry('hook.create', { at: t + DAY + MIN, actor: 'alice', fields: { hook_id: 12, name: 'web', events: ['push'], active: true, config: { url: 'https://ci.acme.example/github', content_type: 'json' } } });

rmSync(out, { recursive: true, force: true });
const write = (rel, text) => {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  writeFileSync(join(out, rel), text);
};
write('hooks.jsonl', `${hooks.join('\n')}\n`);
// The audit export is newest first, like GitHub's.
write('audit-log.json', `[\n${audit.sort((a, b) => b['@timestamp'] - a['@timestamp']).map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
for (const [rel, text] of logs) write(join('logs', rel), text);
write('pipewarden.yml', 'monitor:\n  trusted-domains: [acme.example]\n');
console.log(`wrote ${out}: ${hooks.length} deliveries, ${audit.length} audit entries, ${logs.size} logs`);
