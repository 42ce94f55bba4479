import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('prefers the flag, then PIPEWARDEN_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { PIPEWARDEN_DATA_DIR: '/srv/pw', XDG_DATA_HOME: '/xdg' };
    expect(resolveDataDir('rel/dir', env)).toBe(resolve('rel/dir'));
    expect(resolveDataDir(undefined, env)).toBe('/srv/pw');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg' })).toBe('/xdg/pipewarden');
    expect(resolveDataDir(undefined, {})).toBe(join(homedir(), '.local', 'share', 'pipewarden'));
  });
});
