import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
// @ts-expect-error plain ESM script without types
import { exampleFindingsBlock, exampleFixBlock, FIX_MARKERS, readmeBlock, SAST_MARKERS, sastFindingsBlock } from '../../scripts/example-findings.mjs';

describe('examples/', () => {
  it('yields exactly the findings the README shows', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const prev = process.cwd();
    process.chdir(REPO);
    try {
      expect(readmeBlock(readme)).toBe((exampleFindingsBlock() as string).trim());
      expect(readmeBlock(readme, ...(FIX_MARKERS as [string, string]))).toBe((exampleFixBlock() as string).trim());
      expect(readmeBlock(readme, ...(SAST_MARKERS as [string, string]))).toBe((sastFindingsBlock() as string).trim());
    } finally {
      process.chdir(prev);
    }
  });
});
