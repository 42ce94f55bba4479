import type { Rule, RuleMeta } from '../../core/rule.js';
import type { DepsModel } from '../deps-model.js';
import { rule as installScripts } from './install-scripts-in-privileged-job/check.js';
import { rule as maliciousDependency } from './malicious-dependency/check.js';
import { rule as noUpdateTool } from './no-update-tool/check.js';
import { rule as outdatedAction } from './outdated-action/check.js';
import { rule as outdatedImage } from './outdated-image/check.js';
import { rule as unlockedInstall } from './unlocked-install/check.js';
import { rule as vulnerableDependency } from './vulnerable-dependency/check.js';

/** Every deps check, in report order. Ids are interface: never rename one. */
export const DEPS_RULES: readonly Rule<DepsModel>[] = [vulnerableDependency, maliciousDependency, outdatedAction, outdatedImage, unlockedInstall, installScripts, noUpdateTool];

export function depsRuleMetas(): RuleMeta[] {
  return DEPS_RULES.map((r) => r.meta);
}
