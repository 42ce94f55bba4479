import { describe, it, expect } from 'vitest';
import type { Finding } from '../core/finding.js';
import { renderDiagnosticsText, renderText, summaryLine } from './text.js';
import type { ReportContext } from './types.js';

const WORKFLOW = [
  'on: issues',
  'jobs:',
  '  greet:',
  '    steps:',
  '      - run: echo "${{ github.event.issue.title }}"',
].join('\n');

function ctx(over: Partial<ReportContext> = {}): ReportContext {
  return {
    rules: [],
    docsFor: () => undefined,
    sourceOf: (file) => (file === '.github/workflows/ci.yml' ? WORKFLOW : undefined),
    toolVersion: '0.1.0',
    color: false,
    diagnostics: [],
    root: '/repo',
    suppressedCount: 0,
    ...over,
  };
}

const injection: Finding = {
  ruleId: 'template-injection',
  severity: 'high',
  confidence: 'high',
  message: 'github.event.issue.title is expanded into a shell script',
  location: { file: '.github/workflows/ci.yml', startLine: 5, startColumn: 20, endLine: 5, endColumn: 52 },
  related: [{ file: '.github/workflows/ci.yml', startLine: 1, startColumn: 5, endLine: 1, endColumn: 11, message: 'attacker-controlled trigger' }],
  owasp: ['CICD-SEC-4'],
  cwe: ['CWE-94'],
  fingerprint: 'abc',
};

const secret: Finding = {
  ruleId: 'aws-access-key',
  severity: 'critical',
  confidence: 'medium',
  message: 'AWS access key AKIA****',
  location: { file: 'notes.txt', startLine: 3, startColumn: 1, endLine: 3, endColumn: 21 },
  related: [],
  owasp: [],
  cwe: ['CWE-798'],
  fingerprint: 'def',
  properties: { commit: 'deadbeef', author: 'Mallory' },
  fix: { description: 'remove the key', safety: 'unsafe', edits: [] },
};

