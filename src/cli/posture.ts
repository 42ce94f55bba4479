import { Option, type Command } from 'commander';
import type { Diagnostic } from '../core/finding.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError } from './common.js';

/** `posture`: organisation and repository access settings through the GitHub/GitLab APIs, or a recorded snapshot. */
export function registerPostureCommand(program: Command): void {
  const cmd = program
    .command('posture')
    .description('access posture of a GitHub organisation or GitLab group through the API (--online), or of a recorded snapshot')
    .argument('[target]', 'github:ORG or gitlab:GROUP (a group path, subgroups included)');
  addSharedOptions(cmd)
    .option('--from-snapshot <dir>', 'evaluate a recorded snapshot folder offline instead of calling the API')
    .option('--snapshot <dir>', 'record every API response used into this folder (secret values redacted)')
    .option('--gh-hostname <host>', 'GitHub Enterprise Server host (API at https://HOST/api/v3)')
    .option('--gitlab-url <url>', 'GitLab instance URL', 'https://gitlab.com')
    .option('--repo <name...>', 'only these repositories / projects (names without the owner, or full paths)')
    .option('--include-archived', 'also check archived repositories / projects', false)
    .addOption(new Option('--max-wait <seconds>', 'longest rate-limit wait to sit through; longer ones stop with a message').default('300'))
    .option('--no-cache', 'do not use or fill the on-disk API cache')
    .addHelpText(
      'after',
      `
Tokens: GITHUB_TOKEN (or GH_TOKEN, or \`gh auth token\`) for GitHub, GITLAB_TOKEN for GitLab.
Checks the token cannot read are reported as posture/not-evaluated with the scope they need
(docs/posture.md lists every check and its scopes).

Examples:
  $ pipewarden posture github:acme --online                       a whole organisation
  $ pipewarden posture github:acme --online --snapshot acme-2026  ...and record what was read
  $ pipewarden posture --from-snapshot examples/posture/github    evaluate a recording offline
  $ pipewarden posture gitlab:acme/platform --online --gitlab-url https://gitlab.example.com
  $ pipewarden posture github:acme --online --format sarif -o posture.sarif

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (not-evaluated checks are high),
2 usage, token or snapshot error, 3 internal error.`,
    )
    .action(async (targetText: string | undefined, raw: Record<string, unknown>) => {
      const opts = normalizeShared(raw);
      const { runPosture, parseTargetSpec, PostureUsageError } = await import('../posture/run.js');
      const config = resolveConfig(opts, process.cwd());
      const maxWait = Number(raw.maxWait);
      if (!Number.isInteger(maxWait) || maxWait < 0) throw new UsageError('--max-wait must be a whole number of seconds');
      if (raw.snapshot && raw.fromSnapshot) throw new UsageError('--snapshot records a live scan; it cannot be combined with --from-snapshot');
      let outcome;
      try {
        outcome = await runPosture({
          ...(targetText ? { target: parseTargetSpec(targetText) } : {}),
          ...(typeof raw.fromSnapshot === 'string' ? { fromSnapshot: raw.fromSnapshot } : {}),
          ...(typeof raw.snapshot === 'string' ? { snapshot: raw.snapshot } : {}),
          online: opts.online,
          ...(typeof raw.ghHostname === 'string' ? { ghHostname: raw.ghHostname } : {}),
          ...(typeof raw.gitlabUrl === 'string' ? { gitlabUrl: raw.gitlabUrl } : {}),
          ...(Array.isArray(raw.repo) ? { repos: raw.repo as string[] } : {}),
          includeArchived: raw.includeArchived === true,
          maxWaitSeconds: maxWait,
          cache: raw.cache !== false,
          config,
          progress: opts.quiet || !process.stderr.isTTY ? undefined : (m) => process.stderr.write(`\r\x1b[K${m}`),
        });
      } catch (e) {
        if (e instanceof PostureUsageError) throw new UsageError(e.message);
        throw e;
      } finally {
        if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      }
      const diagnostics: Diagnostic[] = [...outcome.diagnostics];
      await finishReport(
        {
          findings: outcome.findings,
          diagnostics,
          rules: outcome.rules,
          docsFor: outcome.docsFor,
          sourceOf: () => undefined,
          root: process.cwd(),
          config,
          textSummary: outcome.summary,
        },
        opts,
      );
      if (outcome.internalErrors.length > 0) process.exitCode = 3;
    });
}
