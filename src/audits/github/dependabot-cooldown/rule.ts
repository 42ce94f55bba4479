import { isMap, isScalar, type Node } from 'yaml';
import { RuleOptionsError, type Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { loc } from '../util.js';

const DEFAULT_MIN_DAYS = 3;

function readMinDays(options: Readonly<Record<string, unknown>>): number {
  for (const key of Object.keys(options)) {
    if (key !== 'min-days') throw new RuleOptionsError(`unknown option "${key}"; expected "min-days"`);
  }
  const v = options['min-days'];
  if (v === undefined) return DEFAULT_MIN_DAYS;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 90) throw new RuleOptionsError('"min-days" must be a whole number of days from 1 to 90');
  return v;
}

function mapValue(map: Node | undefined, key: string): Node | undefined {
  if (!map || !isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.value as Node | null | undefined) ?? undefined;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'dependabot-cooldown',
    title: 'Dependabot updates without a cooldown',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-1357'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const minDays = readMinDays(options);
    for (const file of model.dependabot) {
      for (const update of file.updates) {
        const eco = update.ecosystem ?? 'unknown ecosystem';
        const dir = update.directory ?? '/';
        const route = `updates[${eco}:${dir}].cooldown`;
        // `open-pull-requests-limit: 0` turns version updates off (security updates ignore cooldown anyway).
        const limit = mapValue(update.node, 'open-pull-requests-limit');
        if (isScalar(limit) && Number(limit.value) === 0) continue;
        if (!update.cooldown) {
          report({
            message: `Dependabot update for ${eco} in "${dir}" has no cooldown, so a release is proposed the moment it is published, before a compromised version can be noticed and pulled; add cooldown: with default-days: ${minDays} or more`,
            location: loc(file.source, update.node),
            route,
          });
          continue;
        }
        const daysNode = mapValue(update.cooldown, 'default-days');
        const days = isScalar(daysNode) ? Number(daysNode.value) : 0;
        if (Number.isFinite(days) && days >= minDays) continue;
        report({
          message: daysNode
            ? `Dependabot update for ${eco} in "${dir}" waits only ${days} day${days === 1 ? '' : 's'} before proposing a new release; raise default-days to ${minDays} or more`
            : `Dependabot update for ${eco} in "${dir}" sets a cooldown without default-days, so releases not covered by its semver-*-days are proposed at once; add default-days: ${minDays} or more`,
          location: loc(file.source, daysNode ?? update.cooldown),
          severity: 'low',
          route,
        });
      }
    }
  },
};
