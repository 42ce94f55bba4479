/**
 * Shared logic for the rules about which actions a workflow pulls in: every `uses:` site
 * (steps of workflows and composite actions, and reusable-workflow jobs), the shipped lists of
 * popular and archived actions, look-alike detection (`typosquat-uses`) and the allow/deny
 * pattern language of `forbidden-uses`.
 *
 * The two data files are read once when this module is imported (rules never read files). The
 * URL resolves from both src/platforms/github and dist/platforms/github to <package>/data.
 */
import { readFileSync } from 'node:fs';
import { RuleOptionsError } from '../../core/rule.js';
import type { SourceText } from '../../yaml/load.js';
import { contextPath, walkExpr } from './expressions/ast.js';
import { findTemplates } from './expressions/extract.js';
import type { Action, Entry, GithubModel, Job, Step, UsesRef, Workflow } from './model.js';
import { commandName, memoByScript, parseScript, splitCode, statementsOf, type Dialect, type Script, type Statement } from '../../shell/script.js';
import { stepName } from './uses-policy.js';

// ---------------------------------------------------------------------------------------------
// uses: sites
// ---------------------------------------------------------------------------------------------

export interface UsesSite {
  source: SourceText;
  uses: UsesRef;
  /** `step "Build" of job "x"`, `step 2 of action "dir"`, `job "x"` (reusable workflow call). */
  who: string;
  /** Stable route of the `uses:` key, e.g. `jobs.build.steps[Build].uses`. */
  route: string;
  workflow?: Workflow;
  action?: Action;
  job?: Job;
  step?: Step;
}

function stepKey(step: Step): string {
  return step.id ?? step.name ?? String(step.index);
}

/** Every `uses:` in the model, in file order. */
export function* usesSites(model: GithubModel): Generator<UsesSite> {
  for (const wf of model.workflows) {
    for (const job of wf.jobs) {
      if (job.uses) yield { source: wf.source, uses: job.uses, who: `job "${job.id}"`, route: `jobs.${job.id}.uses`, workflow: wf, job };
      for (const step of job.steps) {
        if (!step.uses) continue;
        yield { source: wf.source, uses: step.uses, who: `${stepName(step)} of job "${job.id}"`, route: `jobs.${job.id}.steps[${stepKey(step)}].uses`, workflow: wf, job, step };
      }
    }
  }
  for (const action of model.actions) {
    for (const step of action.steps) {
      if (!step.uses) continue;
      yield { source: action.source, uses: step.uses, who: `${stepName(step)} of action "${action.name ?? (action.dir || '.')}"`, route: `runs.steps[${stepKey(step)}].uses`, action, step };
    }
  }
}

/** `owner/repo[/path]` of a repository reference, as written (no @ref). */
export function usesTarget(uses: Extract<UsesRef, { kind: 'repo' }>): string {
  return `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Shipped lists
// ---------------------------------------------------------------------------------------------

export const POPULAR_ACTIONS_FILE = new URL('../../../data/popular-actions.json', import.meta.url);
export const ARCHIVED_ACTIONS_FILE = new URL('../../../data/archived-actions.json', import.meta.url);

/** `*`, `owner/*`, `owner/repo`, `owner/repo/path` (no `@ref`, no other wildcards). */
export const USES_PATTERN_RE = /^(\*|[A-Za-z0-9_.-]+\/(\*|[A-Za-z0-9_.-]+(\/[^\s@*]+)?))$/;

const NAME_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function parsePopularActions(json: unknown): string[] {
  const list = (json as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && NAME_RE.test(x))) {
    throw new Error('popular-actions.json: "actions" must be a list of "owner/repo" strings');
  }
  return list as string[];
}

export interface ArchivedAction {
  /** `owner/repo`, `owner/repo/path` or `owner/*`, lower-case. */
  pattern: string;
  archived: string;
  source: string;
  replacement?: string;
}

export function parseArchivedActions(json: unknown): ArchivedAction[] {
  const list = (json as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(list)) throw new Error('archived-actions.json: "actions" must be a list');
  return list.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    const ok = (k: string): boolean => typeof e[k] === 'string' && (e[k] as string).length > 0;
    if (!ok('pattern') || !ok('archived') || !ok('source') || !USES_PATTERN_RE.test(e.pattern as string) || e.pattern === '*') {
      throw new Error(`archived-actions.json: entry ${i} needs "pattern" (owner/repo[/path] or owner/*), "archived" and "source"`);
    }
    if (e.replacement !== undefined && typeof e.replacement !== 'string') throw new Error(`archived-actions.json: entry ${i}: "replacement" must be a string`);
    return {
      pattern: (e.pattern as string).toLowerCase(),
      archived: e.archived as string,
      source: e.source as string,
      ...(typeof e.replacement === 'string' ? { replacement: e.replacement } : {}),
    };
  });
}

