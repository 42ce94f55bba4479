import type { Diagnostic } from '../core/finding.js';
import { matchRuleId } from './glob.js';
import { positionOf } from './positions.js';
import { suggest } from './schema-errors.js';
import type { PipewardenConfig } from './types.js';

/**
 * Warnings for rule ids in `rules` and `ignore` that no known rule has. Not a load error:
 * a config may be shared with a newer pipewarden that has more rules.
 */
export function unknownRuleDiagnostics(config: PipewardenConfig, knownIds: Iterable<string>): Diagnostic[] {
  const known = [...knownIds];
  const out: Diagnostic[] = [];
  const warn = (id: string, path: Array<string | number>, what: string): void => {
    const pos = positionOf(config, path);
    const hint = suggest(id, known);
    out.push({
      level: 'warning',
      ...(config.source !== undefined && { file: config.source }),
      ...(pos && { line: pos.line, column: pos.column }),
      message: `${what} names unknown rule \`${id}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
    });
  };
  for (const id of Object.keys(config.rules)) {
    if (!known.includes(id)) warn(id, ['rules', id], `rules.${id}`);
  }
  config.ignore.forEach((entry, i) => {
    if (!known.some((id) => matchRuleId(entry.rule, id))) warn(entry.rule, ['ignore', i, 'rule'], `ignore[${i}].rule`);
  });
  return out;
}
