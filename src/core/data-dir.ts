import { resolve } from 'node:path';
import { defaultCacheDir } from '../online/cache.js';

/**
 * The folder where pipewarden keeps what it builds and reuses between runs: the advisory
 * database (`deps db import`), the monitoring store (`monitor`, `ir`) and report history.
 * `--data DIR`, else `PIPEWARDEN_DATA_DIR`, else the user's cache folder (the HTTP cache's
 * parent: `$XDG_CACHE_HOME/pipewarden` or `~/.cache/pipewarden`), as the deps issue specifies.
 * Each consumer uses its own subfolder or file name inside it.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PIPEWARDEN_DATA_DIR) return resolve(env.PIPEWARDEN_DATA_DIR);
  return defaultCacheDir({ ...env, PIPEWARDEN_CACHE_DIR: undefined });
}
