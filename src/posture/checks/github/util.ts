import { RuleOptionsError } from '../../../core/rule.js';
import type { PostureContext, PostureTarget } from '../../check.js';
import type { NotEvaluated } from '../../fetched.js';
import type { ActiveRule, BranchProtection, GithubOrgData, GithubRepoData, ProtectedRef, RepoInfo } from '../../github/model.js';

export function orgTarget(d: GithubOrgData): PostureTarget {
  return { kind: 'organisation', name: d.org, url: d.url };
}

export function repoTarget(r: GithubRepoData): PostureTarget {
  return { kind: 'repository', name: r.info.full_name, url: r.url };
}

export function isPublic(r: GithubRepoData): boolean {
  return r.info.visibility ? r.info.visibility === 'public' : !r.info.private;
}

/** What is known about a branch's protection: active ruleset rules always, classic protection when readable. */
export interface BranchFacts {
  name: string;
  rules: ActiveRule[];
  /** null: no classic protection; undefined: could not be read (why in `classicWhy`). */
  classic: BranchProtection | null | undefined;
  classicWhy?: NotEvaluated;
}

/** Facts for a branch, or undefined after marking the check not evaluated (rules unreadable). */
export function branchFacts(ctx: PostureContext, target: PostureTarget, ref: ProtectedRef): BranchFacts | undefined {
  const rules = ctx.need(target, ref.rules);
  if (rules === undefined) return undefined;
  return ref.protection.ok ? { name: ref.name, rules, classic: ref.protection.value } : { name: ref.name, rules, classic: undefined, classicWhy: ref.protection.why };
}

/** true / false, or 'unknown' when only the unreadable classic protection could decide. */
export type Tri = boolean | 'unknown';

/** Is the branch protected at all (a ruleset rule or classic protection)? */
export function isProtected(f: BranchFacts): Tri {
  if (f.rules.length > 0) return true;
  if (f.classic === undefined) return 'unknown';
  return f.classic !== null;
}

/**
 * Whether a requirement holds through either mechanism (both apply, so either suffices).
 * Unknown only when the rules do not satisfy it and classic protection could not be read.
 */
export function holds(f: BranchFacts, byRule: (r: ActiveRule) => boolean, byClassic: (p: BranchProtection) => boolean): Tri {
  if (f.rules.some(byRule)) return true;
  if (f.classic === undefined) return 'unknown';
  return f.classic !== null && byClassic(f.classic);
}

/**
 * The shared shape of the default-branch checks: evaluate `requirement` on a protected default
 * branch (an unprotected one is reported once, by default-branch-unprotected), and report when
 * it does not hold.
 */
export function eachProtectedDefaultBranch(d: GithubOrgData, ctx: PostureContext, fn: (repo: GithubRepoData, target: PostureTarget, facts: BranchFacts) => void): void {
  for (const repo of d.repos) {
    const target = repoTarget(repo);
    const facts = branchFacts(ctx, target, repo.defaultBranch);
    if (!facts) continue;
    const prot = isProtected(facts);
    if (prot === 'unknown') {
      ctx.notEvaluated(target, facts.classicWhy!);
      continue;
    }
    if (prot) fn(repo, target, facts);
  }
}

/** Reports when a default-branch requirement does not hold; not evaluated when it cannot be known. */
export function requireOnDefaultBranch(
  d: GithubOrgData,
  ctx: PostureContext,
  byRule: (r: ActiveRule) => boolean,
  byClassic: (p: BranchProtection) => boolean,
  message: (branch: string) => string,
  route: string,
): void {
  eachProtectedDefaultBranch(d, ctx, (_repo, target, facts) => {
    const ok = holds(facts, byRule, byClassic);
    if (ok === 'unknown') ctx.notEvaluated(target, facts.classicWhy!);
    else if (!ok) ctx.report(target, { message: message(facts.name), route: `${route}:${facts.name}`, properties: { branch: facts.name } });
  });
}

/** `https://host/o/r/blob/BRANCH/path` for a workflow line location. */
export function fileUrl(repo: GithubRepoData, path: string): string {
  return `${repo.url}/blob/${encodeURIComponent(repo.info.default_branch)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Days between an ISO date and `asOf`. */
/** A rule option that is a number of days (whole, at least 1), or its default. */
export function daysOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const v = options[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RuleOptionsError(`${name} must be a whole number of days, at least 1`);
  return v;
}

export function ageDays(iso: string | undefined, asOf: string): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((Date.parse(asOf) - t) / 86_400_000);
}

/** Each repository's security_and_analysis (null: none reported to an admin), or not evaluated when hidden from non-admins. */
export function eachSecurityAnalysis(d: GithubOrgData, ctx: PostureContext, fn: (repo: GithubRepoData, target: PostureTarget, sa: RepoInfo['security_and_analysis']) => void): void {
  for (const repo of d.repos) {
    const target = repoTarget(repo);
    const sa = repo.info.security_and_analysis;
    if (sa === undefined || (sa === null && repo.info.permissions?.admin !== true)) {
      ctx.notEvaluated(target, { reason: 'scope', detail: 'needs admin on the repository (security_and_analysis is only shown to admins)' });
      continue;
    }
    fn(repo, target, sa);
  }
}
