import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTAINER_METAS } from '../containers.js';
import { DETECTORS } from './index.js';
import { detectorTable, TABLE_END, TABLE_START } from './table.js';

const DOC = new URL('../../../docs/secrets.md', import.meta.url);

function section(doc: string): string | undefined {
  const a = doc.indexOf(TABLE_START);
  const b = doc.indexOf(TABLE_END);
  return a === -1 || b < a ? undefined : doc.slice(a + TABLE_START.length, b).trim();
}

describe('docs/secrets.md detector table', () => {
  if (process.env['UPDATE_DOCS'] === '1') {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(TABLE_START);
    const b = doc.indexOf(TABLE_END);
    if (a !== -1 && b > a) writeFileSync(DOC, `${doc.slice(0, a + TABLE_START.length)}\n${detectorTable()}\n${doc.slice(b)}`);
  }

  it('lists every detector and container rule, with its validation and confidence, as generated', () => {
    const doc = readFileSync(DOC, 'utf8');
    const table = section(doc);
    expect(table, 'docs/secrets.md has no generated detector table').toBeDefined();
    // A missing id is named explicitly, before the whole-table comparison.
    const ids = [...DETECTORS.map((d) => d.id), ...CONTAINER_METAS.map((c) => c.id)];
    const missing = ids.filter((id) => !table!.includes(`| \`secrets/${id}\` |`));
    expect(missing).toEqual([]);
    expect(table).toBe(detectorTable());
  });
});
