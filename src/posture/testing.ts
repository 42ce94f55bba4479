/**
 * Test helpers for posture checks: the example organisation/group replayed from examples/posture
 * (the recorded, documented response shapes), and a compact view of what a check reports.
 */
import { fileURLToPath } from 'node:url';
import { ReplayingTransport } from './api/snapshot.js';
import { ApiReader, missing, type Fetched } from './fetched.js';
import { runPostureChecks, type PostureCheck } from './check.js';
import { collectGithubOrg } from './github/collect.js';
import type { GithubOrgData, GithubRepoData } from './github/model.js';
import { collectGitlabGroup } from './gitlab/collect.js';
import type { GitlabGroupData, GitlabProjectData } from './gitlab/model.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/posture/', import.meta.url));
let github: GithubOrgData | undefined;
let gitlab: GitlabGroupData | undefined;

/** A fresh copy of the example GitHub organisation (examples/posture/github). */
export async function exampleGithub(): Promise<GithubOrgData> {
  if (!github) {
    const t = new ReplayingTransport(`${EXAMPLES}github`);
    github = await collectGithubOrg(new ApiReader(t), { org: t.meta.target, now: new Date(t.meta.recordedAt) });
  }
  return structuredClone(github);
}

/** A fresh copy of the example GitLab group (examples/posture/gitlab). */
export async function exampleGitlab(): Promise<GitlabGroupData> {
  if (!gitlab) {
    const t = new ReplayingTransport(`${EXAMPLES}gitlab`);
    gitlab = await collectGitlabGroup(new ApiReader(t), { group: t.meta.target, now: new Date(t.meta.recordedAt) });
  }
  return structuredClone(gitlab);
}

export function repo(d: GithubOrgData, name: string): GithubRepoData {
  const r = d.repos.find((x) => x.info.name === name);
  if (!r) throw new Error(`no repository ${name} in the example`);
  return r;
}

export function project(d: GitlabGroupData, path: string): GitlabProjectData {
  const p = d.projects.find((x) => x.info.path_with_namespace === path || x.info.path_with_namespace.endsWith(`/${path}`));
  if (!p) throw new Error(`no project ${path} in the example`);
  return p;
}

/** What a token without the scope gets. */
export function noScope<T>(scope = 'admin:org'): Fetched<T> {
  return missing({ reason: 'scope', detail: `needs ${scope}` });
}

/** `target severity: message` per finding, and `target: reason: detail` per not-evaluated entry, in report order. */
export function evaluate<D>(check: PostureCheck<D>, data: D, options: Record<string, unknown> = {}): { findings: string[]; notEvaluated: string[] } {
  const r = runPostureChecks([check], data, { [check.meta.id]: { options } });
  if (r.errors.length > 0) throw new Error(r.errors.join('; '));
  return {
    findings: r.findings.map(({ target, finding: f }) => `${target.name} ${f.severity}: ${f.message}${f.location.startLine > 0 ? ` @${f.location.file.replace(/^.*\/blob\/[^/]+\//, '')}:${f.location.startLine}` : ''}`),
    notEvaluated: r.notEvaluated.map((e) => `${e.target.name}: ${e.why.reason}: ${e.why.detail}`),
  };
}

/** The classic branch protection of a repository's default branch in the example (to edit in a test). */
export function classic(d: GithubOrgData, name: string): NonNullable<Extract<GithubRepoData['defaultBranch']['protection'], { ok: true }>['value']> {
  const p = repo(d, name).defaultBranch.protection;
  if (!p.ok || !p.value) throw new Error(`${name} has no classic protection in the example`);
  return p.value;
}

/** The value of a Fetched that the example has (to edit in a test). */
export function value<T>(f: Fetched<T>): T {
  if (!f.ok) throw new Error(`not in the example: ${f.why.detail}`);
  return f.value;
}
