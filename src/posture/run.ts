/**
 * `posture` end to end, minus the CLI: pick a transport (live, recording, replaying), collect,
 * run the checks, turn "not evaluated" into findings, and describe the targets for the summary.
 * All network I/O happens in the collectors; checks are pure.
 */
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import { readRuleDocs } from '../audits/registry.js';
import { apiBaseUrl, resolveToken } from '../online/github-client.js';
import { VERSION } from '../cli/version.js';
import { AuthError, type PosturePlatform, type PostureTransport } from './api/types.js';
import { GithubLiveTransport, NetworkError } from './api/github-live.js';
import { GitlabLiveTransport } from './api/gitlab-live.js';
import { RecordingTransport, ReplayingTransport, SnapshotError } from './api/snapshot.js';
import { ApiReader } from './fetched.js';
import { runPostureChecks, type PostureCheck, type PostureTarget } from './check.js';
import { collectGithubOrg, TargetNotFoundError } from './github/collect.js';
import type { GithubOrgData } from './github/model.js';
import { GITHUB_CHECKS } from './checks/github/index.js';
import { orgTarget, repoTarget, isPublic } from './checks/github/util.js';
import { meta as notEvaluatedMeta, notEvaluatedFindings } from './checks/not-evaluated/check.js';
import { GITLAB_CHECKS } from './checks/gitlab/index.js';
import { collectGitlabGroup, GroupNotFoundError } from './gitlab/collect.js';
import type { GitlabGroupData } from './gitlab/model.js';
import { groupTarget, projectTarget } from './checks/gitlab/util.js';
import { summaryTable } from './summary.js';

export interface PostureTargetSpec {
  platform: PosturePlatform;
  /** GitHub organisation login, or GitLab group full path. */
  name: string;
}

/** `github:acme`, `gitlab:group/sub`; anything else is a usage error. */
export function parseTargetSpec(text: string): PostureTargetSpec {
  const m = /^(github|gitlab):(.+)$/.exec(text.trim());
  if (!m) throw new PostureUsageError(`"${text}" is not a posture target: use github:ORG or gitlab:GROUP (or --from-snapshot DIR)`);
  const platform = m[1] as PosturePlatform;
  const name = m[2]!.replace(/^\/+|\/+$/g, '');
  const valid = platform === 'github' ? /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/ : /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*){0,19}$/;
  if (!valid.test(name) || name.split('/').some((s) => s === '.' || s === '..')) throw new PostureUsageError(`"${name}" is not a valid ${platform === 'github' ? 'GitHub organisation' : 'GitLab group path'}`);
  return { platform, name };
}

/** A user-facing problem (bad target, token rejected, unreadable snapshot): exit 2. */
export class PostureUsageError extends Error {}

export interface PostureRunOptions {
  target?: PostureTargetSpec;
  fromSnapshot?: string;
  snapshot?: string;
  online: boolean;
  ghHostname?: string;
  gitlabUrl?: string;
  repos?: string[];
  includeArchived?: boolean;
  maxWaitSeconds: number;
  cache: boolean;
  config: PipewardenConfig;
  progress?: (message: string) => void;
}

export interface PostureOutcome {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  docsFor(ruleId: string): string | undefined;
  /** The per-target table for the text report, from the findings that survive policy. */
  summary(kept: readonly Finding[]): string;
  /** Bugs in checks: the CLI exits 3 after reporting. */
  internalErrors: string[];
}

export function postureRuleMetas(): RuleMeta[] {
  return [notEvaluatedMeta, ...GITHUB_CHECKS.map((c) => c.meta), ...GITLAB_CHECKS.map((c) => c.meta)];
}

