/**
 * Shared logic for the rules about what a workflow pulls in: `uses:` pin policies
 * (`unpinned-uses`), version parsing and semver-style range matching, and the offline advisory
 * list (`known-vulnerable-actions`). Pure functions, except that the shipped advisory JSON is read
 * once when this module is imported (rules never read files themselves).
 */
import { RuleOptionsError } from '../../core/rule.js';
import { readFileSync } from 'node:fs';
import type { Step } from './model.js';

/** `step "Build"` when named, else `step 3` (the default label would only repeat the uses: value). */
export function stepName(step: Step): string {
  const named = step.name ?? step.id;
  return named !== undefined ? `step "${named}"` : `step ${step.index + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Pin policies
// ---------------------------------------------------------------------------------------------

/**
 * `any`: no pin required (not even an @ref); `ref-pin`: any @ref (tag, branch or SHA);
 * `hash-pin`: a full 40-hex commit SHA. Same vocabulary and meaning as zizmor's `unpinned-uses`.
 */
export const PIN_POLICIES = ['any', 'ref-pin', 'hash-pin'] as const;
export type PinPolicy = (typeof PIN_POLICIES)[number];

/**
 * Default: hash-pin everything. zizmor used to allow tag pins for `actions/*` and `github/*`
 * but removed that exception in v1.20.0 (zizmorcore/zizmor#1466): GitHub-owned tags are mutable
 * too. We follow it; GitHub-owned tag pins get a lower severity instead of an exemption.
 */
export const DEFAULT_POLICY: PinPolicy = 'hash-pin';

/** Owners whose actions GitHub itself publishes. */
export const GITHUB_OWNED = new Set(['actions', 'github']);

export interface PolicyTable {
  /** Lower-cased pattern → policy. */
  entries: Map<string, PinPolicy>;
}

const PATTERN_RE = /^(\*|[A-Za-z0-9_.-]+\/(\*|[A-Za-z0-9_.-]+(\/[^\s@*]+)?))$/;

/**
 * Reads `{ policy: { "<pattern>": "any" | "ref-pin" | "hash-pin" } }`. Patterns: `*`,
 * `owner/*`, `owner/repo` (the repository's root action and everything under it),
 * `owner/repo/path` (that action or reusable workflow exactly). Throws on anything else: a typo
 * in a security policy must not silently fall back to the default.
 */
export function parsePolicyOptions(options: Readonly<Record<string, unknown>>): PolicyTable {
  const entries = new Map<string, PinPolicy>();
  for (const key of Object.keys(options)) {
    if (key !== 'policy') throw new RuleOptionsError(`unknown option "${key}"; expected "policy"`);
  }
  const raw = options.policy;
  if (raw === undefined || raw === null) return { entries };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new RuleOptionsError('option "policy" must be a mapping of pattern to any, ref-pin or hash-pin');
  for (const [pattern, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!PATTERN_RE.test(pattern)) throw new RuleOptionsError(`policy pattern "${pattern}" is not "*", "owner/*", "owner/repo" or "owner/repo/path"`);
    if (typeof value !== 'string' || !(PIN_POLICIES as readonly string[]).includes(value)) {
      throw new RuleOptionsError(`policy for "${pattern}" must be one of ${PIN_POLICIES.join(', ')}`);
    }
    entries.set(pattern.toLowerCase().replace(/\/+$/, ''), value as PinPolicy);
  }
  return { entries };
}

/**
 * The policy for `owner/repo[/path]`, most specific pattern first: `owner/repo/path` (exact),
 * then `owner/repo/<parent dirs>`, `owner/repo`, `owner/*`, `*`, then the default. GitHub owner
 * and repository names are case-insensitive, and so is matching.
 */
export function policyFor(table: PolicyTable, owner: string, repo: string, path: string): { policy: PinPolicy; pattern?: string } {
  const base = `${owner}/${repo}`.toLowerCase();
  const segs = path.toLowerCase().split('/').filter((s) => s !== '');
  for (let n = segs.length; n >= 0; n--) {
    const key = n === 0 ? base : `${base}/${segs.slice(0, n).join('/')}`;
    const p = table.entries.get(key);
    if (p) return { policy: p, pattern: key };
  }
  const ownerKey = `${owner.toLowerCase()}/*`;
  const byOwner = table.entries.get(ownerKey);
  if (byOwner) return { policy: byOwner, pattern: ownerKey };
  const any = table.entries.get('*');
  if (any) return { policy: any, pattern: '*' };
  return { policy: DEFAULT_POLICY };
}

export type RefKind = 'sha' | 'short-sha' | 'version' | 'branch';

/**
 * What a `@ref` most likely is, from its text alone (resolving needs the network):
 * a full SHA, an abbreviated SHA (GitHub resolves those as a branch or tag name, never as a
 * commit), a version tag (`v1`, `v1.2`, `1.2.3`, `v2.0.0-beta.1`), or anything else, which we
 * treat as a branch (`main`, `master`, `release/v1`, `latest`).
 */
export function classifyRef(ref: string): RefKind {
  if (/^[0-9a-f]{40}$/i.test(ref)) return 'sha';
  if (parseVersion(ref)) return 'version';
  if (/^[0-9a-f]{7,39}$/i.test(ref) && /[a-f]/i.test(ref)) return 'short-sha';
  return 'branch';
}

// ---------------------------------------------------------------------------------------------
// Versions and ranges
// ---------------------------------------------------------------------------------------------

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`beta.1`), '' for a release. */
  pre: string;
  /** How many numeric parts were written: 1 for `v4` (floats over 4.x.y), 2 for `v4.1`, 3 for `v4.1.2`. */
  parts: 1 | 2 | 3;
}