describe('renderText', () => {
  it('prints header, frame, notes, help and summary', () => {
    expect(renderText([injection], ctx())).toBe(
      [
        '.github/workflows/ci.yml:5:20: high[high] template-injection: github.event.issue.title is expanded into a shell script',
        '  5 |       - run: echo "${{ github.event.issue.title }}"',
        '    | ' + ' '.repeat(19) + '^'.repeat(32),
        '  = note: .github/workflows/ci.yml:1:5: attacker-controlled trigger',
        '  = help: pipewarden rules template-injection',
        '',
        '1 finding (1 high)',
        '(severity[confidence]: high[high] means high severity, high confidence that the finding is real)',
        '',
      ].join('\n'),
    );
  });

  it('prints properties sorted by key and the fix command, without a frame when the source is unknown', () => {
    expect(renderText([secret, injection], ctx({ suppressedCount: 2 })).split('\n\n')[0]).toBe(
      [
        'notes.txt:3:1: critical[medium] aws-access-key: AWS access key AKIA****',
        '  = author: Mallory',
        '  = commit: deadbeef',
        '  = fix: remove the key (pipewarden fix --unsafe)',
        '  = help: pipewarden rules aws-access-key',
      ].join('\n'),
    );
    expect(renderText([secret, injection], ctx({ suppressedCount: 2 })).endsWith('\n\n2 findings (1 critical, 1 high), 2 suppressed\n(severity[confidence]: critical[medium] means critical severity, medium confidence that the finding is real)\n')).toBe(true);
  });

  it('colours severity, rule, gutter and carets only when asked', () => {
    const out = renderText([injection], ctx({ color: true }));
    expect(out.split('\n').slice(0, 5)).toEqual([
      '.github/workflows/ci.yml:5:20: \x1b[1;31mhigh[high]\x1b[0m \x1b[1mtemplate-injection\x1b[0m: github.event.issue.title is expanded into a shell script',
      '\x1b[34m  5 |\x1b[0m       - run: echo "${{ github.event.issue.title }}"',
      '\x1b[34m    |\x1b[0m ' + ' '.repeat(19) + '\x1b[1;31m' + '^'.repeat(32) + '\x1b[0m',
      '  \x1b[34m=\x1b[0m note: .github/workflows/ci.yml:1:5: attacker-controlled trigger',
      '  \x1b[34m=\x1b[0m help: pipewarden rules template-injection',
    ]);
    expect(renderText([injection], ctx())).not.toContain('\x1b');
  });

  it('never prints control characters from scanned files raw', () => {
    const evil: Finding = {
      ...injection,
      message: 'title \x1b]0;pwned\x07 is\nfake.yml:1:1: info[low] ok: fine',
      location: { ...injection.location, file: 'a\x1b[2Jb.yml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 4 },
      related: [{ ...injection.related[0]!, file: 'x\ry.yml', message: 'from \x1b[8mhidden' }],
      properties: { 'k\x1b': 'v\x00' },
    };
    const out = renderText([evil], ctx({ sourceOf: () => 'run\x1b[31m: \u202eevil\r\n' }));
    expect(out).toBe(
      [
        'a\\x1b[2Jb.yml:1:1: high[high] template-injection: title \\x1b]0;pwned\\x07 is\\x0afake.yml:1:1: info[low] ok: fine',
        '  1 | run\\x1b[31m: \\u{202e}evil',
        '    | ^^^',
        '  = note: x\\x0dy.yml:1:5: from \\x1b[8mhidden',
        '  = k\\x1b: v\\x00',
        '  = help: pipewarden rules template-injection',
        '',
        '1 finding (1 high)',
        '(severity[confidence]: high[high] means high severity, high confidence that the finding is real)',
        '',
      ].join('\n'),
    );
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('leaves machine-only properties (pinKey, refKind) out of the text report', () => {
    const pinned: Finding = { ...injection, properties: { pinKey: 'actions/checkout@v4', policy: 'hash-pin', ref: 'v4', refKind: 'version', sameRepository: true } };
    const out = renderText([pinned], ctx());
    expect(out.split('\n').filter((l) => l.startsWith('  = ') && !l.startsWith('  = note') && !l.startsWith('  = help'))).toEqual(['  = policy: hash-pin', '  = ref: v4']);
  });

  it('counts findings below --min-severity/--min-confidence apart from suppressed ones', () => {
    expect(renderText([], ctx({ suppressedCount: 1, belowThresholdCount: 4 }))).toBe('no findings, 1 suppressed, 4 below --min-severity/--min-confidence\n');
    expect(renderText([], ctx({ belowThresholdCount: 1 }))).toBe('no findings, 1 below --min-severity/--min-confidence\n');
  });

  it('says no findings on an empty report', () => {
    expect(renderText([], ctx())).toBe('no findings\n');
    expect(renderText([], ctx({ suppressedCount: 3, color: true }))).toBe('no findings, 3 suppressed\n');
  });
});

describe('summaryLine', () => {
  it('lists non-zero severities most severe first', () => {
    const f = (severity: Finding['severity']): Finding => ({ ...injection, severity });
    expect(summaryLine([f('low'), f('critical'), f('low'), f('info')], 0)).toBe('4 findings (1 critical, 2 low, 1 info)');
  });
});

describe('renderDiagnosticsText', () => {
  it('prints one escaped line per diagnostic', () => {
    expect(
      renderDiagnosticsText(
        [
          { level: 'warning', file: 'bad\x1b.yml', line: 3, column: 2, message: 'unreadable\x07' },
          { level: 'error', file: 'x.yml', message: 'too large' },
          { level: 'note', message: 'skipped 2 binary files' },
        ],
        false,
      ),
    ).toBe('bad\\x1b.yml:3:2: warning: unreadable\\x07\nx.yml: error: too large\nnote: skipped 2 binary files\n');
    expect(renderDiagnosticsText([{ level: 'error', message: 'm' }], true)).toBe('\x1b[1;31merror\x1b[0m: m\n');
  });
});
