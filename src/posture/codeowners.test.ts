import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners } from './codeowners.js';

describe('CODEOWNERS semantics', () => {
  const lines = parseCodeowners(['# comment', '*.go @acme/backend', '/.github/ @acme/platform', '.github/workflows/release.yml', 'docs/** @acme/writers', 'apps/*/deploy.yml @acme/ops # trailing'].join('\n'));

  it.each([
    ['main.go', ['@acme/backend']],
    ['cmd/tool/main.go', ['@acme/backend']],
    ['.github/workflows/ci.yml', ['@acme/platform']],
    // A later line without owners un-owns the file.
    ['.github/workflows/release.yml', []],
    ['docs/a/b.md', ['@acme/writers']],
    ['apps/web/deploy.yml', ['@acme/ops']],
    ['apps/web/sub/deploy.yml', []],
    ['README.md', []],
  ])('%s → %j', (path, owners) => {
    expect(ownersOf(lines, path).owners).toEqual(owners);
  });

  it('anchors patterns with a slash, matches bare names at any depth', () => {
    const l = parseCodeowners('/build.sh @a\nMakefile @b\n');
    expect(ownersOf(l, 'build.sh').owners).toEqual(['@a']);
    expect(ownersOf(l, 'sub/build.sh').owners).toEqual([]);
    expect(ownersOf(l, 'sub/Makefile').owners).toEqual(['@b']);
  });

  it('never throws and stays fast on arbitrary files (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 200 }), (text, path) => {
        const start = Date.now();
        ownersOf(parseCodeowners(text), path);
        expect(Date.now() - start).toBeLessThan(200);
      }),
      { numRuns: 500 },
    );
  });
});
