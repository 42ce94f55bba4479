import { mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/cli/fix.js';

describe('writeAtomically', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'pw-fix-'));

  it('replaces the content, keeps the mode, leaves no temp file', () => {
    const d = dir();
    const f = join(d, 'a.yml');
    writeFileSync(f, 'old\n');
    chmodSync(f, 0o640);
    expect(writeAtomically(f, 'old\n', 'new\n')).toBeUndefined();
    expect(readFileSync(f, 'utf8')).toBe('new\n');
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(['a.yml']);
  });

  it('refuses symbolic links, links on the path, and files changed since they were read', () => {
    const d = dir();
    writeFileSync(join(d, 'target.yml'), 'old\n');
    symlinkSync(join(d, 'target.yml'), join(d, 'link.yml'));
    expect(writeAtomically(join(d, 'link.yml'), 'old\n', 'new\n')).toMatch(/symbolic link/);
    mkdirSync(join(d, 'real'));
    writeFileSync(join(d, 'real/x.yml'), 'old\n');
    symlinkSync(join(d, 'real'), join(d, 'linked-dir'));
    expect(writeAtomically(join(d, 'linked-dir/x.yml'), 'old\n', 'new\n')).toMatch(/directory on its path is a symbolic link/);
    expect(writeAtomically(join(d, 'target.yml'), 'something else\n', 'new\n')).toBe('changed while pipewarden was fixing it');
    expect(readFileSync(join(d, 'target.yml'), 'utf8')).toBe('old\n');
    expect(readFileSync(join(d, 'real/x.yml'), 'utf8')).toBe('old\n');
  });
});
