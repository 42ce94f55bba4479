/** The README's monitoring examples, run as shown on examples/monitor/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../helpers.js';

const cwd = join(REPO, 'examples/monitor');
const README_COMMANDS = [
  'pipewarden monitor replay --webhooks hooks.jsonl --audit-log audit-log.json --logs logs --db memory',
  'pipewarden ir exposure --action tj-actions/changed-files --from 2025-03-14 --to 2025-03-15 --webhooks hooks.jsonl --audit-log audit-log.json --logs logs --db memory --format markdown',
  'pipewarden ir sweep-logs logs',
];
const args = (command: string): string[] => command.split(' ').slice(1);

describe('README monitoring examples', () => {
  it('are in the README as run here', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain('cd examples/monitor');
    for (const c of README_COMMANDS) expect(readme).toContain(`\n${c}\n`);
  });

  it('monitor replay: the six alerts the README describes', () => {
    const r = cli([...args(README_COMMANDS[0]!), '-f', 'json'], { cwd });
    expect(r.code).toBe(1);
    const alerts = (JSON.parse(r.stdout) as { alerts: Array<{ alert: string; severity: string; title: string; repository: string; evidence: Array<{ id: string; line?: number }> }> }).alerts;
    expect(alerts.map((a) => `${a.severity} ${a.alert} ${a.repository}: ${a.title}`)).toEqual([
      'critical compromised-action-used acme/api: Job "lint" ran tj-actions/changed-files@v45 at its malicious commit',
      'high secret-in-log acme/api: Secret in the log of job "lint" of run 9100 (acme/api): secret NPM_TOKEN from the runner\'s memory',
      'high protection-weakened acme/api: Branch protection on main deleted on acme/api',
      'high unusual-actor acme/api: First admin action by mallory in acme: protected_branch.destroy',
      'critical protection-weakened acme/api: Direct push to main 4 minutes after its protection was weakened',
      'high workflow-pushed acme/api: Workflow changed on main by a direct push',
    ]);
    expect(alerts[1]!.evidence).toEqual([{ source: 'log', id: 'acme/api/9100/lint.txt', line: 21 }]);
    expect(r.stdout).not.toContain('example-npm-token-not-a-real-one-42');
    expect(r.stderr).toBe('replayed 15 events (15 new in the store), 6 alerts\n');
  });

  it('ir exposure: two secrets to rotate, the pinned job cleared', () => {
    const r = cli(args(README_COMMANDS[1]!), { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 jobs used it: 1 affected, 0 likely affected, 1 not affected.');
    expect(r.stdout).toContain('- [ ] `DEPLOY_KEY`: org secret of acme; read by 1 job\n- [ ] `NPM_TOKEN`: repo secret of acme/api; read by 1 job\n');
    expect(r.stdout).toContain('| affected | acme/api | no | 9100 | lint |');
    expect(r.stdout).toContain('| not-affected | acme/site | yes | 9101 | lint |');
  });

  it('ir sweep-logs: the dumped secret, masked, at its line', () => {
    const r = cli(args(README_COMMANDS[2]!), { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("logs/acme/api/9100/lint.txt:21:1: high[high] monitor/secret-in-log: Secret NPM_TOKEN from the runner's memory exam******** printed in a job log (inside base64 inside base64)");
    expect(r.stdout).not.toContain('example-npm-token-not-a-real-one-42');
  });
});