export const POPULAR_ACTIONS: readonly string[] = parsePopularActions(JSON.parse(readFileSync(POPULAR_ACTIONS_FILE, 'utf8')));
export const ARCHIVED_ACTIONS: readonly ArchivedAction[] = parseArchivedActions(JSON.parse(readFileSync(ARCHIVED_ACTIONS_FILE, 'utf8')));

/** The archived-list entry covering `owner/repo[/path]`, most specific first. */
export function archivedEntryFor(owner: string, repo: string, path: string, list: readonly ArchivedAction[] = ARCHIVED_ACTIONS): ArchivedAction | undefined {
  let best: ArchivedAction | undefined;
  let bestRank = -1;
  // patternRank() for every entry, with each pattern split once per list and the ref's parts once per call.
  let parsed = parsedPatterns.get(list);
  if (!parsed) parsedPatterns.set(list, (parsed = list.map((e) => parsePattern(e.pattern))));
  const o = owner.toLowerCase();
  const r = repo.toLowerCase();
  let segs: string[] | undefined;
  for (let k = 0; k < list.length; k++) {
    const e = list[k]!;
    const pat = parsed[k]!;
    let rank: number;
    if (pat.any) rank = 0;
    else if (pat.owner !== o) rank = -1;
    else if (pat.repo === '*') rank = 1;
    else if (pat.repo !== r) rank = -1;
    else {
      segs ??= path.toLowerCase().split('/').filter((x) => x !== '' && x !== '.');
      rank = 2 + pat.path.length;
      for (let i = 0; i < pat.path.length; i++) if (segs[i] !== pat.path[i]) rank = -1;
    }
    if (rank > bestRank) {
      best = e;
      bestRank = rank;
    }
  }
  return best;
}

const parsedPatterns = new WeakMap<readonly ArchivedAction[], Array<{ any: boolean; owner?: string; repo?: string; path: string[] }>>();

/** A pattern as patternRank() reads it. */
function parsePattern(pattern: string): { any: boolean; owner?: string; repo?: string; path: string[] } {
  const p = pattern.toLowerCase().replace(/\/+$/, '');
  if (p === '*') return { any: true, path: [] };
  const [po, pr, ...pp] = p.split('/');
  return { any: false, owner: po, repo: pr, path: pp };
}

// ---------------------------------------------------------------------------------------------
// Look-alikes
// ---------------------------------------------------------------------------------------------

/** Optimal-string-alignment distance (a swap of two neighbours counts as one edit), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  // Three rolling rows: i-2, i-1, i.
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/**
 * A visual skeleton: characters that read alike in a browser's address bar and in review
 * (`0`/`o`, `1`/`l`/`i`, `rn`/`m`, `vv`/`w`) and separators (`-`, `_`, `.`) collapse to one form.
 */
export function skeleton(name: string): string {
  return name
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/0/g, 'o')
    .replace(/[1i|]/g, 'l')
    .replace(/5/g, 's')
    .replace(/[-_.]/g, '');
}

export interface LookAlike {
  /** The popular action it imitates, as spelled in the list. */
  target: string;
  /** How it differs, for messages. */
  why: string;
  /** The owner differs, so someone else may control the look-alike: the dangerous case. */
  otherOwner: boolean;
  confidence: 'high' | 'medium';
}

interface PopularIndex {
  exact: Set<string>;
  owners: Set<string>;
  entries: Array<{ name: string; owner: string; repo: string }>;
}

function indexPopular(list: readonly string[]): PopularIndex {
  const entries = list.map((name) => {
    const [owner, repo] = name.toLowerCase().split('/') as [string, string];
    return { name, owner, repo };
  });
  return { exact: new Set(entries.map((e) => `${e.owner}/${e.repo}`)), owners: new Set(entries.map((e) => e.owner)), entries };
}

const DEFAULT_INDEX = indexPopular(POPULAR_ACTIONS);

/** Owner names are short: one edit on a 4-letter name is a different word more often than a typo. */
function maxEdits(name: string): number {
  return name.length <= 4 ? 1 : 2;
}

/**
 * The popular action `owner/repo` imitates, if any. Exact names from the list are never
 * look-alikes, and neither is any repository of an owner that publishes a popular action
 * under a clearly different name. Case is ignored (GitHub names are case-insensitive).
 */
export function lookAlikeOf(owner: string, repo: string, list: readonly string[] = POPULAR_ACTIONS): LookAlike | undefined {
  const key = `${owner}/${repo}`;
  if (list === POPULAR_ACTIONS && memo.has(key)) return memo.get(key);
  const found = computeLookAlike(owner, repo, list);
  if (list === POPULAR_ACTIONS) {
    if (memo.size > 10_000) memo.clear();
    memo.set(key, found);
  }
  return found;
}

