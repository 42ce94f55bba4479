import type { Severity } from '../../core/finding.js';
import { isEcosystem, type Ecosystem } from '../model.js';
import type { OsvRange } from '../versions/ranges.js';
import { cvss3BaseScore, ghsaSeverity, ratingOf } from './cvss.js';
import { normalizeName } from './names.js';

/** The parts of an OSV record (https://ossf.github.io/osv-schema/) the scanner keeps. */
export interface Advisory {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  summary: string;
  aliases: string[];
  /** From GHSA's rating, else the CVSS v3 vector; undefined when the record rates nothing. */
  severity?: Severity;
  /** CVSS v3 base score when a vector was given. */
  score?: number;
  /** A malicious-package report (OSV `MAL-` ids, or an alias of one). */
  malicious: boolean;
  references: string[];
  affected: AffectedPackage[];
}

export interface AffectedPackage {
  ecosystem: Ecosystem;
  /** As written in the record. */
  name: string;
  /** Normalized for lookups (PEP 503 for PyPI, lower case where the registry ignores case). */
  key: string;
  ranges: OsvRange[];
  versions: string[];
}

export class OsvFormatError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Validates and reduces one OSV JSON record. Affected packages of other ecosystems are dropped. */
export function readOsv(record: unknown): Advisory {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new OsvFormatError('an OSV record must be a JSON object');
  const r = record as Record<string, unknown>;
  const id = str(r.id);
  const modified = str(r.modified);
  if (!id) throw new OsvFormatError('OSV record without an "id"');
  if (!modified) throw new OsvFormatError(`${id}: no "modified" date`);
  const aliases = Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string') : [];
  const affected: AffectedPackage[] = [];
  for (const a of Array.isArray(r.affected) ? r.affected : []) {
    if (typeof a !== 'object' || a === null) continue;
    const pkg = (a as Record<string, unknown>).package as Record<string, unknown> | undefined;
    const ecosystem = str(pkg?.ecosystem);
    const name = str(pkg?.name);
    if (!ecosystem || !name || !isEcosystem(ecosystem)) continue;
    const rawRanges = (a as Record<string, unknown>).ranges;
    const ranges: OsvRange[] = [];
    for (const range of Array.isArray(rawRanges) ? rawRanges : []) {
      const type = str(range?.type);
      if (!type || !Array.isArray(range.events)) throw new OsvFormatError(`${id}: malformed range for ${name}`);
      ranges.push({ type, events: range.events.filter((e: unknown) => typeof e === 'object' && e !== null) });
    }
    const versions = (a as Record<string, unknown>).versions;
    affected.push({
      ecosystem,
      name,
      key: normalizeName(ecosystem, name),
      ranges,
      versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [],
    });
  }
  let score: number | undefined;
  for (const s of Array.isArray(r.severity) ? r.severity : []) {
    const sc = str(s?.score);
    if (sc && (s.type === 'CVSS_V3' || sc.startsWith('CVSS:3'))) score ??= cvss3BaseScore(sc);
  }
  const dbSpecific = r.database_specific as Record<string, unknown> | undefined;
  const severity = ghsaSeverity(dbSpecific?.severity) ?? (score !== undefined ? ratingOf(score) : undefined);
  const refs = Array.isArray(r.references) ? r.references.map((x) => str(x?.url)).filter((u): u is string => !!u) : [];
  return {
    id,
    modified,
    published: str(r.published),
    withdrawn: str(r.withdrawn),
    summary: (str(r.summary) ?? str(r.details)?.split('\n')[0] ?? '').slice(0, 300),
    aliases,
    severity,
    score,
    malicious: id.startsWith('MAL-') || aliases.some((a) => a.startsWith('MAL-')),
    references: refs.slice(0, 5),
    affected,
  };
}
