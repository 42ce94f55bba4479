import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Action, GithubModel } from '../../../platforms/github/model.js';
import { parseAction } from '../../../platforms/github/parse.js';
import {
  ADVISORIES_BY_PACKAGE, classifyRef, GITHUB_OWNED, matchRange, parseVersion, parsePolicyOptions, policyFor, type Advisory, type PolicyTable,
} from '../../../platforms/github/uses-policy.js';
import { loadYaml } from '../../../yaml/load.js';
import {
  actionKey, mergeAdvisories, onlineAdvisoriesByPackage, onlineFacts, type OnlineFacts, type RepoUses,
} from '../../../online/facts.js';
import { repoUsesSites } from '../../../online/rule-sites.js';
import { loc } from '../util.js';

/** Levels of action.yml followed, the top-level action included (prefetch fetches as deep). */
export const MAX_DEPTH = 3;

/**
 * Follows third-party actions into their own `action.yml` (fetched at the ref the workflow uses)
 * and through composite actions, and reports, at the workflow's `uses:` line, an action deeper in
 * the chain that is not pinned to a commit (per the unpinned-uses policy) or that has a known
 * vulnerability or compromise. Pinning the top-level action by SHA does not pin what it uses.
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'transitive-actions',
    title: 'Action that itself uses an unpinned or vulnerable action',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829', 'CWE-1395'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const facts = onlineFacts(model);
    // The rule's own `policy` wins; else the one configured for unpinned-uses, so both agree.
    const table = parsePolicyOptions(Object.keys(options).length ? options : facts?.usesPolicy ? { policy: facts.usesPolicy } : {});
    if (!facts) return;
    const online = onlineAdvisoriesByPackage(model);
    const parsed = new Map<string, Action | undefined>();
    for (const site of repoUsesSites(model)) {
      if (site.workflow) continue;
      const top = site.uses;
      const walk = (key: string, chain: string[], depth: number): void => {
        const action = actionAt(facts, parsed, key);
        if (!action) return;
        for (const step of action.steps) {
          const uses = step.uses;
          // `./x` inside a remote action resolves against the caller's workspace, not the action's
          // repository; docker:// images and expressions are out of scope here.
          if (uses?.kind !== 'repo' || uses.raw.includes('${{')) continue;
          const label = uses.raw.trim();
          const path = [...chain, label];
          const text = path.join(' → ');
          const childKey = actionKey(uses.owner, uses.repo, uses.path, uses.ref);
          for (const p of problemsOf(uses, table, online)) {
            report({
              message: `${site.who} ${site.verb} ${site.target}, which runs ${label} ${p.what} (${text}); ${p.remedy}`,
              location: loc(site.source, top.node),
              severity: p.severity,
              route: `${site.route}:${path.map((s) => s.toLowerCase()).join('>')}:${p.id}`,
              properties: { chain: text, ...(p.advisory ? { advisory: p.advisory } : {}) },
            });
          }
          if (depth < MAX_DEPTH && !chain.some((c) => c === label)) walk(childKey, path, depth + 1);
        }
      };
      walk(actionKey(top.owner, top.repo, top.path, top.ref), [site.target], 1);
    }
  },
};

function actionAt(facts: OnlineFacts, cache: Map<string, Action | undefined>, key: string): Action | undefined {
  if (cache.has(key)) return cache.get(key);
  const file = facts.actions[key];
  let action: Action | undefined;
  if (file && 'text' in file) {
    const loaded = loadYaml(`${key}/${file.path}`, file.text);
    action = loaded.doc ? parseAction(loaded, '').value : undefined;
  }
  cache.set(key, action);
  return action;
}

interface Problem {
  id: string;
  what: string;
  remedy: string;
  severity: Severity;
  advisory?: string;
}

function problemsOf(uses: RepoUses, table: PolicyTable, online: ReadonlyMap<string, Advisory[]>): Problem[] {
  const out: Problem[] = [];
  if (!uses.pinnedToSha && policyFor(table, uses.owner, uses.repo, uses.path).policy === 'hash-pin') {
    const kind = classifyRef(uses.ref);
    const what = kind === 'version' ? 'at a movable tag' : kind === 'short-sha' ? 'at an abbreviated SHA (resolved as a name, not a commit)' : 'at a branch-like ref';
    out.push({
      id: 'unpinned',
      what: `${what}, not a commit SHA`,
      remedy: 'its code can change without any change to this repository: use a release of the action that pins it, or replace the action',
      // GitHub-owned tags move only if GitHub itself is compromised (same grading as unpinned-uses).
      severity: kind === 'version' && GITHUB_OWNED.has(uses.owner.toLowerCase()) ? 'low' : 'medium',
    });
  }
  const pkg = `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ''}`.toLowerCase();
  const advisories = mergeAdvisories(ADVISORIES_BY_PACKAGE.get(pkg), online.get(pkg)) ?? [];
  for (const adv of advisories) {
    const ref = uses.ref.toLowerCase();
    let hit: boolean;
    if (uses.pinnedToSha) hit = adv.compromisedShas?.includes(ref) ?? false;
    else if (adv.compromisedTags?.some((t) => t.toLowerCase() === ref)) hit = true;
    else {
      const v = parseVersion(uses.ref);
      const m = v && adv.range ? matchRange(v, adv.range) : 'none';
      hit = m === 'exact' || m === 'floating-all';
    }
    if (!hit) continue;
    out.push({
      id: adv.id,
      what: `affected by ${adv.id}${adv.cve ? ` (${adv.cve})` : ''}: ${adv.summary.replace(/\.\s*$/, '')}`,
      remedy: adv.patched ? `the action must move to ${adv.patched} or later; upgrade the action or replace it` : 'upgrade the action or replace it',
      severity: adv.severity,
      advisory: adv.id,
    });
  }
  return out;
}