const VERSION_RE = /^[vV]?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** `v1`, `1.2`, `v1.2.3`, `v35.7.7-sec` → Version; anything else → undefined. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  const parts = (m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1) as 1 | 2 | 3;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '', parts };
}

/** Semver ordering (pre-releases sort before their release; numeric identifiers numerically). */
export function compareVersions(a: Version, b: Version): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return Math.sign(d);
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  const as = a.pre.split('.');
  const bs = b.pre.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Math.sign(Number(x) - Number(y));
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

interface Bound {
  v: Version;
  inclusive: boolean;
}

/** A contiguous set of versions; an absent bound is unbounded. */
export interface Interval {
  lo?: Bound;
  hi?: Bound;
}

/**
 * Parses GitHub-advisory style ranges: comma-separated comparators `< x`, `<= x`, `> x`, `>= x`,
 * `= x` (e.g. `< 41`, `<= 45.0.7`, `>= 4.0.0, < 4.1.7`). Throws on anything else.
 */
export function parseRange(text: string): Interval {
  const out: Interval = {};
  for (const part of text.split(',')) {
    const m = /^\s*(<=|>=|<|>|=)?\s*(\S+)\s*$/.exec(part);
    const v = m ? parseVersion(m[2]!) : undefined;
    if (!m || !v) throw new Error(`invalid version range "${text}"`);
    const op = m[1] ?? '=';
    if (op === '<' || op === '<=' || op === '=') out.hi = tighterHi(out.hi, { v, inclusive: op !== '<' });
    if (op === '>' || op === '>=' || op === '=') out.lo = tighterLo(out.lo, { v, inclusive: op !== '>' });
  }
  return out;
}

function tighterLo(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareVersions(a.v, b.v);
  if (c !== 0) return c > 0 ? a : b;
  return { v: a.v, inclusive: a.inclusive && b.inclusive };
}

function tighterHi(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareVersions(a.v, b.v);
  if (c !== 0) return c < 0 ? a : b;
  return { v: a.v, inclusive: a.inclusive && b.inclusive };
}

export function inInterval(v: Version, r: Interval): boolean {
  if (r.lo) {
    const c = compareVersions(v, r.lo.v);
    if (c < 0 || (c === 0 && !r.lo.inclusive)) return false;
  }
  if (r.hi) {
    const c = compareVersions(v, r.hi.v);
    if (c > 0 || (c === 0 && !r.hi.inclusive)) return false;
  }
  return true;
}

export function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo && b.lo ? tighterLo(a.lo, b.lo) : (a.lo ?? b.lo);
  const hi = a.hi && b.hi ? tighterHi(a.hi, b.hi) : (a.hi ?? b.hi);
  return { ...(lo ? { lo } : {}), ...(hi ? { hi } : {}) };
}

