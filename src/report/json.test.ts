import { describe, it, expect } from 'vitest';
import type { Finding } from '../core/finding.js';
import { renderJson } from './json.js';
import type { ReportContext } from './types.js';

const ctx: ReportContext = {
  rules: [],
  docsFor: () => undefined,
  sourceOf: () => undefined,
  toolVersion: '1.2.3',
  color: true,
  diagnostics: [{ message: 'cannot read', file: 'x.yml', level: 'warning' }],
  root: '/repo',
  suppressedCount: 1,
};

// Keys deliberately out of order: the renderer must emit its documented order.
const finding: Finding = {
  fingerprint: 'f1',
  ruleId: 'template-injection',
  message: 'bad \x1b "quote"',
  severity: 'medium',
  confidence: 'low',
  location: { endColumn: 4, file: 'a.yml', startLine: 1, startColumn: 2, endLine: 1 },
  related: [],
  owasp: ['CICD-SEC-4'],
  cwe: ['CWE-94'],
  properties: { commit: 'abc', line: 3 },
  fix: { safety: 'safe', description: 'quote it', edits: [{ file: 'a.yml', start: 1, end: 3, replacement: 'x' }] },
};

describe('renderJson', () => {
  it('emits the documented version 1 shape with a stable key order', () => {
    expect(renderJson([finding], ctx)).toBe(`{
  "version": 1,
  "tool": {
    "name": "pipewarden",
    "version": "1.2.3"
  },
  "findings": [
    {
      "ruleId": "template-injection",
      "severity": "medium",
      "confidence": "low",
      "message": "bad \\u001b \\"quote\\"",
      "location": {
        "file": "a.yml",
        "startLine": 1,
        "startColumn": 2,
        "endLine": 1,
        "endColumn": 4
      },
      "related": [],
      "owasp": [
        "CICD-SEC-4"
      ],
      "cwe": [
        "CWE-94"
      ],
      "fingerprint": "f1",
      "fix": {
        "description": "quote it",
        "safety": "safe",
        "edits": [
          {
            "file": "a.yml",
            "start": 1,
            "end": 3,
            "replacement": "x"
          }
        ]
      },
      "properties": {
        "commit": "abc",
        "line": 3
      }
    }
  ],
  "diagnostics": [
    {
      "level": "warning",
      "file": "x.yml",
      "message": "cannot read"
    }
  ],
  "summary": {
    "total": 1,
    "bySeverity": {
      "critical": 0,
      "high": 0,
      "medium": 1,
      "low": 0,
      "info": 0
    },
    "suppressed": 1,
    "belowThreshold": 0
  }
}
`);
  });

  it('round-trips findings unchanged', () => {
    const parsed = JSON.parse(renderJson([finding], ctx)) as { findings: Finding[] };
    expect(parsed.findings).toEqual([finding]);
  });

  it('renders an empty report', () => {
    const parsed: unknown = JSON.parse(renderJson([], { ...ctx, diagnostics: [], suppressedCount: 0 }));
    expect(parsed).toEqual({
      version: 1,
      tool: { name: 'pipewarden', version: '1.2.3' },
      findings: [],
      diagnostics: [],
      summary: { total: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 0, belowThreshold: 0 },
    });
  });
});
