import { describe, expect, it } from 'vitest';
import { runFuzz } from './runner.js';

/**
 * The short fuzz run of `npm test`: every target in targets/, a few hundred inputs each, a fresh
 * seed each time (a failure prints its seed and a replay command). `npm run fuzz` is the long run.
 * Inputs of known, not yet merged bugs are left out by the generators (see known.ts).
 */
describe('fuzz targets (short run)', () => {
  it('every target holds its properties on random inputs, within its deadline', async () => {
    const results = await runFuzz({ runs: Number(process.env.PIPEWARDEN_FUZZ_RUNS) || 300, timeLimitMs: 8000, jobs: 1 });
    expect(results.length).toBeGreaterThan(0);
    const failures = results.filter((r) => r.failure).map((r) => `${r.name} (seed ${r.seed}): ${r.failure}`);
    expect(failures).toEqual([]);
    for (const r of results) expect(r.runs, r.name).toBeGreaterThan(0);
  }, 400_000);
});
