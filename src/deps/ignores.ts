import type { Diagnostic } from '../core/finding.js';
import { positionOf } from '../config/positions.js';
import type { PipewardenConfig } from '../config/types.js';
import type { PackageAdvisories } from './advisories.js';
import type { CompromisedHit } from './compromised.js';

/**
 * `deps.ignore` in the config: accepted advisories, matched by id or any alias (and the package
 * when given). An expired entry no longer applies and says so, with its position in the config.
 */
export function applyDepsIgnores(
  config: PipewardenConfig,
  today: string,
  advisories: PackageAdvisories[] | undefined,
  compromised: CompromisedHit[],
): { advisories?: PackageAdvisories[]; compromised: CompromisedHit[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const active = (config.deps?.ignore ?? []).filter((e, i) => {
    if (e.expires === undefined || e.expires >= today) return true;
    const pos = positionOf(config, ['deps', 'ignore', i]);
    diagnostics.push({
      level: 'warning',
      ...(config.source !== undefined && { file: config.source }),
      ...(pos && { line: pos.line, column: pos.column }),
      message: `deps.ignore entry ${i + 1} (advisory ${e.advisory}${e.package ? `, package ${e.package}` : ''}) expired on ${e.expires} and no longer applies`,
    });
    return false;
  });
  if (active.length === 0) return { ...(advisories && { advisories }), compromised, diagnostics };
  const covers = (ids: string[], pkg: string): boolean => active.some((e) => ids.includes(e.advisory) && (e.package === undefined || e.package === pkg));
  const kept = advisories
    ?.map((r) => ({ ...r, groups: r.groups.filter((g) => !covers([g.id, ...g.aliases], r.pkg.name)) }))
    .filter((r) => r.groups.length > 0);
  return { ...(kept && { advisories: kept }), compromised: compromised.filter((h) => !covers([h.incident.id], h.pkg.name)), diagnostics };
}
