import { describe, it, expect } from 'vitest';
import type { Finding } from '../core/finding.js';
import { renderGitlab } from './gitlab.js';

const base: Finding = {
  ruleId: 'unpinned-action',
  severity: 'critical',
  confidence: 'high',
  message: 'actions/checkout@v4 is not pinned to a "commit"',
  location: { file: 'ci\\build.yml', startLine: 7, startColumn: 15, endLine: 9, endColumn: 3 },
  related: [],
  owasp: [],
  cwe: [],
  fingerprint: 'fp-1',
};

describe('renderGitlab', () => {
  it('emits a Code Quality issue per finding', () => {
    expect(renderGitlab([base])).toBe(`[
  {
    "description": "actions/checkout@v4 is not pinned to a \\"commit\\"",
    "check_name": "unpinned-action",
    "fingerprint": "fp-1",
    "severity": "blocker",
    "location": {
      "path": "ci/build.yml",
      "lines": {
        "begin": 7,
        "end": 9
      }
    }
  }
]
`);
  });

  it('maps every severity onto the GitLab scale', () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const out = JSON.parse(renderGitlab(severities.map((severity) => ({ ...base, severity })))) as { severity: string }[];
    expect(out.map((i) => i.severity)).toEqual(['blocker', 'critical', 'major', 'minor', 'info']);
  });

  it('renders an empty array for no findings', () => {
    expect(renderGitlab([])).toBe('[]\n');
  });
});
