import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuild } from './fresh-build.js';
import { tree } from './helpers.js';

describe('the end-to-end build check', () => {
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  function fixture(): { root: string; cli: string; src: string } {
    const root = tree({ 'src/cli/main.ts': 'x', 'src/audits/r/README.md': 'y', 'src/audits/r/rule.test.ts': 'z', 'dist/cli/main.js': 'built' });
    return { root, cli: join(root, 'dist/cli/main.js'), src: join(root, 'src') };
  }

  it('accepts a build newer than every source, ignoring test files', () => {
    const { root, cli, src } = fixture();
    for (const f of ['src/cli/main.ts', 'src/audits/r/README.md']) at(join(root, f), 1_000);
    at(join(root, 'src/audits/r/rule.test.ts'), 3_000);
    at(cli, 2_000);
    expect(staleBuild(cli, src)).toBeNull();
  });

  it('names the source file edited after the build, a README included', () => {
    const { root, cli, src } = fixture();
    at(join(root, 'src/cli/main.ts'), 1_000);
    at(join(root, 'src/audits/r/README.md'), 3_000);
    at(cli, 2_000);
    expect(staleBuild(cli, src)).toMatch(/\/src\/audits\/r\/README\.md changed after .*\/dist\/cli\/main\.js was built$/);
  });

  it('names a missing build', () => {
    const { root, src } = fixture();
    mkdirSync(join(root, 'other'));
    const cli = join(root, 'other/main.js');
    expect(staleBuild(cli, src)).toMatch(/other\/main\.js is missing$/);
    writeFileSync(cli, '');
    at(cli, 0);
    expect(staleBuild(cli, src)).toMatch(/changed after .*other\/main\.js was built$/);
  });
});