const memo = new Map<string, LookAlike | undefined>();

function computeLookAlike(owner: string, repo: string, list: readonly string[]): LookAlike | undefined {
  const idx = list === POPULAR_ACTIONS ? DEFAULT_INDEX : indexPopular(list);
  const o = owner.toLowerCase();
  const r = repo.toLowerCase();
  if (idx.exact.has(`${o}/${r}`)) return undefined;
  let best: (LookAlike & { score: number }) | undefined;
  const consider = (c: LookAlike & { score: number }): void => {
    if (!best || c.score < best.score) best = c;
  };
  for (const p of idx.entries) {
    const sameOwner = o === p.owner;
    const ownerEdits = sameOwner ? 0 : editDistance(o, p.owner);
    const repoEdits = r === p.repo ? 0 : editDistance(r, p.repo);
    const ownerLooks = !sameOwner && (ownerEdits <= maxEdits(p.owner) || skeleton(o) === skeleton(p.owner));
    const repoLooks = r !== p.repo && (repoEdits <= maxEdits(p.repo) || skeleton(r) === skeleton(p.repo));
    if (!sameOwner && r === p.repo && ownerLooks && !idx.owners.has(o)) {
      // actons/checkout, action/checkout, 4ctions/checkout
      consider({ target: p.name, why: `its owner "${owner}" is ${describeEdit(o, p.owner)} "${p.owner}"`, otherOwner: true, confidence: 'high', score: ownerEdits });
    } else if (!sameOwner && repoLooks && ownerLooks && ownerEdits + repoEdits <= 2 && !idx.owners.has(o)) {
      consider({ target: p.name, why: `both its owner and its name are a letter or two away from it`, otherOwner: true, confidence: 'high', score: ownerEdits + repoEdits });
    } else if (!sameOwner && (r === p.repo || skeleton(r) === skeleton(p.repo)) && !idx.owners.has(o) && ownerEmbeds(o, p)) {
      // actions-checkout/checkout, github-actions/checkout: the popular owner or name dressed up as an owner
      consider({ target: p.name, why: `its owner "${owner}" borrows the name "${ownerEmbeds(o, p)}"`, otherOwner: true, confidence: 'medium', score: 3 });
    } else if (sameOwner && repoLooks && !idx.exact.has(`${o}/${r}`) && !nearOtherListed(idx, o, r, p.repo)) {
      // actions/check-out, actions/chekout: only the owner can publish it, but it is not what was meant
      consider({ target: p.name, why: `"${repo}" is ${describeEdit(r, p.repo)} "${p.repo}"`, otherOwner: false, confidence: 'medium', score: 4 + repoEdits });
    }
  }
  if (!best) return undefined;
  const { score: _score, ...out } = best;
  return out;
}

/** The owner is the popular owner or repo name plus decoration (`actions-checkout`, `github-actions`). */
function ownerEmbeds(owner: string, p: { owner: string; repo: string }): string | undefined {
  const tokens = owner.split(/[-_.]+/).filter((t) => t !== '');
  if (tokens.length < 2) return undefined;
  if (tokens.includes(p.owner)) return p.owner;
  if (p.repo.length >= 5 && tokens.join('-').includes(p.repo)) return p.repo;
  return undefined;
}

/** A name close to two listed names of the same owner is a real sibling more often than a typo. */
function nearOtherListed(idx: PopularIndex, owner: string, repo: string, target: string): boolean {
  return idx.entries.some((e) => e.owner === owner && e.repo !== target && editDistance(repo, e.repo) <= 2);
}

function describeEdit(a: string, b: string): string {
  if (a.length === b.length && a !== b) {
    const diffs = [...a].map((c, i) => (c !== b[i] ? i : -1)).filter((i) => i >= 0);
    if (diffs.length === 2 && diffs[1] === diffs[0]! + 1 && a[diffs[0]!] === b[diffs[1]!] && a[diffs[1]!] === b[diffs[0]!]) return 'a letter swap away from';
  }
  if (a.replace(/[-_.]/g, '') === b.replace(/[-_.]/g, '')) return 'a separator away from';
  if (skeleton(a) === skeleton(b)) return 'a look-alike spelling of';
  const d = editDistance(a, b);
  return d === 1 ? 'one letter away from' : `${d} letters away from`;
}

// ---------------------------------------------------------------------------------------------
// Allow/deny patterns
// ---------------------------------------------------------------------------------------------


