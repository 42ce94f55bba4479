import { describe, it, expect } from 'vitest';
import type { Finding } from '../core/finding.js';
import { FORMATS, renderReport, type Format, type ReportContext } from './index.js';

const ctx: ReportContext = {
  rules: [],
  docsFor: () => undefined,
  sourceOf: () => undefined,
  toolVersion: '0.1.0',
  color: false,
  diagnostics: [],
  root: '/repo',
  suppressedCount: 0,
};

const finding: Finding = {
  ruleId: 'r',
  severity: 'low',
  confidence: 'high',
  message: 'm',
  location: { file: 'a.yml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
  related: [],
  owasp: [],
  cwe: [],
  fingerprint: 'f',
};

describe('renderReport', () => {
  it('dispatches every format', () => {
    const first: Record<Format, string> = {
      text: 'a.yml:1:1: low[high] r: m',
      json: '{',
      sarif: '{',
      github: '::notice file=a.yml',
      gitlab: '[',
      'gitlab-sast': '{',
      'gitlab-secrets': '{',
      html: '<!doctype html>',
    };
    for (const format of FORMATS) expect(renderReport([finding], format, ctx).startsWith(first[format])).toBe(true);
    expect(JSON.parse(renderReport([finding], 'json', ctx))).toHaveProperty('version', 1);
    expect(JSON.parse(renderReport([finding], 'sarif', ctx))).toHaveProperty('version', '2.1.0');
  });

  it('rejects an unknown format at run time', () => {
    expect(() => renderReport([], 'xml' as Format, ctx)).toThrow('unknown report format: xml');
  });
});
