import { ApiReader, missing, ok, type EndpointSpec, type Fetched } from '../fetched.js';
import { describeWorkflows, type WorkflowFacts } from '../workflows.js';
import type {
  ActionsPermissions, ActiveRule, BranchProtection, Collaborator, CredentialAuthorization, DeployKey, FineGrainedPat, Environment, ForkPrApproval, ForkPrPrivate, GithubOrgData,
  GithubRepoData, Hook, Member, OrgInfo, ProtectedRef, RepoInfo, Ruleset, Runner, RunnerGroup, Secret, SelectedActions, WorkflowPermissions,
} from './model.js';

/**
 * Reads one GitHub organisation through the API (or a snapshot of it). Every request a check
 * needs is made here, once; what cannot be read becomes a Fetched miss with the reason. Admin-only
 * endpoints are not even asked for when the repository listing says the token is not an admin
 * (GitHub would answer 404, which reads like "absent").
 */

const ORG_ADMIN = 'admin:org (organisation owner; fine-grained: Administration read)';
const READ_ORG = 'read:org';
const REPO_READ = 'repo (private repositories) or public read access';
const REPO_ADMIN = 'admin on the repository (classic: repo; fine-grained: Administration read)';
const REPO_WRITE = 'write access to the repository (classic: repo)';
const HOOKS = 'admin on the repository (classic: read:repo_hook)';
const ORG_HOOKS = 'admin:org_hook (organisation owner)';
// GitHub lets only GitHub Apps list the fine-grained tokens that reach an organisation.
export const PAT_LIST = 'a GitHub App installation token with the organisation permission "Personal access tokens" (read); personal access tokens cannot list them';

const spec = (scope: string, on404: EndpointSpec['on404']): EndpointSpec => ({ scope, on404 });

/** Branch names that are release lines: what an attacker would target after the default branch. */
export const RELEASE_BRANCH = /^(?:release|releases|stable|hotfix|maintenance|maint|lts)(?:[/_-].*)?$|^v?\d+(?:\.\d+|\.x)*$|^\d+\.x$/i;
const MAX_RELEASE_BRANCHES = 5;
const MAX_WORKFLOW_FILES = 100;

export interface CollectOptions {
  org: string;
  /** Only these repositories (names without the owner); all when empty. */
  repos?: string[];
  includeArchived?: boolean;
  /** "Now" for ages and activity windows: the clock live, the recording time on replay. */
  now: Date;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export class TargetNotFoundError extends Error {}

export async function collectGithubOrg(reader: ApiReader, opts: CollectOptions): Promise<GithubOrgData> {
  const org = opts.org;
  const o = encodeURIComponent(org);
  const info = await reader.get<OrgInfo>(`/orgs/${o}`, spec(READ_ORG, 'no-access'));
  if (info.ok && info.value === null) throw new TargetNotFoundError(`organisation ${org} not found`);
  const infoValue = info.ok ? info.value : null;
  if (!info.ok && info.why.reason === 'scope') throw new TargetNotFoundError(`organisation ${org} not found, or not visible with this token`);
  const webUrl = reader.transport.webUrl;
  const orgInfo: Fetched<OrgInfo> = info.ok ? ok(infoValue!) : missing(info.why);

  const actionsPermissions = nonNull(await reader.get<ActionsPermissions>(`/orgs/${o}/actions/permissions`, spec(ORG_ADMIN, 'unsupported')));
  let selectedActions: Fetched<SelectedActions | null> = ok(null);
  if (actionsPermissions.ok && actionsPermissions.value.allowed_actions === 'selected') {
    selectedActions = await reader.get<SelectedActions>(`/orgs/${o}/actions/permissions/selected-actions`, spec(ORG_ADMIN, 'unsupported'));
  }
  const owners = await reader.list<Member>(`/orgs/${o}/members?role=admin`, spec(READ_ORG, 'no-access'));
  const data: GithubOrgData = {
    platform: 'github',
    org,
    url: `${webUrl}/${org}`,
    webUrl,
    info: orgInfo,
    owners,
    ownerActivity: await ownerActivity(reader, infoValue, owners, opts.now),
    samlConfigured: await samlConfigured(reader, org, infoValue),
    actionsPermissions,
    selectedActions,
    workflowPermissions: nonNull(await reader.get<WorkflowPermissions>(`/orgs/${o}/actions/permissions/workflow`, spec(ORG_ADMIN, 'unsupported'))),
    forkPrApproval: nonNull(await reader.get<ForkPrApproval>(`/orgs/${o}/actions/permissions/fork-pr-contributor-approval`, spec(ORG_ADMIN, 'unsupported'))),
    forkPrPrivate: await reader.get<ForkPrPrivate>(`/orgs/${o}/actions/permissions/fork-pr-workflows-private-repos`, spec(ORG_ADMIN, 'unsupported')),
    runnerGroups: await reader.list<RunnerGroup>(`/orgs/${o}/actions/runner-groups`, spec(ORG_ADMIN, 'unsupported'), pickKey('runner_groups')),
    runners: await reader.list<Runner>(`/orgs/${o}/actions/runners`, spec(ORG_ADMIN, 'unsupported'), pickKey('runners')),
    secrets: await reader.list<Secret>(`/orgs/${o}/actions/secrets`, spec(ORG_ADMIN, 'no-access'), pickKey('secrets')),
    hooks: await reader.list<Hook>(`/orgs/${o}/hooks`, spec(ORG_HOOKS, 'no-access')),
    fineGrainedPats: await reader.list<FineGrainedPat>(`/orgs/${o}/personal-access-tokens`, spec(PAT_LIST, 'unsupported')),
    credentialAuthorizations: await credentialAuthorizations(reader, o, infoValue),
    repos: [],
    asOf: opts.now.toISOString(),
  };

  const listed = await reader.list<RepoInfo>(`/orgs/${o}/repos?type=all`, spec(REPO_READ, 'no-access'));
  if (!listed.ok) return data; // every repository check is then "not evaluated" through the org-level note
  const wanted = new Set((opts.repos ?? []).map((r) => r.toLowerCase()));
  const repos = listed.value
    .filter((r) => (wanted.size === 0 || wanted.has(r.name.toLowerCase())) && (opts.includeArchived || !r.archived))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  data.repos = await pool(repos, opts.concurrency ?? 4, (r) => collectRepo(reader, r, webUrl), opts.onProgress);
  return data;
}

function nonNull<T>(f: Fetched<T | null>): Fetched<T> {
  if (!f.ok) return f;
  return f.value === null ? missing({ reason: 'unsupported', detail: 'the server returned no data' }) : ok(f.value);
}

function pickKey(key: string): (data: unknown) => unknown {
  return (d) => (d && typeof d === 'object' ? (d as Record<string, unknown>)[key] : undefined);
}

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>, onProgress?: (done: number, total: number) => void): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

