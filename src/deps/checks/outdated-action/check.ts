import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import { actionsData } from './data.js';
import { depsMeta } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'outdated-action', title: 'Action on a removed runtime or several major versions behind', severity: 'low', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-1104'] },
  new URL('./README.md', import.meta.url),
);

/** The major version a `uses:` runs: its ref (`v4`, `v4.1.1`), or the comment of a SHA pin. */
export function usedMajor(ref: string, commentVersion: string | undefined): number | undefined {
  const m = /^v?(\d+)(?:\.\d+){0,2}$/.exec(ref) ?? (commentVersion ? /^v?(\d+)/.exec(commentVersion) : null);
  return m ? Number(m[1]) : undefined;
}

/**
 * From the shipped `data/deps/actions.json`: a major whose `runs.using` is a runtime GitHub has
 * removed (node12, node16) is medium; a supported major two or more majors behind the newest is
 * low. Branch refs and unknown actions are not judged (nothing to compare).
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    const data = actionsData();
    for (const use of model.ci.actions) {
      const entry = data.actions[use.repo.toLowerCase()];
      if (!entry || use.path) continue;
      const major = usedMajor(use.ref, use.commentVersion);
      if (major === undefined || major > entry.latest) continue;
      const runtime = entry.runtimes[String(major)];
      const removed = runtime ? data.runtimes[runtime] : undefined;
      const behind = entry.latest - major;
      const at = use.commentVersion && !/^v?\d+(?:\.\d+){0,2}$/.test(use.ref) ? `${use.repo}@${use.ref.slice(0, 12)} (${use.commentVersion})` : `${use.repo}@${use.ref}`;
      if (removed) {
        report({
          message: `${at} runs on ${runtime}, which GitHub removed from its runners on ${removed.removed}; upgrade to v${entry.latest} (the current major as of ${data.generated})`,
          location: use.location,
          severity: 'medium',
          route: `${use.repo}@v${major}`,
          properties: { action: use.repo, major, latest: entry.latest, runtime: runtime!, source: removed.source },
        });
      } else if (behind >= 2) {
        report({
          message: `${at} is ${behind} major versions behind v${entry.latest} (the current major as of ${data.generated}); old majors stop getting fixes`,
          location: use.location,
          route: `${use.repo}@v${major}`,
          properties: { action: use.repo, major, latest: entry.latest, ...(runtime && { runtime }), source: entry.source },
        });
      }
    }
  },
};
