import { describe, expect, it } from 'vitest';
import { childArguments } from './new-only.js';

const ctx = { top: '/repo', tree: '/tmp/base/tree', cwd: '/nonexistent-cwd', output: '/tmp/base/base.json', configFile: '/repo/pipewarden.yml' };
const hidden = ['--base-scan-output', '/tmp/base/base.json', '--base-scan-config', '/repo/pipewarden.yml', '--quiet'];

describe('childArguments', () => {
  it('drops --new-only in both spellings and adds the hidden base-scan options', () => {
    expect(childArguments(['audit', '--new-only', 'origin/main', '-f', 'json'], ctx)).toEqual(['audit', '-f', 'json', ...hidden]);
    expect(childArguments(['scan', '--new-only=origin/main', '.'], ctx)).toEqual(['scan', '.', ...hidden]);
  });

  it('moves absolute paths inside the repository into the copy, and leaves others alone', () => {
    expect(childArguments(['audit', '/repo', '/repo/a/b.yml', '/elsewhere/x', '--output=/repo/out.json'], ctx)).toEqual([
      'audit',
      '/tmp/base/tree',
      '/tmp/base/tree/a/b.yml',
      '/elsewhere/x',
      '--output=/tmp/base/tree/out.json',
      ...hidden,
    ]);
    expect(childArguments(['audit', '/repository-next-door/x'], ctx)).toEqual(['audit', '/repository-next-door/x', ...hidden]);
  });

  it('puts its options before "--" and treats what follows as operands', () => {
    expect(childArguments(['audit', '--', '--new-only', '/repo/x'], { ...ctx, configFile: undefined })).toEqual([
      'audit',
      '--base-scan-output',
      '/tmp/base/base.json',
      '--base-scan-config',
      '',
      '--quiet',
      '--',
      '--new-only',
      '/tmp/base/tree/x',
    ]);
  });
});

describe('childArguments edge paths', () => {
  it('a sibling whose name starts with ".." is inside', () => {
    expect(childArguments(['audit', '/repo/..hidden/x'], ctx)[1]).toBe('/tmp/base/tree/..hidden/x');
  });
});