const NEEDS_ADMIN = <T>(): Fetched<T> => missing({ reason: 'scope', detail: `needs ${REPO_ADMIN}` });
const NEEDS_WRITE = <T>(): Fetched<T> => missing({ reason: 'scope', detail: `needs ${REPO_WRITE}` });

async function collectRepo(reader: ApiReader, listed: RepoInfo, webUrl: string): Promise<GithubRepoData> {
  const base = `/repos/${listed.full_name.split('/').map(encodeURIComponent).join('/')}`;
  const admin = listed.permissions?.admin === true;
  const write = admin || listed.permissions?.push === true || listed.permissions?.maintain === true;
  let info = listed;
  if (admin && listed.security_and_analysis === undefined) {
    const full = await reader.get<RepoInfo>(base, spec(REPO_READ, 'no-access'));
    if (full.ok && full.value) info = { ...listed, security_and_analysis: full.value.security_and_analysis ?? null };
  }
  const ref = (name: string): Promise<ProtectedRef> => protectedRef(reader, base, name, admin);
  const branches = await reader.list<{ name: string }>(`${base}/branches`, spec(REPO_READ, 'no-access'));
  const releaseBranches: Fetched<ProtectedRef[]> = branches.ok
    ? ok(await Promise.all(branches.value.map((b) => b.name).filter((n) => n !== info.default_branch && RELEASE_BRANCH.test(n)).sort().slice(0, MAX_RELEASE_BRANCHES).map(ref)))
    : missing(branches.why);
  const environments = await reader.list<Environment>(`${base}/environments`, spec(REPO_READ, 'absent'), pickKey('environments'));
  const environmentSecrets: Record<string, Fetched<Secret[]>> = {};
  if (environments.ok) {
    for (const env of environments.value) {
      environmentSecrets[env.name] = write
        ? await reader.list<Secret>(`${base}/environments/${encodeURIComponent(env.name)}/secrets`, spec(REPO_WRITE, 'no-access'), pickKey('secrets'))
        : NEEDS_WRITE();
    }
  }
  const isPublic = !info.private;
  return {
    info,
    url: info.html_url ?? `${webUrl}/${info.full_name}`,
    defaultBranch: await ref(info.default_branch),
    releaseBranches,
    rulesets: await rulesets(reader, base, admin),
    hasTags: await hasTags(reader, base),
    codeowners: await codeowners(reader, base),
    workflows: await workflows(reader, base),
    environments,
    environmentSecrets,
    secrets: write ? await reader.list<Secret>(`${base}/actions/secrets`, spec(REPO_WRITE, 'no-access'), pickKey('secrets')) : NEEDS_WRITE(),
    deployKeys: admin ? await reader.list<DeployKey>(`${base}/keys`, spec(REPO_ADMIN, 'no-access')) : NEEDS_ADMIN(),
    hooks: admin ? await reader.list<Hook>(`${base}/hooks`, spec(HOOKS, 'no-access')) : missing({ reason: 'scope', detail: `needs ${HOOKS}` }),
    outsideCollaborators: write ? await reader.list<Collaborator>(`${base}/collaborators?affiliation=outside`, spec(REPO_WRITE, 'no-access')) : NEEDS_WRITE(),
    vulnerabilityAlerts: admin ? await alertsEnabled(reader, base) : NEEDS_ADMIN(),
    actionsPermissions: admin ? nonNull(await reader.get<ActionsPermissions>(`${base}/actions/permissions`, spec(REPO_ADMIN, 'no-access'))) : NEEDS_ADMIN(),
    workflowPermissions: admin ? nonNull(await reader.get<WorkflowPermissions>(`${base}/actions/permissions/workflow`, spec(REPO_ADMIN, 'no-access'))) : NEEDS_ADMIN(),
    forkPrApproval: !isPublic ? ok({}) : admin ? nonNull(await reader.get<ForkPrApproval>(`${base}/actions/permissions/fork-pr-contributor-approval`, spec(REPO_ADMIN, 'unsupported'))) : NEEDS_ADMIN(),
    forkPrPrivate: isPublic ? ok(null) : admin ? await reader.get<ForkPrPrivate>(`${base}/actions/permissions/fork-pr-workflows-private-repos`, spec(REPO_ADMIN, 'unsupported')) : NEEDS_ADMIN(),
  };
}

