import type { Confidence, Finding, Location, RelatedLocation, Severity } from '../core/finding.js';
import { fingerprintOf } from '../core/fingerprint.js';
import type { RuleMeta } from '../core/rule.js';
import type { Fetched, NotEvaluated } from './fetched.js';

/** What a posture finding is about: the organisation/group, or one repository/project. */
export interface PostureTarget {
  kind: 'organisation' | 'repository' | 'group' | 'project';
  /** `acme`, `acme/api`, `group/sub/project`. */
  name: string;
  /** Web URL: the location of its findings (SARIF artifact, text position). */
  url: string;
}

export interface PostureReport {
  message: string;
  /** Identifies the problem within the target, without anything that changes between runs. */
  route: string;
  severity?: Severity;
  confidence?: Confidence;
  /** A place more precise than the target, e.g. a workflow line (`https://github.com/o/r/blob/main/.github/workflows/x.yml`). */
  location?: Location;
  related?: RelatedLocation[];
  properties?: Record<string, string | number | boolean>;
}

export interface PostureContext {
  report(target: PostureTarget, finding: PostureReport): void;
  notEvaluated(target: PostureTarget, why: NotEvaluated): void;
  /** The value, or undefined after recording the check as not evaluated for the target. */
  need<T>(target: PostureTarget, data: Fetched<T>): T | undefined;
}

export interface PostureCheckMeta extends RuleMeta {
  /** Token scopes (classic PAT wording, fine-grained in parentheses) the check needs. */
  scopes: string;
  /** Settings page below the target's URL that fixes it, e.g. `settings/branches`. */
  settings: string;
}

export interface PostureCheck<D> {
  meta: PostureCheckMeta;
  check(data: D, ctx: PostureContext, options: Readonly<Record<string, unknown>>): void;
}

/** A location that is a whole resource (organisation, repository), not a line in a file. */
export function wholeResource(url: string): Location {
  return { file: url, startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };
}

export interface NotEvaluatedEntry {
  checkId: string;
  target: PostureTarget;
  why: NotEvaluated;
}

export interface TargetFinding {
  finding: Finding;
  target: PostureTarget;
}

/**
 * Runs the enabled checks over collected data. Pure: no I/O. A check that throws is a bug in
 * pipewarden; it becomes an internal-error entry (and the run exits 3 through the CLI), never a pass.
 */
export function runPostureChecks<D>(
  checks: ReadonlyArray<PostureCheck<D>>,
  data: D,
  rules: Record<string, { enabled?: boolean; options?: Record<string, unknown> }>,
): { findings: TargetFinding[]; notEvaluated: NotEvaluatedEntry[]; errors: string[] } {
  const findings: TargetFinding[] = [];
  const notEvaluated: NotEvaluatedEntry[] = [];
  const errors: string[] = [];
  for (const c of checks) {
    const settings = Object.hasOwn(rules, c.meta.id) ? rules[c.meta.id] : undefined;
    if (settings?.enabled === false) continue;
    const seen = new Set<string>();
    const skipped = new Set<string>();
    const ctx: PostureContext = {
      report(target, r) {
        const location = r.location ?? wholeResource(target.url);
        const fingerprint = fingerprintOf(c.meta.id, target.url, r.route);
        if (seen.has(fingerprint)) return;
        seen.add(fingerprint);
        findings.push({
          target,
          finding: {
            ruleId: c.meta.id,
            severity: r.severity ?? c.meta.severity,
            confidence: r.confidence ?? c.meta.confidence,
            message: r.message,
            location,
            related: r.related ?? [],
            owasp: c.meta.owasp,
            cwe: c.meta.cwe,
            fingerprint,
            properties: { ...(r.properties ?? {}), ...(c.meta.settings ? { settings: settingsUrl(target, c.meta.settings) } : {}) },
          },
        });
      },
      notEvaluated(target, why) {
        const key = `${target.url}\0${why.reason}\0${why.detail}`;
        if (skipped.has(key)) return;
        skipped.add(key);
        notEvaluated.push({ checkId: c.meta.id, target, why });
      },
      need(target, f) {
        if (f.ok) return f.value;
        ctx.notEvaluated(target, f.why);
        return undefined;
      },
    };
    try {
      c.check(data, ctx, settings?.options ?? {});
    } catch (e) {
      errors.push(`internal error in check ${c.meta.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { findings, notEvaluated, errors };
}

/** `https://github.com/acme/api` + `settings/branches`; organisation settings live under /organizations/NAME on GitHub. */
export function settingsUrl(target: PostureTarget, page: string): string {
  if (/^https?:\/\//.test(page)) return page;
  if (target.kind === 'organisation') {
    const u = new URL(target.url);
    return `${u.origin}/organizations/${target.name}/${page}`;
  }
  if (target.kind === 'group') return `${new URL(target.url).origin}/groups/${target.name}/-/${page}`;
  if (target.kind === 'project') return `${target.url}/-/${page}`;
  return `${target.url}/${page}`;
}
