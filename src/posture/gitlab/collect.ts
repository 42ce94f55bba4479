import { ApiReader, missing, ok, type EndpointSpec, type Fetched, type NotEvaluated } from '../fetched.js';
import type {
  ApprovalRule, Approvals, Branch, DeployKey, DeployToken, GitlabGroupData, GitlabProjectData, GroupInfo, ProjectHook, ProjectInfo, ProtectedBranch, RunnerDetail, Variable,
} from './model.js';

/**
 * Reads one GitLab group and its projects (subgroups included) through REST v4. Settings
 * endpoints need the Maintainer role; when the project listing says the token's role is lower,
 * they are not asked for and the checks say "not evaluated: needs Maintainer".
 */
const MAINTAINER = 40;
const READ = 'read_api';
const MAINTAINER_SCOPE = 'read_api and the Maintainer role on the project';
const OWNER_SCOPE = 'read_api and the Owner role on the group';
const PREMIUM = /premium|ultimate|license|not available|feature/i;

const spec = (scope: string, on404: EndpointSpec['on404'], planHint?: RegExp): EndpointSpec => ({ scope, on404, ...(planHint ? { planHint } : {}) });

export interface GitlabCollectOptions {
  group: string;
  projects?: string[];
  includeArchived?: boolean;
  now: Date;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export class GroupNotFoundError extends Error {}

export async function collectGitlabGroup(reader: ApiReader, opts: GitlabCollectOptions): Promise<GitlabGroupData> {
  const g = encodeURIComponent(opts.group);
  const info = await reader.get<GroupInfo>(`/groups/${g}?with_projects=false`, spec(READ, 'no-access'));
  if (!info.ok && info.why.reason === 'scope') throw new GroupNotFoundError(`group ${opts.group} not found, or not visible with this token`);
  const webUrl = reader.transport.webUrl;
  const data: GitlabGroupData = {
    platform: 'gitlab',
    group: opts.group,
    url: `${webUrl}/${opts.group}`,
    webUrl,
    info: info.ok ? (info.value ? ok(info.value) : missing({ reason: 'error', detail: 'empty group response' })) : missing(info.why),
    variables: await reader.list<Variable>(`/groups/${g}/variables`, spec(OWNER_SCOPE, 'no-access')),
    projects: [],
    asOf: opts.now.toISOString(),
  };
  const listed = await reader.list<ProjectInfo>(`/groups/${g}/projects?include_subgroups=true&with_shared=false&order_by=path&sort=asc`, spec(READ, 'no-access'));
  if (!listed.ok) return data;
  const wanted = new Set((opts.projects ?? []).map((p) => p.toLowerCase()));
  const projects = listed.value
    .filter((p) => (opts.includeArchived || !p.archived) && (wanted.size === 0 || wanted.has(p.path_with_namespace.toLowerCase()) || wanted.has(p.path_with_namespace.split('/').pop()!.toLowerCase())))
    .sort((a, b) => (a.path_with_namespace < b.path_with_namespace ? -1 : 1));
  const out: GitlabProjectData[] = [];
  let done = 0;
  for (const p of projects) {
    out.push(await collectProject(reader, p, webUrl));
    opts.onProgress?.(++done, projects.length);
  }
  data.projects = out;
  return data;
}

/** A Maintainer refused a Premium endpoint: the plan, not the role, is missing. */
function premiumOr<T>(why: NotEvaluated, planHint: RegExp | undefined): Fetched<T> {
  if (planHint && why.reason === 'scope') return missing({ reason: 'plan', detail: 'needs GitLab Premium or Ultimate (approval settings and rules)' });
  return missing(why);
}

function role(p: ProjectInfo): number {
  return Math.max(p.permissions?.project_access?.access_level ?? 0, p.permissions?.group_access?.access_level ?? 0);
}

async function collectProject(reader: ApiReader, p: ProjectInfo, webUrl: string): Promise<GitlabProjectData> {
  const base = `/projects/${p.id}`;
  // GitLab omits `permissions` for administrators' instance-wide tokens; then just ask.
  const maintainer = p.permissions === undefined || role(p) >= MAINTAINER;
  const needMaintainer = <T>(): Fetched<T> => missing({ reason: 'scope', detail: `needs ${MAINTAINER_SCOPE}` });
  const m = async <T>(path: string, on404: EndpointSpec['on404'] = 'no-access', planHint?: RegExp): Promise<Fetched<T[]>> => {
    if (!maintainer) return needMaintainer();
    const got = await reader.list<T>(`${base}${path}`, spec(MAINTAINER_SCOPE, on404, planHint));
    return got.ok ? got : premiumOr(got.why, planHint);
  };
  const one = async <T>(path: string, on404: EndpointSpec['on404'], planHint?: RegExp): Promise<Fetched<T>> => {
    if (!maintainer) return needMaintainer();
    const got = await reader.get<T>(`${base}${path}`, spec(MAINTAINER_SCOPE, on404, planHint));
    if (!got.ok) return premiumOr(got.why, planHint);
    return got.value === null ? missing({ reason: 'unsupported', detail: 'the server does not offer this endpoint' }) : ok(got.value);
  };
  const tags = await reader.get<unknown[]>(`${base}/repository/tags?per_page=1`, spec(READ, 'absent'));
  return {
    info: p,
    url: p.web_url ?? `${webUrl}/${p.path_with_namespace}`,
    branches: await reader.list<Branch>(`${base}/repository/branches`, spec(READ, 'absent')),
    protectedBranches: await m<ProtectedBranch>('/protected_branches'),
    protectedTags: await m<{ name: string }>('/protected_tags'),
    hasTags: tags.ok ? ok(Array.isArray(tags.value) && tags.value.length > 0) : missing(tags.why),
    // Approval settings and rules are GitLab Premium: 403/404 there means "not on this plan".
    approvals: await one<Approvals>('/approvals', 'unsupported', PREMIUM),
    approvalRules: await m<ApprovalRule>('/approval_rules', 'unsupported', PREMIUM),
    variables: await m<Variable>('/variables'),
    deployTokens: await m<DeployToken>('/deploy_tokens'),
    deployKeys: await m<DeployKey>('/deploy_keys'),
    hooks: await m<ProjectHook>('/hooks'),
    jobTokenScope: await one<{ inbound_enabled?: boolean }>('/job_token_scope', 'unsupported'),
    runners: await runners(reader, base, maintainer),
  };
}

async function runners(reader: ApiReader, base: string, maintainer: boolean): Promise<Fetched<RunnerDetail[]>> {
  if (!maintainer) return missing({ reason: 'scope', detail: `needs ${MAINTAINER_SCOPE}` });
  const list = await reader.list<RunnerDetail>(`${base}/runners?type=project_type`, spec(MAINTAINER_SCOPE, 'no-access'));
  if (!list.ok) return list;
  const out: RunnerDetail[] = [];
  for (const r of list.value) {
    const detail = await reader.get<RunnerDetail>(`/runners/${r.id}`, spec(MAINTAINER_SCOPE, 'no-access'));
    if (!detail.ok) return missing(detail.why);
    out.push(detail.value ?? r);
  }
  return ok(out);
}