async function protectedRef(reader: ApiReader, base: string, name: string, admin: boolean): Promise<ProtectedRef> {
  const b = encodeURIComponent(name);
  const rules = await reader.list<ActiveRule>(`${base}/rules/branches/${b}`, spec(REPO_READ, 'unsupported'));
  const protection: Fetched<BranchProtection | null> = admin ? await reader.get<BranchProtection>(`${base}/branches/${b}/protection`, spec(REPO_ADMIN, 'absent')) : NEEDS_ADMIN();
  return { name, protection, rules };
}

async function rulesets(reader: ApiReader, base: string, admin: boolean): Promise<Fetched<Ruleset[]>> {
  const list = await reader.list<Ruleset>(`${base}/rulesets?includes_parents=true`, spec(REPO_READ, 'unsupported'));
  if (!list.ok) return list;
  // The list has no conditions or bypass actors; the details do (bypass actors only for admins).
  const out: Ruleset[] = [];
  for (const summary of list.value) {
    const detail = await reader.get<Ruleset>(`${base}/rulesets/${summary.id}`, spec(admin ? REPO_ADMIN : REPO_READ, 'no-access'));
    if (!detail.ok) return missing(detail.why);
    out.push(detail.value ?? summary);
  }
  return ok(out);
}

async function hasTags(reader: ApiReader, base: string): Promise<Fetched<boolean>> {
  const tags = await reader.get<unknown[]>(`${base}/tags?per_page=1`, spec(REPO_READ, 'no-access'));
  return tags.ok ? ok(Array.isArray(tags.value) && tags.value.length > 0) : missing(tags.why);
}

/** GitHub reads the first CODEOWNERS it finds in .github/, the root, then docs/. */
async function codeowners(reader: ApiReader, base: string): Promise<Fetched<{ path: string; text: string } | null>> {
  for (const path of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']) {
    const got = await reader.get<string>(`${base}/contents/${path}`, spec(REPO_READ, 'absent'), 'raw');
    if (!got.ok) return missing(got.why);
    if (typeof got.value === 'string') return ok({ path, text: got.value });
  }
  return ok(null);
}

