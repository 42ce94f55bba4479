/** `pipewarden serve`: the long-running server over the monitoring engine (docs/serve.md). */
import type { Command } from 'commander';
import { makeContext } from '../monitor/detect.js';
import { startServer } from '../serve/app.js';
import { ENV, serveSettings, SettingsError } from '../serve/settings.js';
import { ServeStore } from '../store/serve-store.js';
import { maskUrl } from '../store/open.js';
import { resolveConfig, UsageError, type SharedOptions } from './common.js';
import { addStoreOptions, indicatorsFrom, openMonitorStore, settingsFrom } from './monitor-shared.js';

const EXAMPLES = `
Secrets come from the environment only, never from the config file:
  ${ENV.githubSecret}   secret of the GitHub webhook (POST /hooks/github)
  ${ENV.githubSecretPrevious}   the one being rotated out (optional)
  ${ENV.gitlabToken}            secret token of the GitLab webhook (POST /hooks/gitlab)
  ${ENV.auditToken}      bearer token of the audit-log stream (POST /ingest/github-audit)
  ${ENV.adminToken}             first admin token of the API and dashboard

Examples:
  $ ${ENV.githubSecret}=... ${ENV.adminToken}=... pipewarden serve --listen 127.0.0.1:8080
  $ pipewarden serve --db postgres://pw@db.internal/pipewarden --listen 0.0.0.0:8080
  $ pipewarden serve --db postgres://pw@db.internal/pipewarden --redis redis://cache.internal:6379

Settings (notification destinations, public URL, body cap): the serve: section of the config
file, see docs/serve.md. Stops cleanly on SIGINT/SIGTERM; queued detection resumes at the next start.
Exit codes: 0 stopped cleanly, 2 usage or config error (nothing to serve, bad --listen), 3 internal error.`;

export function registerServeCommand(program: Command): void {
  const cmd = program
    .command('serve')
    .description('receive GitHub and GitLab webhooks and the audit-log stream, detect, alert, and serve the API and dashboard')
    .option('--listen <host:port>', 'address to listen on (default: serve.listen, else 127.0.0.1:8080)')
    .option('-c, --config <file>', "config file (default: discovered in the current folder's repository)")
    .option('--contents <dir>', 'pushed workflow files laid out <owner>/<repo>/<sha>/<path>, for the static audit of workflow pushes')
    .option('--indicators <file>', 'extra or updated compromise indicators')
    .option('--redis <url>', 'run detection and notification jobs on BullMQ in Redis (redis://host:6379), so several replicas share them')
    .option('-q, --quiet', 'only errors on stderr', false);
  addStoreOptions(cmd);
  cmd.addHelpText('after', EXAMPLES).action(async (raw: Record<string, unknown>) => {
    const config = resolveConfig({ ...(typeof raw.config === 'string' && { config: raw.config }) } as SharedOptions, process.cwd());
    let settings;
    try {
      settings = serveSettings(config, process.env, raw.listen as string | undefined);
    } catch (e) {
      if (e instanceof SettingsError) throw new UsageError(e.message);
      throw e;
    }
    if (!settings.githubSecrets.length && !settings.gitlabTokens.length && !settings.auditTokens.length) {
      throw new UsageError(`nothing to receive: set ${ENV.githubSecret}, ${ENV.gitlabToken} or ${ENV.auditToken} (see --help)`);
    }
    const redisUrl = typeof raw.redis === 'string' ? raw.redis : undefined;
    if (redisUrl !== undefined) {
      try {
        (await import('../serve/queue.js')).redisConnection(redisUrl);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const indicators = indicatorsFrom(raw);
    const store = await openMonitorStore(raw);
    const serveStore = new ServeStore(store.db, store.dialect);
    const { FolderContents } = await import('../monitor/replay.js');
    const ctx = makeContext(store, indicators, {
      settings: settingsFrom(config),
      config,
      ...(typeof raw.contents === 'string' && { contents: new FolderContents(raw.contents) }),
    });
    const quiet = raw.quiet === true;
    const log = (line: string): void => void process.stderr.write(`pipewarden serve: ${line}\n`);
    let server;
    try {
      server = await startServer({ store, serveStore, settings, ctx, log, ...(redisUrl && { redis: { url: redisUrl } }) });
    } catch (e) {
      await store.close();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${settings.host}:${settings.port}: ${code}`);
      if ((e as Error).message.startsWith('cannot reach Redis')) throw new UsageError((e as Error).message);
      throw e;
    }
    if (!quiet) {
      const where = typeof raw.db === 'string' ? maskUrl(raw.db) : 'SQLite in the data folder';
      log(`listening on ${server.url} (store: ${where}${redisUrl ? `, jobs: Redis ${maskUrl(redisUrl)}` : ''}; GitHub ${settings.githubSecrets.length ? 'on' : 'off'}, GitLab ${settings.gitlabTokens.length ? 'on' : 'off'}, audit stream ${settings.auditTokens.length ? 'on' : 'off'})`);
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    if (!quiet) log('stopping: finishing requests in flight; queued detection resumes at the next start');
    await server.close();
    await store.close();
  });
}
