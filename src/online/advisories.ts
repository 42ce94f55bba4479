import { parseAdvisoryDatabase } from '../platforms/github/uses-policy.js';

/**
 * Converts GitHub global security advisories (`GET /advisories?ecosystem=actions&affects=...`)
 * into entries of data/advisories/github-actions.json, one per affected package, validated by the
 * same parser as the shipped list. Incident details (malicious commits, moved tags) are not in
 * the API's structured data; the shipped list keeps those, and wins when both know an advisory.
 */

/** The subset of the REST response pipewarden reads. */
export interface GlobalAdvisory {
  ghsa_id?: unknown;
  cve_id?: unknown;
  summary?: unknown;
  severity?: unknown;
  html_url?: unknown;
  withdrawn_at?: unknown;
  vulnerabilities?: unknown;
}

interface Vulnerability {
  package?: { ecosystem?: unknown; name?: unknown } | null;
  vulnerable_version_range?: unknown;
  first_patched_version?: unknown;
}

const SEVERITY: Record<string, string> = { critical: 'critical', high: 'high', medium: 'medium', moderate: 'medium', low: 'low' };

export interface ConvertedAdvisories {
  entries: Array<Record<string, unknown>>;
  /** Entries dropped because they do not validate (unknown range syntax, no package...). */
  skipped: number;
}

export function convertAdvisories(list: readonly GlobalAdvisory[]): ConvertedAdvisories {
  const entries: Array<Record<string, unknown>> = [];
  let skipped = 0;
  for (const adv of list) {
    if (adv.withdrawn_at) continue;
    const vulns = Array.isArray(adv.vulnerabilities) ? (adv.vulnerabilities as Vulnerability[]) : [];
    for (const v of vulns) {
      if (v.package?.ecosystem !== undefined && String(v.package.ecosystem).toLowerCase() !== 'actions') continue;
      const patchedRaw = v.first_patched_version;
      const patched = typeof patchedRaw === 'string' ? patchedRaw : patchedRaw && typeof patchedRaw === 'object' ? (patchedRaw as { identifier?: unknown }).identifier : undefined;
      const severity = SEVERITY[String(adv.severity ?? '').toLowerCase()] ?? 'medium';
      const entry: Record<string, unknown> = {
        id: adv.ghsa_id,
        ...(typeof adv.cve_id === 'string' && adv.cve_id ? { cve: adv.cve_id } : {}),
        package: typeof v.package?.name === 'string' ? v.package.name : undefined,
        ...(typeof v.vulnerable_version_range === 'string' && v.vulnerable_version_range.trim() ? { vulnerable: v.vulnerable_version_range.trim() } : {}),
        ...(typeof patched === 'string' && patched.trim() ? { patched: patched.trim() } : {}),
        severity,
        summary: typeof adv.summary === 'string' ? adv.summary.replace(/[\r\n]+/g, ' ').trim() : undefined,
        ...(typeof adv.html_url === 'string' ? { references: [adv.html_url] } : {}),
      };
      try {
        parseAdvisoryDatabase({ generated: '', source: '', update: '', advisories: [entry] });
        entries.push(entry);
      } catch {
        skipped++;
      }
    }
  }
  return { entries, skipped };
}
