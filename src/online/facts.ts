/**
 * What the online rules know about the world: plain JSON fetched by prefetch.ts before any rule
 * runs, handed to the rules on the model (`(model as OnlineModel).online`). Rules stay pure: they
 * read these facts and never touch the network. Plain JSON because audits run in worker threads.
 *
 * Every fact is optional. Absent means "not known" (not fetched, request failed, list truncated),
 * and a rule that lacks a fact reports nothing: an online check must never turn a network
 * problem into a finding.
 */
import type { GithubModel, UsesRef } from '../platforms/github/model.js';
import { indexAdvisories, parseAdvisoryDatabase, type Advisory } from '../platforms/github/uses-policy.js';
import type { SourceText } from '../yaml/load.js';

export interface RefInfo {
  /** Object SHA of `refs/tags/<ref>` when that tag exists (a tag object for annotated tags). */
  tag?: string;
  /** Commit SHA of `refs/heads/<ref>` when that branch exists. */
  branch?: string;
}

export interface CommitInfo {
  /**
   * `reachable`: the head of, or an ancestor of, a branch or tag of the repository.
   * `unreachable`: every branch and tag was checked and none contains it (a commit from the fork
   * network, served through the parent's name). `missing`: GitHub does not know the commit.
   */
  reachability: 'reachable' | 'unreachable' | 'missing';
  /** The branch or tag that contains it, for messages (`branch main`, `tag v4.1.0`). */
  via?: string;
}

export interface TagInfo {
  name: string;
  /** Commit the tag points to (peeled: annotated tags resolve to their commit). */
  sha: string;
}

export interface RepoFacts {
  /** Non-SHA refs used with this repository → what they name. */
  refs: Record<string, RefInfo>;
  /** Pinned SHAs (lower-case) → reachability; absent when undecided (too many refs to check). */
  commits: Record<string, CommitInfo>;
  /** Tags with their commits, newest first as GitHub lists them. */
  tags?: TagInfo[];
  /** False when the tag list was cut off (so "not a tag" cannot be concluded). */
  tagsComplete?: boolean;
  /** Tag name → commit SHA (null: no such tag), for versions named in `# vX.Y.Z` comments. */
  tagCommits?: Record<string, string | null>;
  /** Tag name of the latest release, when there is one. */
  latestRelease?: string;
}

/** An action's metadata file fetched at the ref a workflow uses. */
export type ActionFile = { path: string; text: string } | { missing: true };

export interface OnlineFacts {
  /** False when nothing could be fetched (network down, no cache): online rules stay silent. */
  available: boolean;
  /** `owner/repo` (lower-case) → facts. */
  repos: Record<string, RepoFacts>;
  /** actionKey() → metadata file. */
  actions: Record<string, ActionFile>;
  /** Advisories from the GitHub advisory database, in the shape of data/advisories/github-actions.json. */
  advisories: Array<Record<string, unknown>>;
  /** `rules.unpinned-uses.options.policy` from the config, so transitive-actions judges pins the same way. */
  usesPolicy?: Record<string, unknown>;
}

export interface OnlineModel extends GithubModel {
  online?: OnlineFacts;
}

export function emptyFacts(available = true): OnlineFacts {
  return { available, repos: {}, actions: {}, advisories: [] };
}

export function onlineFacts(model: GithubModel): OnlineFacts | undefined {
  const facts = (model as OnlineModel).online;
  return facts?.available ? facts : undefined;
}

/** GitHub owner and repository names are case-insensitive; refs and paths are not. */
export function repoKey(owner: string, repo: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}`;
}

export function actionKey(owner: string, repo: string, path: string, ref: string): string {
  return `${repoKey(owner, repo)}${path ? `/${path.replace(/^\/+|\/+$/g, '')}` : ''}@${ref}`;
}

export type RepoUses = Extract<UsesRef, { kind: 'repo' }>;

/** Source text after the `uses:` value on its line (where `# v1.2.3` comments live). */
export function restOfLine(source: SourceText, uses: RepoUses): string {
  const end = uses.node.range?.[1];
  if (end === undefined) return '';
  const nl = source.text.indexOf('\n', end);
  return source.text.slice(end, nl === -1 ? undefined : nl).replace(/\r$/, '');
}

/**
 * The version a trailing comment names, as written (`v4.1.2` from `# v4.1.2`, `# tag=v4.1.2`,
 * `# pin@v4.1.2`): the same conventions as uses-policy.versionInComment, but keeping the text
 * because a tag is looked up by its exact name.
 */
export function commentVersionText(lineRest: string): string | undefined {
  const m = /^\s*#\s*(?:tag\s*=\s*|pin@|ratchet:[^@\s]+@)?([vV]?\d[\w.+-]*)/.exec(lineRest);
  if (!m) return undefined;
  return m[1]!.replace(/[.,;:]+$/, '');
}

/** Tag names to try for a version written in a comment: as written, then with/without the `v`. */
export function tagCandidates(version: string): string[] {
  const bare = version.replace(/^[vV]/, '');
  return [...new Set([version, `v${bare}`, bare])];
}

const parsedAdvisories = new WeakMap<OnlineFacts, Map<string, Advisory[]>>();

/**
 * Online advisories by package, parsed and validated like the shipped list (entries that do not
 * validate were already dropped by prefetch; a bad one here is skipped, never fatal).
 */
export function onlineAdvisoriesByPackage(model: GithubModel): ReadonlyMap<string, Advisory[]> {
  const facts = onlineFacts(model);
  if (!facts || facts.advisories.length === 0) return new Map();
  let index = parsedAdvisories.get(facts);
  if (!index) {
    const valid: Advisory[] = [];
    for (const a of facts.advisories) {
      try {
        valid.push(...parseAdvisoryDatabase({ generated: '', source: 'online', update: '', advisories: [a] }).advisories);
      } catch {
        // skipped: prefetch validates, this only guards hand-made facts
      }
    }
    index = indexAdvisories({ generated: '', source: 'online', update: '', advisories: valid });
    parsedAdvisories.set(facts, index);
  }
  return index;
}

/** Shipped advisories for a package plus online ones the shipped list does not already have (same GHSA id). */
export function mergeAdvisories(offline: readonly Advisory[] | undefined, online: readonly Advisory[] | undefined): Advisory[] | undefined {
  if (!online?.length) return offline ? [...offline] : undefined;
  const ids = new Set((offline ?? []).map((a) => a.id));
  // Shipped entries win: they carry the hand-curated compromisedShas / compromisedTags.
  const merged = [...(offline ?? []), ...online.filter((a) => !ids.has(a.id))];
  return merged.length ? merged : undefined;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}