export function isEmpty(r: Interval): boolean {
  if (!r.lo || !r.hi) return false;
  const c = compareVersions(r.lo.v, r.hi.v);
  return c > 0 || (c === 0 && !(r.lo.inclusive && r.hi.inclusive));
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Interval, inner: Interval): boolean {
  if (outer.lo) {
    if (!inner.lo) return false;
    const c = compareVersions(inner.lo.v, outer.lo.v);
    if (c < 0 || (c === 0 && inner.lo.inclusive && !outer.lo.inclusive)) return false;
  }
  if (outer.hi) {
    if (!inner.hi) return false;
    const c = compareVersions(inner.hi.v, outer.hi.v);
    if (c > 0 || (c === 0 && inner.hi.inclusive && !outer.hi.inclusive)) return false;
  }
  return true;
}

/**
 * The releases a ref can stand for: `v1.2.3` is exactly 1.2.3; `v4.1` floats over
 * [4.1.0, 4.2.0); `v44` over [44.0.0, 45.0.0) (GitHub's major-tag convention).
 */
export function versionSpan(v: Version): Interval {
  const at = (major: number, minor: number, patch: number): Version => ({ major, minor, patch, pre: '', parts: 3 });
  if (v.parts === 3) return { lo: { v, inclusive: true }, hi: { v, inclusive: true } };
  if (v.parts === 2) return { lo: { v: at(v.major, v.minor, 0), inclusive: true }, hi: { v: at(v.major, v.minor + 1, 0), inclusive: false } };
  return { lo: { v: at(v.major, 0, 0), inclusive: true }, hi: { v: at(v.major + 1, 0, 0), inclusive: false } };
}

export type RangeMatch = 'none' | 'exact' | 'floating-all' | 'floating-some';

/**
 * How a version ref relates to a vulnerable range: `exact` (a full version inside it),
 * `floating-all` (every release the floating tag can point at is vulnerable), `floating-some`
 * (only some are: the tag now most likely points at a later, patched release).
 */
export function matchRange(ref: Version, vulnerable: Interval): RangeMatch {
  const span = versionSpan(ref);
  if (ref.parts === 3) return inInterval(ref, vulnerable) ? 'exact' : 'none';
  const common = intersect(span, vulnerable);
  if (isEmpty(common)) return 'none';
  return contains(vulnerable, span) ? 'floating-all' : 'floating-some';
}

// ---------------------------------------------------------------------------------------------
// Advisories
// ---------------------------------------------------------------------------------------------

export type AdvisorySeverity = 'critical' | 'high' | 'medium' | 'low';

export interface Advisory {
  id: string;
  cve?: string;
  /** `owner/repo` or `owner/repo/path`, lower-cased on load. */
  package: string;
  /** Affected versions, e.g. `<= 45.0.7`; absent for incidents known only by tag or commit. */
  vulnerable?: string;
  /** First fixed version, when there is one. */
  patched?: string;
  severity: AdvisorySeverity;
  summary: string;
  /** Commits that carried malicious code: a SHA pin to one of these is compromised for certain. */
  compromisedShas?: string[];
  /** Refs that pointed at malicious code during an incident (e.g. a floating `v1`). */
  compromisedTags?: string[];
  /** For incidents: when the malicious code was reachable (tags were restored afterwards). */
  window?: string;
  /** Where the facts come from. */
  references?: string[];
  /** Parsed `vulnerable`. */
  range?: Interval;
}

export interface AdvisoryDatabase {
  generated: string;
  source: string;
  update: string;
  advisories: Advisory[];
}

const SEVERITIES: readonly string[] = ['critical', 'high', 'medium', 'low'];

