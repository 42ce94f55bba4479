import type { PostureContext, PostureTarget } from '../../check.js';
import type { GitlabGroupData, GitlabProjectData, ProtectedBranch, Variable } from '../../gitlab/model.js';

export function groupTarget(d: GitlabGroupData): PostureTarget {
  return { kind: 'group', name: d.group, url: d.url };
}

export function projectTarget(p: GitlabProjectData): PostureTarget {
  return { kind: 'project', name: p.info.path_with_namespace, url: p.url };
}

/** GitLab protected-branch names are exact or wildcards with `*` (any characters, `/` included). */
export function branchMatches(pattern: string, branch: string): boolean {
  if (!pattern.includes('*')) return pattern === branch;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(branch);
}

/** Protected-branch rules that apply to a branch (several wildcards may). */
export function rulesFor(rules: readonly ProtectedBranch[], branch: string): ProtectedBranch[] {
  return rules.filter((r) => branchMatches(r.name, branch));
}

export const ACCESS_NAMES: Record<number, string> = { 0: 'no one', 30: 'developers', 40: 'maintainers', 60: 'administrators' };

/** Credential-like variable names: what must be protected and masked. */
export const SECRET_NAME = /(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH|CERT|SSH_KEY|KEYSTORE|DSN|WEBHOOK)/i;

/** The group's variables, then each project's, sorted by key; unreadable sets are not evaluated. */
export function eachVariable(d: GitlabGroupData, ctx: PostureContext, fn: (target: PostureTarget, v: Variable) => void): void {
  const sets: Array<[PostureTarget, Variable[] | undefined]> = [[groupTarget(d), ctx.need(groupTarget(d), d.variables)]];
  for (const p of d.projects) sets.push([projectTarget(p), ctx.need(projectTarget(p), p.variables)]);
  for (const [target, vars] of sets) for (const v of [...(vars ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1))) fn(target, v);
}
