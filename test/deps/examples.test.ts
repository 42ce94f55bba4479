import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
// @ts-expect-error plain ESM script without types
import { exampleDepsBlock, readmeDepsBlock } from '../../scripts/example-deps-findings.mjs';

describe('examples/ (deps)', () => {
  it('yields exactly the dependency findings the README shows', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const prev = process.cwd();
    process.chdir(REPO);
    try {
      expect(readmeDepsBlock(readme)).toBe((exampleDepsBlock() as string).trim());
    } finally {
      process.chdir(prev);
    }
  });
});
