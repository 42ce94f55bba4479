import type { Rule, RuleMeta } from '../../core/rule.js';
import type { DepsModel } from '../deps-model.js';
import { rule as maliciousDependency } from './malicious-dependency/check.js';
import { rule as vulnerableDependency } from './vulnerable-dependency/check.js';

/** Every deps check, in report order. Ids are interface: never rename one. */
export const DEPS_RULES: readonly Rule<DepsModel>[] = [vulnerableDependency, maliciousDependency];

export function depsRuleMetas(): RuleMeta[] {
  return DEPS_RULES.map((r) => r.meta);
}
