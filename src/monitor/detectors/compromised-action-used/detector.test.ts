import { describe, expect, it } from 'vitest';
import { jobLog } from '../../simulate/payloads.js';
import { Scenario } from '../../testing.js';

const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';
const REVIEWDOG_BAD = 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec';
const OTHER = 'a'.repeat(40);
const OTHER2 = 'b'.repeat(40);

function log(at: string, downloads: Array<{ action: string; ref: string; sha: string }>): string {
  return jobLog({ start: Date.parse(at), runner: 'GitHub Actions 2', workflowRef: 'acme/app/.github/workflows/lint.yml@refs/heads/main', downloads, steps: [{ name: 'lint', lines: ['ok'] }] });
}

describe('compromised-action-used', () => {
  it('is certain for the published malicious commit of tj-actions/changed-files, at any ref', async () => {
    const res = await new Scenario()
      .log('acme/app/1/lint.txt', log('2025-03-14T17:00:00Z', [{ action: 'actions/checkout', ref: 'v4', sha: OTHER }, { action: 'tj-actions/changed-files', ref: 'v45', sha: TJ_BAD }]))
      .run();
    expect(res.summary('compromised-action-used')).toEqual(['compromised-action-used critical: Job "lint" ran tj-actions/changed-files@v45 at its malicious commit']);
    const a = res.of('compromised-action-used')[0]!;
    expect(a.confidence).toBe('high');
    expect(a.evidence).toEqual([{ source: 'log', id: 'acme/app/1/lint.txt', line: 16 }]);
    expect(a.details).toMatchObject({ sha: TJ_BAD, indicator: 'tj-actions-changed-files-2025-03', cve: 'CVE-2025-30066' });
  });

  it('clears a tag that resolved to another commit when the list of bad commits is complete, and any use outside the window', async () => {
    const res = await new Scenario()
      .log('acme/app/2/lint.txt', log('2025-03-14T17:00:00Z', [{ action: 'tj-actions/changed-files', ref: 'v45', sha: OTHER }]))
      .log('acme/app/3/lint.txt', log('2025-03-20T09:00:00Z', [{ action: 'tj-actions/changed-files', ref: 'v45', sha: OTHER2 }]))
      .log('acme/app/4/lint.txt', log('2025-03-11T19:00:00Z', [{ action: 'reviewdog/action-setup', ref: 'v1', sha: OTHER }]))
      .log('acme/app/5/lint.txt', log('2025-03-01T19:00:00Z', [{ action: 'reviewdog/action-shellcheck', ref: 'v1', sha: OTHER }]))
      .run();
    expect(res.summary('compromised-action-used')).toEqual([]);
  });

  it('decides a reviewdog wrapper by the nested action-setup download in the same log, and is probable for a wrapper alone in the window', async () => {
    const res = await new Scenario()
      .log('acme/app/6/lint.txt', log('2025-03-11T19:30:00Z', [{ action: 'reviewdog/action-shellcheck', ref: 'v1', sha: OTHER }, { action: 'reviewdog/action-setup', ref: 'v1', sha: REVIEWDOG_BAD }]))
      .log('acme/app/7/lint.txt', log('2025-03-11T19:40:00Z', [{ action: 'reviewdog/action-typos', ref: 'v1', sha: OTHER2 }]))
      .log('acme/app/8/lint.txt', log('2025-03-11T19:45:00Z', [{ action: 'reviewdog/action-staticcheck', ref: 'v1', sha: OTHER }, { action: 'reviewdog/action-setup', ref: 'v1', sha: OTHER2 }]))
      .run();
    expect(res.summary('compromised-action-used')).toEqual([
      'compromised-action-used critical: Job "lint" ran reviewdog/action-setup@v1 at its malicious commit',
      'compromised-action-used high: Job "lint" ran reviewdog/action-typos@v1 while it was compromised',
    ]);
    expect(res.of('compromised-action-used').map((a) => [a.evidence[0]!.id, a.confidence])).toEqual([
      ['acme/app/6/lint.txt', 'high'],
      ['acme/app/7/lint.txt', 'medium'],
    ]);
  });

  it('stays probable only while the window is open for an indicator without commit SHAs (trivy-action 2026), and a safe release is cleared', async () => {
    const res = await new Scenario()
      .log('acme/app/10/scan.txt', log('2026-03-19T20:00:00Z', [{ action: 'aquasecurity/trivy-action', ref: 'master', sha: OTHER }]))
      .log('acme/app/11/scan.txt', log('2026-03-19T20:00:00Z', [{ action: 'aquasecurity/trivy-action', ref: '0.35.0', sha: OTHER2 }]))
      .log('acme/app/12/scan.txt', log('2026-03-25T20:00:00Z', [{ action: 'aquasecurity/trivy-action', ref: 'master', sha: OTHER }]))
      .run();
    expect(res.summary('compromised-action-used')).toEqual(['compromised-action-used high: Job "scan" ran aquasecurity/trivy-action@master while it was compromised']);
  });
});
