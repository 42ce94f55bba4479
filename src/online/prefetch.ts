/**
 * Fetches, before any rule runs, everything the online rules need about the actions a set of
 * GitHub files uses, and returns it as plain JSON (OnlineFacts). All network I/O of `audit
 * --online` happens here, in the main thread; the rules (possibly in worker threads) only read.
 *
 * Per action repository `owner/repo`:
 * - non-SHA refs: does the ref name a tag, a branch, or both (`git/matching-refs/{tags,heads}/REF`)
 * - SHA pins: is the commit reachable from a branch or tag? Fast path: it is the head of one
 *   (`/tags`, `/branches`); slow path: `compare/BASE...SHA` is `behind` or `identical` for the
 *   default branch, then the other branches, then the tags, at most `maxCompares` times.
 *   Undecided when that budget runs out: absence of proof is not proof of an impostor. A compare
 *   that answers 404 is checked with `commits/SHA`: a 404 there too means GitHub does not know
 *   the commit at all (`missing`); otherwise it only shares no history with that base.
 * - `# vX.Y.Z` comments after SHA pins: the commit of that tag (annotated tags peeled)
 * - advisories: `GET /advisories?ecosystem=actions&affects=owner/repo`
 * - action.yml (or action.yaml) at the used ref, and breadth-first the actions that composite
 *   actions use in turn, to `maxDepth` levels (each action fetched once: cycles end themselves).
 */
import type { Diagnostic } from '../core/finding.js';
import type { GithubModel } from '../platforms/github/model.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile } from '../platforms/github/load.js';
import { parseAction } from '../platforms/github/parse.js';
import { loadYaml } from '../yaml/load.js';
import { readTextFile } from '../sources/read.js';
import { convertAdvisories, type GlobalAdvisory } from './advisories.js';
import {
  actionKey, commentVersionText, emptyFacts, repoKey, restOfLine, tagCandidates, type OnlineFacts, type RepoFacts, type RepoUses,
} from './facts.js';
import { GithubApiError, GithubNetworkError, type GithubClient } from './github-client.js';

/** One `owner/repo[/path]@ref` found in the scanned files. */
export interface UseSite {
  owner: string;
  repo: string;
  path: string;
  ref: string;
  pinnedToSha: boolean;
  /** Version named in a trailing `# vX.Y.Z` comment after a SHA pin, as written. */
  comment?: string;
  /** A reusable workflow (`jobs.x.uses`), not an action: no action.yml to fetch. */
  workflow: boolean;
}

export interface PrefetchOptions {
  /** Levels of action.yml to fetch (1 = only the actions the scanned files use). Default 3. */
  maxDepth?: number;
  /** Compare requests per pinned SHA before giving up as undecided. Default 12. */
  maxCompares?: number;
  /** Pages of 100 tags. Default 10. */
  maxTagPages?: number;
  /** `rules.unpinned-uses.options.policy`, passed on to transitive-actions. */
  usesPolicy?: Record<string, unknown>;
}

export interface PrefetchResult {
  facts: OnlineFacts;
  diagnostics: Diagnostic[];
}

/** Every third-party `uses:` of a model (steps of workflows and composite actions, reusable workflow calls). */
export function usesOfModel(model: GithubModel): UseSite[] {
  const out: UseSite[] = [];
  const add = (uses: RepoUses, source: Parameters<typeof restOfLine>[0], workflow: boolean): void => {
    if (uses.raw.includes('${{')) return;
    const comment = uses.pinnedToSha ? commentVersionText(restOfLine(source, uses)) : undefined;
    out.push({ owner: uses.owner, repo: uses.repo, path: uses.path, ref: uses.ref, pinnedToSha: uses.pinnedToSha, ...(comment ? { comment } : {}), workflow });
  };
  for (const wf of model.workflows) {
    for (const job of wf.jobs) {
      if (job.uses?.kind === 'repo') add(job.uses, wf.source, true);
      for (const step of job.steps) if (step.uses?.kind === 'repo') add(step.uses, wf.source, false);
    }
  }
  for (const action of model.actions) {
    for (const step of action.steps) if (step.uses?.kind === 'repo') add(step.uses, action.source, false);
  }
  return out;
}

