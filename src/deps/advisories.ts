import type { Severity } from '../core/finding.js';
import { normalizeName } from './db/names.js';
import type { StoredMatch } from './db/store.js';
import type { Ecosystem, Lockfile, Package } from './model.js';
import { SCHEMES } from './versions/index.js';
import { fixedVersions, isAffected, smallestFix } from './versions/ranges.js';

/** Where advisories come from: the local database, or the online services (same shape). */
export interface AdvisorySource {
  /** Advisory entries for these packages (normalized names), keyed by `ecosystem\0key`. */
  lookup(packages: Array<{ ecosystem: Ecosystem; key: string; name: string; version: string }>): Promise<Map<string, StoredMatch[]>> | Map<string, StoredMatch[]>;
}

/** Advisories that affect one package version, grouped so aliases of one problem count once. */
export interface AdvisoryGroup {
  /** The id the finding names (GHSA preferred, then the ecosystem database, then CVE). */
  id: string;
  /** Every other id of the same problem. */
  aliases: string[];
  summary: string;
  severity?: Severity;
  score?: number;
  malicious: boolean;
  fixed: string[];
  references: string[];
}

export interface PackageAdvisories {
  lockfile: Lockfile;
  pkg: Package;
  groups: AdvisoryGroup[];
  /** Smallest version that none of the package's advisories affects, if one is named. */
  smallestFix?: string;
}

export function packageKey(p: { ecosystem: Ecosystem; name: string }): string {
  return `${p.ecosystem}\0${normalizeName(p.ecosystem, p.name)}`;
}

/**
 * Matches every package of every lockfile against the advisories: version ranges by the
 * ecosystem's own order; withdrawn advisories ignored; aliases merged. A version the ecosystem
 * cannot parse is reported back so the caller can say it was not checked.
 */
export async function matchAdvisories(lockfiles: Lockfile[], source: AdvisorySource): Promise<{ results: PackageAdvisories[]; unparsable: Array<{ lockfile: Lockfile; pkg: Package }> }> {
  const wanted = new Map<string, { ecosystem: Ecosystem; key: string; name: string; version: string }>();
  for (const lf of lockfiles) {
    for (const p of lf.packages) {
      const k = packageKey(p);
      if (!wanted.has(`${k}\0${p.version}`)) wanted.set(`${k}\0${p.version}`, { ecosystem: p.ecosystem, key: normalizeName(p.ecosystem, p.name), name: p.name, version: p.version });
    }
  }
  const byPackage = await source.lookup([...wanted.values()]);
  const results: PackageAdvisories[] = [];
  const unparsable: Array<{ lockfile: Lockfile; pkg: Package }> = [];
  const memo = new Map<string, { groups: AdvisoryGroup[]; fix?: string } | 'invalid'>();
  for (const lf of lockfiles) {
    for (const pkg of lf.packages) {
      const k = packageKey(pkg);
      const entries = byPackage.get(k);
      if (!entries || entries.length === 0) continue;
      const memoKey = `${k}\0${pkg.version}`;
      let verdict = memo.get(memoKey);
      if (!verdict) {
        verdict = judge(pkg, entries);
        memo.set(memoKey, verdict);
      }
      if (verdict === 'invalid') unparsable.push({ lockfile: lf, pkg });
      else if (verdict.groups.length > 0) results.push({ lockfile: lf, pkg, groups: verdict.groups, ...(verdict.fix && { smallestFix: verdict.fix }) });
    }
  }
  return { results, unparsable };
}

function judge(pkg: Package, entries: StoredMatch[]): { groups: AdvisoryGroup[]; fix?: string } | 'invalid' {
  const scheme = SCHEMES[pkg.ecosystem];
  if (!scheme.valid(pkg.version)) return 'invalid';
  const hits = entries.filter((e) => !e.withdrawn && isAffected(scheme, pkg.version, e));
  if (hits.length === 0) return { groups: [] };
  const groups = groupByAlias(hits).map((members) => toGroup(members, (m) => fixedVersions(scheme, m)));
  const nonMalicious = hits.filter((h) => !h.malicious);
  const fix = nonMalicious.length > 0 ? smallestFix(scheme, pkg.version, nonMalicious) : undefined;
  return { groups, ...(fix && { fix }) };
}

/** Advisories that name each other (id or alias) describe one problem. */
function groupByAlias(hits: StoredMatch[]): StoredMatch[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const h of hits) {
    parent.set(h.id, find(h.id));
    for (const a of h.aliases) union(h.id, a);
  }
  const groups = new Map<string, StoredMatch[]>();
  for (const h of hits) {
    const r = find(h.id);
    const list = groups.get(r);
    if (list) list.push(h);
    else groups.set(r, [h]);
  }
  return [...groups.values()];
}

const ID_PREFERENCE = [/^GHSA-/, /^(PYSEC|RUSTSEC|GO|GSD|OSV)-/, /^MAL-/, /^CVE-/];

function rank(id: string): number {
  const i = ID_PREFERENCE.findIndex((re) => re.test(id));
  return i === -1 ? ID_PREFERENCE.length : i;
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function toGroup(members: StoredMatch[], fixedOf: (m: StoredMatch) => string[]): AdvisoryGroup {
  const ids = new Set<string>();
  for (const m of members) {
    ids.add(m.id);
    for (const a of m.aliases) ids.add(a);
  }
  const sorted = [...ids].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const primary = members.find((m) => m.id === sorted.find((id) => members.some((mm) => mm.id === id))) ?? members[0]!;
  const id = sorted[0]!;
  const severities = members.map((m) => m.severity).filter((s): s is Severity => !!s);
  const severity = severities.sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0];
  const scores = members.map((m) => m.score).filter((s): s is number => s !== undefined);
  const fixed = [...new Set(members.flatMap(fixedOf))];
  return {
    id,
    aliases: sorted.filter((x) => x !== id),
    summary: primary.summary,
    ...(severity && { severity }),
    ...(scores.length > 0 && { score: Math.max(...scores) }),
    malicious: members.some((m) => m.malicious),
    fixed,
    references: [...new Set(members.flatMap((m) => m.references))].slice(0, 5),
  };
}