async function workflows(reader: ApiReader, base: string): Promise<Fetched<WorkflowFacts[]>> {
  const dir = await reader.get<Array<{ name: string; path: string; type: string; size?: number }>>(`${base}/contents/.github/workflows`, spec(REPO_READ, 'absent'));
  if (!dir.ok) return missing(dir.why);
  if (!Array.isArray(dir.value)) return ok([]);
  const files: Array<{ path: string; text: string }> = [];
  const entries = dir.value.filter((e) => e.type === 'file' && /\.ya?ml$/i.test(e.name)).slice(0, MAX_WORKFLOW_FILES);
  for (const e of entries) {
    const got = await reader.get<string>(`${base}/contents/${e.path.split('/').map(encodeURIComponent).join('/')}`, spec(REPO_READ, 'no-access'), 'raw');
    if (!got.ok) return missing(got.why);
    if (typeof got.value === 'string') files.push({ path: e.path, text: got.value });
  }
  return ok(describeWorkflows(files));
}

async function alertsEnabled(reader: ApiReader, base: string): Promise<Fetched<boolean>> {
  // 204 enabled, 404 disabled (for an admin).
  const got = await reader.get<unknown>(`${base}/vulnerability-alerts`, spec(REPO_ADMIN, 'absent'));
  return got.ok ? ok(got.value === true) : missing(got.why);
}

async function samlConfigured(reader: ApiReader, org: string, info: OrgInfo | null): Promise<Fetched<boolean>> {
  // Only GitHub Enterprise Cloud organisations can have SAML SSO; elsewhere the check does not apply.
  if (!info || info.plan?.name?.toLowerCase() !== 'enterprise') return missing({ reason: 'plan', detail: 'SAML single sign-on needs GitHub Enterprise Cloud' });
  const got = await reader.graphql<{ organization: { samlIdentityProvider: { id: string } | null } | null }>(
    'query($login: String!) { organization(login: $login) { samlIdentityProvider { id } } }',
    { login: org },
    spec(ORG_ADMIN, 'no-access'),
  );
  if (!got.ok) return got;
  if (got.value.errors.length > 0 || !got.value.data?.organization) {
    return missing({ reason: 'scope', detail: `needs ${ORG_ADMIN}${got.value.errors[0]?.message ? ` (${got.value.errors[0].message})` : ''}` });
  }
  return ok(got.value.data.organization.samlIdentityProvider !== null);
}

/** SAML-authorised credentials; only Enterprise Cloud organisations have them (404 otherwise: no SAML). */
async function credentialAuthorizations(reader: ApiReader, o: string, info: OrgInfo | null): Promise<Fetched<CredentialAuthorization[]>> {
  if (!info || info.plan?.name?.toLowerCase() !== 'enterprise') {
    return missing({ reason: 'plan', detail: 'the list of classic tokens that reach the organisation needs GitHub Enterprise Cloud with SAML single sign-on' });
  }
  const got = await reader.list<CredentialAuthorization>(`/orgs/${o}/credential-authorizations`, spec(ORG_ADMIN, 'unsupported'));
  if (!got.ok && got.why.reason === 'unsupported') return missing({ reason: 'plan', detail: 'the organisation has no SAML single sign-on, so GitHub keeps no list of the classic tokens that reach it' });
  return got;
}

export const INACTIVITY_DAYS = 90;

/** Whether each owner contributed to the organisation's repositories in the last 90 days (GraphQL contributionsCollection). */
async function ownerActivity(reader: ApiReader, info: (OrgInfo & { node_id?: string }) | null, owners: Fetched<Member[]>, now: Date): Promise<Fetched<Record<string, string | null>>> {
  if (!owners.ok) return owners;
  if (!info?.node_id) return missing({ reason: 'scope', detail: `needs ${READ_ORG}` });
  if (owners.value.length === 0) return ok({});
  const from = new Date(now.getTime() - INACTIVITY_DAYS * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z';
  const logins = owners.value.map((m) => m.login).filter((l) => /^[A-Za-z0-9-]{1,39}$/.test(l)).sort().slice(0, 100);
  const fields = logins
    .map((l, i) => `u${i}: user(login: ${JSON.stringify(l)}) { login contributionsCollection(organizationID: $org, from: $from) { hasAnyContributions latestRestrictedContributionDate } }`)
    .join(' ');
  const got = await reader.graphql<Record<string, { login: string; contributionsCollection: { hasAnyContributions: boolean; latestRestrictedContributionDate?: string | null } } | null>>(
    `query($org: ID!, $from: DateTime!) { ${fields} }`,
    { org: info.node_id, from },
    spec(READ_ORG, 'no-access'),
  );
  if (!got.ok) return got;
  if (!got.value.data) return missing({ reason: 'error', detail: got.value.errors[0]?.message ?? 'GraphQL returned no data' });
  const out: Record<string, string | null> = {};
  logins.forEach((login, i) => {
    const u = got.value.data![`u${i}`];
    if (!u) return;
    out[login] = u.contributionsCollection.hasAnyContributions ? 'active' : null;
  });
  return ok(out);
}
