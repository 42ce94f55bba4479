import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { GH_PAT, GH_PAT_2, leaks } from '../../test/secrets/fixtures.js';
import { maskedSourceOf, maskReportTexts } from './mask.js';

const finding = (ruleId: string, line: number, startColumn: number, endColumn: number, message = 'm'): Finding => ({
  ruleId,
  severity: 'high',
  confidence: 'high',
  message,
  location: { file: 'ci.yml', startLine: line, startColumn, endLine: line, endColumn },
  related: [],
  owasp: [],
  cwe: [],
  fingerprint: 'x',
});
const rule = (id: string, locationIsSecret?: boolean): RuleMeta => ({ id, title: id, platform: 'github', severity: 'high', confidence: 'high', owasp: [], cwe: [], fixable: false, online: false, docs: new URL('file:///x'), ...(locationIsSecret && { locationIsSecret }) });

describe('maskedSourceOf', () => {
  const source = `env:\n  PASS: hunter2hunter2\n  TOKEN: ${GH_PAT}\n  DATA: ${Buffer.from(`k=${GH_PAT_2}`).toString('base64')}\n  IMAGE: node\n`;

  it('stars out what the engine finds (encoded too) and the locations of credential rules, nothing else', () => {
    const masked = maskedSourceOf(() => source, [finding('hardcoded-credentials', 2, 9, 23), finding('unpinned-images', 5, 10, 14)], [rule('hardcoded-credentials', true), rule('unpinned-images')])('ci.yml')!;
    const lines = masked.split('\n');
    expect(lines[1]).toBe('  PASS: **************');
    expect(lines[2]).toBe(`  TOKEN: ghp_${'*'.repeat(36)}`);
    expect(lines[3]).toMatch(/^ {2}DATA: [A-Za-z0-9]{4}\*+$/);
    expect(lines[4]).toBe('  IMAGE: node');
    expect(masked.length).toBe(source.length);
  });

  it('suppressed findings still mask, and an unknown file stays unknown', () => {
    const of = maskedSourceOf((f) => (f === 'ci.yml' ? source : undefined), [finding('secrets/custom', 2, 9, 23)], []);
    expect(of('ci.yml')!.split('\n')[1]).toBe('  PASS: **************');
    expect(of('other.yml')).toBeUndefined();
  });
});

describe('maskReportTexts', () => {
  it('masks secrets quoted in messages, notes, properties, fixes and diagnostics, and returns the rest as is', () => {
    const f: Finding = {
      ...finding('r', 1, 1, 2, `step runs "curl -H 'Authorization: token ${GH_PAT}'"`),
      related: [{ file: 'a', startLine: 1, startColumn: 1, endLine: 1, endColumn: 2, message: `set to ${GH_PAT_2}` }],
      properties: { value: `x=${GH_PAT}`, count: 3 },
      fix: { description: 'use a secret', safety: 'safe', edits: [{ file: 'a', start: 0, end: 1, replacement: `${GH_PAT}` }] },
    };
    const out = maskReportTexts([f, finding('r', 2, 1, 2, 'plain')], [{ level: 'error', message: `bad value ${GH_PAT_2}` }]);
    const text = JSON.stringify(out);
    expect(leaks(text, [GH_PAT, GH_PAT_2])).toEqual([]);
    expect(out.findings[0]!.properties!.count).toBe(3);
    expect(out.findings[1]!.message).toBe('plain');
    expect(out.diagnostics[0]!.message).toBe(`bad value ghp_${'*'.repeat(36)}`);
  });
});