/**
 * How specifically `pattern` covers `owner/repo[/path]`: -1 no match, 0 `*`, 1 `owner/*`,
 * 2 `owner/repo` (the repository and everything under it), 3+n `owner/repo/<n segments>`
 * (that path and everything under it). Case-insensitive.
 */
export function patternRank(pattern: string, owner: string, repo: string, path: string): number {
  const p = pattern.toLowerCase().replace(/\/+$/, '');
  if (p === '*') return 0;
  const [po, pr, ...pp] = p.split('/');
  if (po !== owner.toLowerCase()) return -1;
  if (pr === '*') return 1;
  if (pr !== repo.toLowerCase()) return -1;
  const segs = path.toLowerCase().split('/').filter((s) => s !== '' && s !== '.');
  for (let i = 0; i < pp.length; i++) if (segs[i] !== pp[i]) return -1;
  return 2 + pp.length;
}

export interface UsesPatternList {
  mode: 'allow' | 'deny';
  patterns: string[];
}

/** Reads `{ allow: [...] }` or `{ deny: [...] }`; undefined when neither is set (rule off). */
export function parseUsesPatternOptions(options: Readonly<Record<string, unknown>>): UsesPatternList | undefined {
  for (const key of Object.keys(options)) {
    if (key !== 'allow' && key !== 'deny') throw new RuleOptionsError(`unknown option "${key}"; expected "allow" or "deny"`);
  }
  const allow = options.allow;
  const deny = options.deny;
  if (allow !== undefined && deny !== undefined) throw new RuleOptionsError('set either "allow" or "deny", not both');
  const mode = allow !== undefined ? 'allow' : deny !== undefined ? 'deny' : undefined;
  if (!mode) return undefined;
  const raw = mode === 'allow' ? allow : deny;
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) throw new RuleOptionsError(`"${mode}" must be a list of patterns`);
  for (const p of raw as string[]) {
    if (!USES_PATTERN_RE.test(p.trim())) throw new RuleOptionsError(`${mode} pattern "${p}" is not "*", "owner/*", "owner/repo" or "owner/repo/path"`);
  }
  return { mode, patterns: (raw as string[]).map((p) => p.trim()) };
}

/** The most specific pattern of the list that covers the reference, if any. */
export function matchingPattern(patterns: readonly string[], owner: string, repo: string, path: string): string | undefined {
  let best: string | undefined;
  let rank = -1;
  for (const p of patterns) {
    const r = patternRank(p, owner, repo, path);
    if (r > rank) {
      rank = r;
      best = p;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Secrets in values and scripts
// ---------------------------------------------------------------------------------------------

/** Names of the secrets (`secrets.X`, and `github.token` as GITHUB_TOKEN) that a value's `${{ }}` read. */
export function secretsIn(text: string | undefined): string[] {
  if (!text || !text.includes('${{')) return [];
  const out = new Set<string>();
  for (const t of findTemplates(text)) {
    if (!t.ast) continue;
    walkExpr(t.ast, (e) => {
      const p = contextPath(e);
      if (!p) return;
      if (p[0] === 'secrets' && p.length === 2 && p[1] !== '*') out.add(p[1]!.toUpperCase());
      if (p[0] === 'github' && p[1] === 'token' && p.length === 2) out.add('GITHUB_TOKEN');
    });
  }
  return [...out];
}

/** The innermost env entry named `name` (case-sensitive, like the shell), from step to workflow. */
export function envEntry(levels: readonly Entry[][], name: string): Entry | undefined {
  for (const level of levels) {
    const e = level.find((x) => x.key === name);
    if (e) return e;
  }
  return undefined;
}

export interface RunStatement {
  statement: Statement;
  /** Pipeline segments of the statement (code view) and their command names. */
  segments: Array<{ code: string; text: string; command: string }>;
}

/** Statements of a `run:` script with their pipeline segments, for command-level rules. */
export function runStatements(value: string, dialect: Dialect): RunStatement[] {
  return runStatementsOf(parseScript(value, dialect));
}

// Four rules split the same run: scripts; parseScript shares the script, so this is once per script (shared, never mutated).
const runStatementsOf = memoByScript((script: Script): RunStatement[] => {
  const dialect = script.dialect;
  return statementsOf(script).map((statement) => ({
    statement,
    segments: splitCode(statement.code, 'pipeline', dialect).map((s) => {
      const code = statement.code.slice(s.start, s.end);
      return { code, text: statement.text.slice(s.start, s.end), command: commandName(code).toLowerCase() };
    }),
  }));
});

/** Words of a command (code view), quotes removed. */
export function words(code: string): string[] {
  return code.trim().split(/\s+/).filter((w) => w !== '').map((w) => w.replace(/^["']|["']$/g, ''));
}