/** A pending file as the audit command collects it (see src/audit/pipeline.ts). */
export interface FileToScan {
  abs: string;
  path: string;
  repoPath: string;
  explicit: boolean;
  /** Refused before reading (a link out of the tree): never read. */
  refused?: string;
}

/** Reads and parses the GitHub files of each repository group (only to list their `uses:`). */
export function usesOfFiles(groups: readonly (readonly FileToScan[])[], maxBytes: number): UseSite[] {
  const out: UseSite[] = [];
  for (const group of groups) {
    const files: GithubFile[] = [];
    for (const p of group) {
      if (p.refused !== undefined) continue;
      const read = readTextFile(p.abs, maxBytes);
      if ('skipped' in read) continue;
      const kind = classifyGithubPath(p.repoPath) ?? (p.explicit ? sniffGithubKind(read.text) : undefined);
      if (kind === 'workflow' || kind === 'action') files.push({ path: p.path, repoPath: p.repoPath, text: read.text, kind });
    }
    if (files.length) out.push(...usesOfModel(buildGithubModel(files).model));
  }
  return out;
}

type Got<T> = { ok: T } | { notFound: true } | { failed: true };

class Prefetcher {
  readonly facts: OnlineFacts = emptyFacts();
  readonly diagnostics: Diagnostic[] = [];
  private successes = 0;
  private readonly networkProblems: string[] = [];
  private readonly otherProblems: string[] = [];
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly advisoryIds = new Set<string>();
  private advisoriesSkipped = 0;

  constructor(private readonly client: GithubClient, private readonly opts: Required<Omit<PrefetchOptions, 'usesPolicy'>>) {}