export async function runPosture(opts: PostureRunOptions): Promise<PostureOutcome> {
  const diagnostics: Diagnostic[] = [];
  let transport: PostureTransport;
  // PIPEWARDEN_POSTURE_NOW fixes the date ages and activity windows are measured from (reproducible reports, tests).
  let now = process.env.PIPEWARDEN_POSTURE_NOW ? new Date(process.env.PIPEWARDEN_POSTURE_NOW) : new Date();
  if (Number.isNaN(now.getTime())) throw new PostureUsageError('PIPEWARDEN_POSTURE_NOW is not a date');
  let target = opts.target;
  try {
    if (opts.fromSnapshot) {
      const replay = new ReplayingTransport(opts.fromSnapshot);
      if (target && (target.platform !== replay.meta.platform || target.name.toLowerCase() !== replay.meta.target.toLowerCase())) {
        throw new PostureUsageError(`the snapshot is of ${replay.meta.platform}:${replay.meta.target}, not ${target.platform}:${target.name}`);
      }
      target = { platform: replay.meta.platform, name: replay.meta.target };
      now = new Date(replay.meta.recordedAt);
      if (Number.isNaN(now.getTime())) throw new PostureUsageError(`${opts.fromSnapshot}/snapshot.json: recordedAt is not a date`);
      transport = replay;
    } else {
      if (!target) throw new PostureUsageError('name what to check: github:ORG or gitlab:GROUP, or --from-snapshot DIR');
      if (!opts.online) throw new PostureUsageError(`posture reads the ${target.platform === 'github' ? 'GitHub' : 'GitLab'} API: add --online (or evaluate a recorded snapshot with --from-snapshot DIR)`);
      transport = await liveTransport(target, opts, diagnostics);
      if (opts.snapshot) transport = new RecordingTransport(transport, opts.snapshot, target.name, `pipewarden ${VERSION}`, now);
    }
  } catch (e) {
    if (e instanceof SnapshotError) throw new PostureUsageError(e.message);
    throw e;
  }

  const reader = new ApiReader(transport);
  const rules = opts.config.rules;
  const progress = (done: number, total: number): void => opts.progress?.(`posture: ${target!.name}: ${done}/${total} ${target!.platform === 'github' ? 'repositories' : 'projects'}`);
  let targets: PostureTarget[];
  let visibility: Map<string, string>;
  let result: ReturnType<typeof runPostureChecks>;
  let top: PostureTarget;
  try {
    if (target.platform === 'github') {
      const data: GithubOrgData = await collectGithubOrg(reader, { org: target.name, now, ...(opts.repos ? { repos: opts.repos } : {}), includeArchived: opts.includeArchived === true, onProgress: progress });
      result = runPostureChecks(GITHUB_CHECKS as ReadonlyArray<PostureCheck<GithubOrgData>>, data, rules);
      top = orgTarget(data);
      targets = [top, ...data.repos.map(repoTarget)];
      visibility = new Map(data.repos.map((r) => [r.url, r.info.visibility ?? (isPublic(r) ? 'public' : 'private')]));
      if (opts.repos?.length && data.repos.length === 0) diagnostics.push({ level: 'warning', message: `none of the repositories named with --repo is in ${target.name}` });
    } else {
      const data: GitlabGroupData = await collectGitlabGroup(reader, { group: target.name, now, ...(opts.repos ? { projects: opts.repos } : {}), includeArchived: opts.includeArchived === true, onProgress: progress });
      result = runPostureChecks(GITLAB_CHECKS as ReadonlyArray<PostureCheck<GitlabGroupData>>, data, rules);
      top = groupTarget(data);
      targets = [top, ...data.projects.map(projectTarget)];
      visibility = new Map([[top.url, data.info.ok ? (data.info.value.visibility ?? '-') : '-'], ...data.projects.map((p): [string, string] => [p.url, p.info.visibility ?? '-'])]);
    }
  } catch (e) {
    if (e instanceof TargetNotFoundError || e instanceof GroupNotFoundError || e instanceof AuthError || e instanceof NetworkError) throw new PostureUsageError(e.message);
    if (e instanceof SnapshotError) throw new PostureUsageError(e.message);
    throw e;
  }
  if (reader.rateLimitMessage) diagnostics.push({ level: 'error', message: `${reader.rateLimitMessage}; checks not read yet are reported as posture/not-evaluated` });
  if (transport instanceof RecordingTransport) diagnostics.push({ level: 'note', message: `recorded ${transport.recorded} API responses in ${opts.snapshot}` });
  for (const err of result.errors) diagnostics.push({ level: 'error', message: err });
  const findings = [...result.findings.map((f) => f.finding), ...(rules[notEvaluatedMeta.id]?.enabled === false ? [] : notEvaluatedFindings(result.notEvaluated, top))];
  const metas = postureRuleMetas();
  return {
    findings,
    diagnostics,
    rules: metas,
    docsFor: (id) => {
      const m = metas.find((r) => r.id === id);
      return m ? readRuleDocs(m) : undefined;
    },
    summary: (kept) => summaryTable(kept, targets, visibility),
    internalErrors: result.errors,
  };
}

async function liveTransport(target: PostureTargetSpec, opts: PostureRunOptions, diagnostics: Diagnostic[]): Promise<PostureTransport> {
  const onWait = (seconds: number, why: string): void => opts.progress?.(`posture: ${why} reached; waiting ${seconds}s (--max-wait ${opts.maxWaitSeconds}s)`);
  const cacheDir = opts.cache ? undefined : null;
  if (target.platform === 'github') {
    let apiUrl: string;
    try {
      apiUrl = apiBaseUrl(opts.ghHostname);
    } catch (e) {
      throw new PostureUsageError((e as Error).message);
    }
    const token = await resolveToken(opts.ghHostname);
    if (!token.token) diagnostics.push({ level: 'warning', message: 'no GitHub token (GITHUB_TOKEN, GH_TOKEN or `gh auth token`): most posture checks need one and will be reported as not evaluated' });
    const webUrl = opts.ghHostname && !/^(www\.|api\.)?github\.com$/i.test(opts.ghHostname) ? `https://${opts.ghHostname}` : 'https://github.com';
    return new GithubLiveTransport({ apiUrl, webUrl, ...(token.token ? { token: token.token } : {}), maxWaitSeconds: opts.maxWaitSeconds, cacheDir, onWait });
  }
  const webUrl = (opts.gitlabUrl ?? 'https://gitlab.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(webUrl)) throw new PostureUsageError(`--gitlab-url "${webUrl}" is not an http(s) URL`);
  const token = process.env.GITLAB_TOKEN?.trim();
  if (!token) diagnostics.push({ level: 'warning', message: 'no GITLAB_TOKEN: most posture checks need one and will be reported as not evaluated' });
  // PIPEWARDEN_GITLAB_API_URL points the API elsewhere (tests, proxies) while locations keep the web URL.
  const apiUrl = process.env.PIPEWARDEN_GITLAB_API_URL?.replace(/\/+$/, '');
  return new GitlabLiveTransport({ webUrl, ...(apiUrl ? { apiUrl } : {}), ...(token ? { token } : {}), maxWaitSeconds: opts.maxWaitSeconds, cacheDir, onWait });
}
