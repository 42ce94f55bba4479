import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { parseBaseline, writeBaseline } from './baseline.js';
import type { Finding } from './finding.js';

function finding(ruleId: string, file: string, fingerprint: string, message = 'msg'): Finding {
  return {
    ruleId,
    severity: 'high',
    confidence: 'high',
    message,
    location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    related: [],
    owasp: [],
    cwe: [],
    fingerprint,
  };
}

function errorOf(text: string): string {
  try {
    parseBaseline(text, 'base.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    return `${err.line ?? '-'}:${err.column ?? '-'} ${err.message}`;
  }
  throw new Error('expected a ConfigError');
}

describe('writeBaseline', () => {
  const findings = [finding('b-rule', 'z.yml', 'f3'), finding('a-rule', 'a.yml', 'f2'), finding('b-rule', 'a.yml', 'f1')];

  it('writes a stable, sorted document', () => {
    expect(writeBaseline(findings)).toBe(
      `${JSON.stringify(
        {
          version: 1,
          tool: 'pipewarden',
          findings: [
            { ruleId: 'a-rule', fingerprint: 'f2', file: 'a.yml', message: 'msg' },
            { ruleId: 'b-rule', fingerprint: 'f1', file: 'a.yml', message: 'msg' },
            { ruleId: 'b-rule', fingerprint: 'f3', file: 'z.yml', message: 'msg' },
          ],
        },
        null,
        2,
      )}\n`,
    );
    expect(writeBaseline([...findings].reverse())).toBe(writeBaseline(findings));
  });

  it('keeps one entry per fingerprint, whatever the input order', () => {
    const dupes = [finding('r', 'a.yml', 'same', 'second'), finding('r', 'a.yml', 'same', 'first')];
    const parsed = JSON.parse(writeBaseline(dupes)) as { findings: unknown[] };
    expect(parsed.findings).toEqual([{ ruleId: 'r', fingerprint: 'same', file: 'a.yml', message: 'first' }]);
    expect(writeBaseline([...dupes].reverse())).toBe(writeBaseline(dupes));
  });

  it('round-trips through parseBaseline', () => {
    expect(parseBaseline(writeBaseline(findings), 'b.json')).toEqual(new Set(['f1', 'f2', 'f3']));
    expect(parseBaseline(writeBaseline([]), 'b.json')).toEqual(new Set());
  });
});

describe('parseBaseline', () => {
  it('accepts a BOM, extra fields and a missing tool', () => {
    const text = '\uFEFF{"version":1,"findings":[{"fingerprint":"x","extra":true}],"generated":"today"}';
    expect(parseBaseline(text, 'b.json')).toEqual(new Set(['x']));
  });

  it('rejects invalid JSON, with a position when the engine gives one', () => {
    expect(errorOf('{"version": 1,}')).toMatch(/^1:15 baseline is not valid JSON: /);
    expect(errorOf('{"version": 1')).toMatch(/^1:14 baseline is not valid JSON: /);
    expect(errorOf('{\n "a": }')).toMatch(/baseline is not valid JSON: /);
  });

  it('rejects other shapes, pointing at the offending value', () => {
    expect(errorOf('[]')).toBe('1:1 baseline must be a JSON object with `version`, `tool` and `findings`');
    expect(errorOf('{\n  "version": 2,\n  "findings": []\n}')).toBe(
      '2:14 unsupported baseline version 2; this pipewarden reads version 1',
    );
    expect(errorOf('{"version": 1, "tool": "gitleaks", "findings": []}')).toBe('1:24 not a pipewarden baseline (tool is "gitleaks")');
    expect(errorOf('{"version": 1, "findings": {}}')).toBe('1:28 baseline `findings` must be a list');
    expect(errorOf('{"version": 1, "findings": [\n  {"fingerprint": "a"},\n  {"fingerprint": 3}\n]}')).toBe(
      '3:3 baseline findings[1] must have a non-empty string `fingerprint`',
    );
  });
});
