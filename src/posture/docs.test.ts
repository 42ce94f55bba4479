import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postureChecksTable } from './docs.js';
import { postureRuleMetas } from './run.js';

describe('docs/posture.md', () => {
  const doc = readFileSync(new URL('../../docs/posture.md', import.meta.url), 'utf8');

  it('lists every check with its token scopes (regenerate the table with postureChecksTable())', () => {
    const table = /<!-- checks:start -->\n([\s\S]*?)\n<!-- checks:end -->/.exec(doc);
    expect(table).not.toBeNull();
    expect(table![1]).toBe(postureChecksTable());
  });

  it('every check has a README with its fix and scopes', () => {
    for (const m of postureRuleMetas()) {
      const readme = readFileSync(m.docs, 'utf8');
      expect(readme, m.id).toContain(`# ${m.id}`);
      if (m.id !== 'posture/not-evaluated') {
        expect(readme, m.id).toContain('## How to fix');
        expect(readme, m.id).toContain('## Token scopes');
        expect(readme, m.id).toContain(`severity ${m.severity}`);
      }
    }
  });
});