  repo(owner: string, repo: string): RepoFacts {
    const key = repoKey(owner, repo);
    return (this.facts.repos[key] ??= { refs: {}, commits: {} });
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  /** Runs one request; 404/422 are answers ("no such thing"), other failures are counted and reported once at the end. */
  private async get<T>(fn: () => Promise<T>): Promise<Got<T>> {
    try {
      const ok = await fn();
      this.successes++;
      return { ok };
    } catch (e) {
      if (e instanceof GithubApiError && (e.status === 404 || e.status === 422)) {
        this.successes++;
        return { notFound: true };
      }
      if (e instanceof GithubNetworkError) this.networkProblems.push(e.message);
      else this.otherProblems.push(e instanceof Error ? e.message : String(e));
      return { failed: true };
    }
  }

  private base(owner: string, repo: string): string {
    return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  // --- refs ------------------------------------------------------------------------------------

  private matchingRef(owner: string, repo: string, ns: 'tags' | 'heads', ref: string): Promise<Got<{ sha: string; type: string } | undefined>> {
    return this.once(`ref:${repoKey(owner, repo)}:${ns}:${ref}`, async () => {
      const r = await this.get(() => this.client.getJson<Array<{ ref?: string; object?: { sha?: string; type?: string } }>>(`${this.base(owner, repo)}/git/matching-refs/${ns}/${encodePath(ref)}`));
      if (!('ok' in r)) return r;
      // matching-refs is a prefix match: `v1` also lists `v1.2.3`. Only the exact name counts.
      const hit = Array.isArray(r.ok.data) ? r.ok.data.find((x) => x.ref === `refs/${ns}/${ref}`) : undefined;
      return { ok: hit?.object?.sha ? { sha: hit.object.sha.toLowerCase(), type: hit.object.type ?? 'commit' } : undefined };
    });
  }

  async resolveRef(owner: string, repo: string, ref: string): Promise<void> {
    const [tag, head] = await Promise.all([this.matchingRef(owner, repo, 'tags', ref), this.matchingRef(owner, repo, 'heads', ref)]);
    if (!('ok' in tag) && !('notFound' in tag)) return;
    if (!('ok' in head) && !('notFound' in head)) return;
    const tagSha = 'ok' in tag ? tag.ok?.sha : undefined;
    const headSha = 'ok' in head ? head.ok?.sha : undefined;
    this.repo(owner, repo).refs[ref] = { ...(tagSha ? { tag: tagSha } : {}), ...(headSha ? { branch: headSha } : {}) };
  }

  /** The commit a tag names (annotated tags are tag objects pointing at the commit), or null when there is no such tag. */
  async tagCommit(owner: string, repo: string, name: string): Promise<string | null | undefined> {
    const r = await this.matchingRef(owner, repo, 'tags', name);
    if ('failed' in r) return undefined;
    if ('notFound' in r || !r.ok) return null;
    let { sha, type } = r.ok;
    for (let i = 0; type === 'tag' && i < 3; i++) {
      const t = await this.get(() => this.client.getJson<{ object?: { sha?: string; type?: string } }>(`${this.base(owner, repo)}/git/tags/${sha}`));
      if (!('ok' in t) || !t.ok.data.object?.sha) return undefined;
      sha = t.ok.data.object.sha.toLowerCase();
      type = t.ok.data.object.type ?? 'commit';
    }
    return type === 'commit' ? sha : undefined;
  }

  async commentVersion(owner: string, repo: string, version: string): Promise<void> {
    const facts = this.repo(owner, repo);
    facts.tagCommits ??= {};
    for (const name of tagCandidates(version)) {
      const sha = await this.tagCommit(owner, repo, name);
      if (sha === undefined) return; // unknown: leave it out
      facts.tagCommits[name] = sha;
      if (sha) return;
    }
  }

  // --- reachability ----------------------------------------------------------------------------

  private list(owner: string, repo: string, what: 'tags' | 'branches', pages: number): Promise<Got<{ items: Array<{ name?: string; commit?: { sha?: string } }>; complete: boolean }>> {
    return this.once(`${what}:${repoKey(owner, repo)}`, () =>
      this.get(() => this.client.getPaginated<{ name?: string; commit?: { sha?: string } }>(`${this.base(owner, repo)}/${what}?per_page=100`, pages)),
    );
  }

  async shaChecks(owner: string, repo: string, shas: string[]): Promise<void> {
    const facts = this.repo(owner, repo);
    const [tags, branches, info, latest] = await Promise.all([
      this.list(owner, repo, 'tags', this.opts.maxTagPages),
      this.list(owner, repo, 'branches', 3),
      this.get(() => this.client.getJson<{ default_branch?: string }>(this.base(owner, repo))),
      this.get(() => this.client.getJson<{ tag_name?: string }>(`${this.base(owner, repo)}/releases/latest`)),
    ]);
    const named = (g: typeof tags): Array<{ name: string; sha: string }> =>
      'ok' in g ? g.ok.items.filter((t) => t.name && t.commit?.sha).map((t) => ({ name: t.name!, sha: t.commit!.sha!.toLowerCase() })) : [];
    const tagList = named(tags);
    const branchList = named(branches);
    if ('ok' in tags) {
      facts.tags = tagList;
      facts.tagsComplete = tags.ok.complete;
    }
    if ('ok' in latest && typeof latest.ok.data.tag_name === 'string') facts.latestRelease = latest.ok.data.tag_name;
    const defaultBranch = 'ok' in info ? info.ok.data.default_branch : undefined;
    const listsComplete = 'ok' in tags && tags.ok.complete && 'ok' in branches && branches.ok.complete;
    for (const sha of shas) {
      const tag = tagList.find((t) => t.sha === sha);
      const head = branchList.find((b) => b.sha === sha);
      if (tag || head) {
        facts.commits[sha] = { reachability: 'reachable', via: tag ? `tag ${tag.name}` : `branch ${head!.name}` };
        continue;
      }
      const bases = [
        ...(defaultBranch ? [`branch ${defaultBranch}`] : []),
        ...branchList.filter((b) => b.name !== defaultBranch).map((b) => `branch ${b.name}`),
        ...tagList.map((t) => `tag ${t.name}`),
      ];
      let decided = false;
      let failed = false;
      for (const base of bases.slice(0, this.opts.maxCompares)) {
        const name = base.replace(/^(branch|tag) /, '');
        const c = await this.get(() => this.client.getJson<{ status?: string }>(`${this.base(owner, repo)}/compare/${encodePath(name)}...${sha}`));
        if ('failed' in c) {
          failed = true;
          continue;
        }
        if ('notFound' in c) {
          // The base came from GitHub's own list, so the 404 is about the commit: either GitHub
          // does not know it, or it shares no history with this base (an orphan branch's commit).
          // The commit itself decides: unknown to the fork network → missing; known → other bases.
          const known = await this.commitExists(owner, repo, sha);
          if (known === undefined) failed = true;
          else if (!known) {
            facts.commits[sha] = { reachability: 'missing' };
            decided = true;
            break;
          }
          continue;
        }
        if (c.ok.data.status === 'behind' || c.ok.data.status === 'identical') {
          facts.commits[sha] = { reachability: 'reachable', via: base };
          decided = true;
          break;
        }
      }
      if (!decided && !failed && listsComplete && defaultBranch && bases.length <= this.opts.maxCompares) {
        facts.commits[sha] = { reachability: 'unreachable' };
      }
    }
  }

  /** Whether GitHub serves the commit under this repository's name (fork network included); undefined when the request failed. */
  private commitExists(owner: string, repo: string, sha: string): Promise<boolean | undefined> {
    return this.once(`commit:${repoKey(owner, repo)}:${sha}`, async () => {
      const r = await this.get(() => this.client.getJson<{ sha?: string }>(`${this.base(owner, repo)}/commits/${sha}`));
      return 'failed' in r ? undefined : 'ok' in r;
    });
  }

  // --- advisories ------------------------------------------------------------------------------

  advisories(owner: string, repo: string): Promise<void> {
    return this.once(`adv:${repoKey(owner, repo)}`, async () => {
      const pkg = `${owner}/${repo}`;
      const r = await this.get(() => this.client.getPaginated<GlobalAdvisory>(`/advisories?ecosystem=actions&affects=${encodeURIComponent(pkg)}&per_page=100`, 3));
      if (!('ok' in r)) return;
      const { entries, skipped } = convertAdvisories(r.ok.items);
      this.advisoriesSkipped += skipped;
      for (const e of entries) {
        const id = `${String(e.id)}:${String(e.package).toLowerCase()}`;
        if (this.advisoryIds.has(id)) continue;
        this.advisoryIds.add(id);
        this.facts.advisories.push(e);
      }
    });
  }

  // --- action.yml ------------------------------------------------------------------------------

  private async actionFile(owner: string, repo: string, path: string, ref: string): Promise<string | undefined> {
    const key = actionKey(owner, repo, path, ref);
    const dir = path.replace(/^\/+|\/+$/g, '');
    let failed = false;
    for (const name of ['action.yml', 'action.yaml']) {
      const file = dir ? `${dir}/${name}` : name;
      const r = await this.get(() => this.client.getRaw(`${this.base(owner, repo)}/contents/${encodePath(file)}?ref=${encodeURIComponent(ref)}`));
      // A failed action.yml lookup still tries action.yaml: offline, a cached action.yaml means action.yml was absent.
      if ('failed' in r) failed = true;
      if ('ok' in r) {
        this.facts.actions[key] = { path: file, text: r.ok.data };
        return r.ok.data;
      }
    }
    if (!failed) this.facts.actions[key] = { missing: true };
    return undefined;
  }

  /** Breadth-first over composite actions: level 1 is what the scanned files use. */
  async actionTree(roots: UseSite[]): Promise<void> {
    const seen = new Set<string>();
    let level = roots.filter((u) => !u.workflow);
    for (let depth = 1; depth <= this.opts.maxDepth && level.length; depth++) {
      const todo = level.filter((u) => {
        const key = actionKey(u.owner, u.repo, u.path, u.ref);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const texts = await Promise.all(todo.map(async (u) => ({ u, text: await this.actionFile(u.owner, u.repo, u.path, u.ref) })));
      const next: UseSite[] = [];
      for (const { u, text } of texts) {
        if (text === undefined) continue;
        const file = `${actionKey(u.owner, u.repo, u.path, u.ref)}/action.yml`;
        const loaded = loadYaml(file, text);
        if (!loaded.doc) continue;
        const action = parseAction(loaded, '').value;
        for (const step of action?.steps ?? []) {
          const uses = step.uses;
          if (uses?.kind !== 'repo' || uses.raw.includes('${{')) continue;
          next.push({ owner: uses.owner, repo: uses.repo, path: uses.path, ref: uses.ref, pinnedToSha: uses.pinnedToSha, workflow: false });
        }
      }
      // Nested actions are checked against advisories too (transitive-actions reports them).
      await Promise.all(next.map((u) => this.advisories(u.owner, u.repo)));
      level = next;
    }
  }

  finish(): void {
    const problems = [...this.networkProblems, ...this.otherProblems];
    const stale = this.client.stats.stale;
    if (this.successes === 0 && problems.length > 0) {
      this.facts.available = false;
      this.diagnostics.push({
        level: 'warning',
        message: `--online: the GitHub API at ${this.client.baseUrl} could not be reached and nothing is cached (${problems[0]}); online rules were skipped`,
      });
      return;
    }
    if (stale > 0) {
      this.diagnostics.push({ level: 'note', message: `--online: the GitHub API could not be reached; used ${stale} cached ${stale === 1 ? 'response' : 'responses'} that may be out of date` });
    }
    if (problems.length > 0) {
      this.diagnostics.push({
        level: 'warning',
        message: `--online: ${problems.length} GitHub API ${problems.length === 1 ? 'request' : 'requests'} failed, so some online checks were skipped (first: ${problems[0]})`,
      });
    }
    if (this.advisoriesSkipped > 0) {
      this.diagnostics.push({ level: 'note', message: `--online: skipped ${this.advisoriesSkipped} unreadable ${this.advisoriesSkipped === 1 ? 'entry' : 'entries'} from the GitHub advisory database` });
    }
  }
}

/** Fetches every fact the online rules need for these uses. Never throws for network or API errors: they become diagnostics. */
export async function prefetch(client: GithubClient, uses: readonly UseSite[], opts: PrefetchOptions = {}): Promise<PrefetchResult> {
  const p = new Prefetcher(client, {
    maxDepth: opts.maxDepth ?? 3,
    maxCompares: opts.maxCompares ?? 12,
    maxTagPages: opts.maxTagPages ?? 10,
  });
  if (opts.usesPolicy) p.facts.usesPolicy = opts.usesPolicy;
  const byRepo = new Map<string, { owner: string; repo: string; refs: Set<string>; shas: Set<string>; comments: Set<string> }>();
  for (const u of uses) {
    const key = repoKey(u.owner, u.repo);
    const entry = byRepo.get(key) ?? { owner: u.owner, repo: u.repo, refs: new Set<string>(), shas: new Set<string>(), comments: new Set<string>() };
    byRepo.set(key, entry);
    if (u.pinnedToSha) {
      entry.shas.add(u.ref.toLowerCase());
      if (u.comment) entry.comments.add(u.comment);
    } else {
      entry.refs.add(u.ref);
    }
  }
  const sorted = [...byRepo.values()].sort((a, b) => (repoKey(a.owner, a.repo) < repoKey(b.owner, b.repo) ? -1 : 1));
  await Promise.all([
    ...sorted.map(async (r) => {
      p.repo(r.owner, r.repo);
      await Promise.all([
        ...[...r.refs].sort().map((ref) => p.resolveRef(r.owner, r.repo, ref)),
        ...(r.shas.size ? [p.shaChecks(r.owner, r.repo, [...r.shas].sort())] : []),
        ...[...r.comments].sort().map((v) => p.commentVersion(r.owner, r.repo, v)),
        p.advisories(r.owner, r.repo),
      ]);
    }),
    p.actionTree(dedupe(uses)),
  ]);
  p.finish();
  // Deterministic JSON regardless of response order.
  p.facts.advisories.sort((a, b) => `${String(a.id)}:${String(a.package)}`.localeCompare(`${String(b.id)}:${String(b.package)}`));
  return { facts: p.facts, diagnostics: p.diagnostics };
}

function dedupe(uses: readonly UseSite[]): UseSite[] {
  const seen = new Map<string, UseSite>();
  for (const u of uses) {
    const key = `${u.workflow ? 'wf' : 'a'}:${actionKey(u.owner, u.repo, u.path, u.ref)}`;
    if (!seen.has(key)) seen.set(key, u);
  }
  return [...seen.values()].sort((a, b) => (actionKey(a.owner, a.repo, a.path, a.ref) < actionKey(b.owner, b.repo, b.path, b.ref) ? -1 : 1));
}

/** URL path of a ref or file path: each segment encoded, slashes kept (`release/v1`, `sub/action.yml`). */
function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
