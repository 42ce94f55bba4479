import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The folder where pipewarden keeps what it builds and reuses between runs: the advisory
 * database (`deps db import`), the monitoring store (`monitor`, `ir`, `serve`) and report history.
 * `--data DIR`, else `PIPEWARDEN_DATA_DIR`, else `$XDG_DATA_HOME/pipewarden`, else
 * `~/.local/share/pipewarden`. Kept apart from the HTTP cache (`PIPEWARDEN_CACHE_DIR`), which
 * may be deleted at any time; this folder holds data a user imported or recorded.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PIPEWARDEN_DATA_DIR) return resolve(env.PIPEWARDEN_DATA_DIR);
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'pipewarden');
  return join(homedir(), '.local', 'share', 'pipewarden');
}
