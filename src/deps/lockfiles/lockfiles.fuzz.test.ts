import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LockfileError } from '../model.js';
import { formatOf } from './index.js';

const FILES = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'requirements.txt', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'go.mod', 'go.sum', 'Cargo.lock', 'Gemfile.lock', 'composer.lock', 'packages.lock.json', 'pom.xml', 'gradle.lockfile'];

/** Fragments of every format, so generated inputs get past the first token. */
const PIECES = ['{', '}', '[', ']', '"', ':', ',', '\n', '  ', '    ', '[[package]]', 'name = "a"', 'version = "1.0.0"', '"lockfileVersion": 3', '"packages"', '"node_modules/a"', 'lockfileVersion: \'9.0\'', 'packages:', '__metadata:', 'a@^1:', 'version "1.0.0"', '==', 'a==1.0', '--hash=sha256:ab', '\\', 'module x', 'require (', ')', 'v1.2.3', 'h1:abc=', 'GEM', '  specs:', '    a (1.0)', '<project>', '</project>', '<dependency>', '<version>', '${x}', '<!--', '-->', 'g:a:1=c', '#', "'", '"""', '=', '{x = 1}', '\u0000', '\r\n', '\ufeff'];

describe('lockfile parsers never crash or hang', () => {
  it.each(FILES)('%s: any input yields packages or a LockfileError with a position', (file) => {
    const parse = formatOf(file)!.parse;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 })), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const started = performance.now();
        try {
          const pkgs = parse(text);
          for (const p of pkgs) expect(p.line).toBeGreaterThanOrEqual(1);
        } catch (e) {
          if (!(e instanceof LockfileError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeGreaterThanOrEqual(1);
        }
        expect(performance.now() - started).toBeLessThan(200);
      }),
      { numRuns: 400 },
    );
  });
});
