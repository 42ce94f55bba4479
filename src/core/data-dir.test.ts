import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('prefers the flag, then PIPEWARDEN_DATA_DIR, then the user cache folder (never the HTTP cache override)', () => {
    const env = { PIPEWARDEN_DATA_DIR: '/srv/pw', XDG_CACHE_HOME: '/xdg', PIPEWARDEN_CACHE_DIR: '/tmp/http' };
    expect(resolveDataDir('rel/dir', env)).toBe(resolve('rel/dir'));
    expect(resolveDataDir(undefined, env)).toBe('/srv/pw');
    expect(resolveDataDir(undefined, { XDG_CACHE_HOME: '/xdg', PIPEWARDEN_CACHE_DIR: '/tmp/http' })).toBe('/xdg/pipewarden');
    expect(resolveDataDir(undefined, {})).toBe(join(homedir(), '.cache', 'pipewarden'));
  });
});
