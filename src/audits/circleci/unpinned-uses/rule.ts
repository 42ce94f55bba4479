import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { CircleModel, OrbRef } from '../../../platforms/circleci/model.js';
import { allDefinitions, scopeRoute } from '../../../platforms/circleci/resolve.js';
import { loc } from '../util.js';

/** CircleCI's own orbs: built and reviewed by CircleCI (the "certified" namespace). */
const CERTIFIED = 'circleci';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Orb not pinned to an exact version',
    platform: 'circleci',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const file of model.files) {
      for (const defs of allDefinitions(file)) {
        for (const orb of defs.orbs) {
          if (!orb.ref) continue;
          const verdict = classify(orb.ref);
          if (!verdict) continue;
          report({
            message: `orb "${orb.name}" is imported as ${orb.ref.text}, ${verdict.what}; ${verdict.advice}`,
            location: loc(file, orb.ref.node),
            severity: verdict.severity,
            confidence: verdict.confidence,
            route: `${scopeRoute(defs)}orbs.${orb.name}:${orb.ref.text}`,
          });
        }
      }
    }
  },
};

interface Verdict {
  what: string;
  advice: string;
  severity: Severity;
  confidence: 'high' | 'medium';
}

const PIN = 'pin an exact version (@X.Y.Z); published orb versions are immutable';

/**
 * Registry orb versions are immutable once published, so `@1.2.3` is pinned. `@1` and `@1.2`
 * resolve to the newest matching release at each pipeline; `@volatile` to the newest of all;
 * `dev:` versions are overwritten at will by anyone who can publish in the namespace (and
 * expire after 90 days). CircleCI's own namespace is one vendor you already trust, so a range
 * there is low and a moving reference medium; a third-party namespace is a stranger's code
 * running with your contexts.
 */
export function classify(ref: OrbRef): Verdict | undefined {
  if (ref.kind === 'url') {
    if (/[0-9a-f]{40}/i.test(ref.text)) return undefined;
    return { what: 'a URL orb whose content changes whenever the file at that address does', advice: 'point it at an immutable address (a commit SHA) or publish it to the registry and pin an exact version', severity: 'medium', confidence: 'medium' };
  }
  const v = ref.version;
  if (v !== undefined && v.includes('<<')) return undefined;
  const certified = ref.namespace?.toLowerCase() === CERTIFIED;
  const owner = certified ? 'CircleCI' : `the "${ref.namespace ?? '?'}" namespace`;
  if (v === undefined || v === '') return { what: 'without a version', advice: PIN, severity: certified ? 'medium' : 'high', confidence: 'medium' };
  if (v === 'volatile') return { what: `which resolves to whatever ${owner} published last`, advice: PIN, severity: certified ? 'medium' : 'high', confidence: 'high' };
  if (v.startsWith('dev:')) return { what: `a development version that ${owner} can overwrite at any time (and that expires after 90 days)`, advice: PIN, severity: certified ? 'medium' : 'high', confidence: 'high' };
  if (/^\d+(?:\.\d+)?$/.test(v)) return { what: `a version range that follows every new ${v}.x release`, advice: PIN, severity: certified ? 'low' : 'medium', confidence: 'high' };
  return undefined;
}
