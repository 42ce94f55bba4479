import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { sarifSchemaErrors } from '../sarif-schema.js';

describe('SARIF from the CLI', () => {
  it('the examples audit validates against the SARIF 2.1.0 schema, with help and fingerprints', () => {
    const r = cli(['audit', 'examples', '--format', 'sarif']);
    const doc = JSON.parse(r.stdout);
    expect(sarifSchemaErrors(doc)).toEqual([]);
    const run = doc.runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toContain('template-injection');
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'template-injection');
    expect(rule.help.markdown).toContain('## Vulnerable');
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(run.results.length).toBeGreaterThan(10);
    for (const res of run.results) expect(res.partialFingerprints['pipewarden/v1']).toMatch(/^[0-9a-f]{32}$/);
  });
});