/** Validates and normalizes the advisory JSON; throws with the offending entry named. */
export function parseAdvisoryDatabase(json: unknown): AdvisoryDatabase {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('advisory database must be a JSON object');
  const o = json as Record<string, unknown>;
  for (const k of ['generated', 'source', 'update'] as const) {
    if (typeof o[k] !== 'string') throw new Error(`advisory database: "${k}" must be a string`);
  }
  if (!Array.isArray(o.advisories)) throw new Error('advisory database: "advisories" must be an array');
  const advisories = o.advisories.map((raw, i): Advisory => {
    const a = raw as Record<string, unknown>;
    const where = `advisory ${i + 1}${typeof a?.id === 'string' ? ` (${a.id})` : ''}`;
    const str = (k: string, required: boolean): string | undefined => {
      const v = a[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v.trim() === '') throw new Error(`${where}: "${k}" must be a non-empty string`);
      return v;
    };
    const list = (k: string): string[] | undefined => {
      const v = a[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${where}: "${k}" must be an array of strings`);
      return v as string[];
    };
    const id = str('id', true)!;
    if (!/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(id)) throw new Error(`${where}: "id" is not a GHSA id`);
    const pkg = str('package', true)!.toLowerCase();
    if (!/^[a-z0-9_.-]+\/[a-z0-9_.-]+(\/\S+)?$/.test(pkg)) throw new Error(`${where}: "package" must be owner/repo[/path]`);
    const severity = str('severity', true)!;
    if (!SEVERITIES.includes(severity)) throw new Error(`${where}: "severity" must be one of ${SEVERITIES.join(', ')}`);
    const vulnerable = str('vulnerable', false);
    const patched = str('patched', false);
    if (patched !== undefined && !parseVersion(patched)) throw new Error(`${where}: "patched" is not a version`);
    const compromisedShas = list('compromisedShas')?.map((s) => s.toLowerCase());
    if (compromisedShas?.some((s) => !/^[0-9a-f]{40}$/.test(s))) throw new Error(`${where}: "compromisedShas" must hold 40-hex commit SHAs`);
    const compromisedTags = list('compromisedTags');
    if (vulnerable === undefined && !compromisedShas?.length && !compromisedTags?.length) {
      throw new Error(`${where}: needs "vulnerable", "compromisedShas" or "compromisedTags"`);
    }
    const cve = str('cve', false);
    const window = str('window', false);
    return {
      id,
      ...(cve ? { cve } : {}),
      package: pkg,
      ...(vulnerable !== undefined ? { vulnerable, range: parseRange(vulnerable) } : {}),
      ...(patched !== undefined ? { patched } : {}),
      severity: severity as AdvisorySeverity,
      summary: str('summary', true)!,
      ...(compromisedShas ? { compromisedShas } : {}),
      ...(compromisedTags ? { compromisedTags } : {}),
      ...(window ? { window } : {}),
      ...(list('references') ? { references: list('references') } : {}),
    };
  });
  return { generated: o.generated as string, source: o.source as string, update: o.update as string, advisories };
}

/**
 * The shipped list. This module lives 3 directories below the package root both as
 * src/platforms/github/uses-policy.ts and as dist/platforms/github/uses-policy.js, so the same
 * relative URL finds data/ (shipped through package.json "files") from either.
 */
export const ADVISORY_FILE = new URL('../../../data/advisories/github-actions.json', import.meta.url);

export const ADVISORIES: AdvisoryDatabase = parseAdvisoryDatabase(JSON.parse(readFileSync(ADVISORY_FILE, 'utf8')));

/** Advisories by package (`owner/repo[/path]`, lower-case). */
export function indexAdvisories(db: AdvisoryDatabase): Map<string, Advisory[]> {
  const byPackage = new Map<string, Advisory[]>();
  for (const a of db.advisories) {
    const list = byPackage.get(a.package);
    if (list) list.push(a);
    else byPackage.set(a.package, [a]);
  }
  return byPackage;
}

export const ADVISORIES_BY_PACKAGE: ReadonlyMap<string, Advisory[]> = indexAdvisories(ADVISORIES);

/**
 * The version named by a trailing comment after a SHA pin (`@<sha> # v4.1.2`, `# tag=v4.1.2`,
 * `# pin@v4.1.2`), the convention of Dependabot, Renovate, pinact and friends.
 */
export function versionInComment(lineRest: string): Version | undefined {
  const m = /^\s*#\s*(?:tag\s*=\s*|pin@|ratchet:[^@\s]+@)?([vV]?\d[\w.+-]*)/.exec(lineRest);
  return m ? parseVersion(m[1]!) : undefined;
}
