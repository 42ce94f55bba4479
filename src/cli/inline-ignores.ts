import type { Diagnostic, Finding } from '../core/finding.js';
import { matchRuleId } from '../config/glob.js';
import { suggest } from '../config/schema-errors.js';

/** `pipewarden: ignore[a, b]` after a comment marker, as the policy reads it (core/policy.ts). */
const DIRECTIVE = /(?:#|\/\/|\/\*|<!--|--)\s*pipewarden:\s*ignore\[([^\]]*)\]/g;

/**
 * Warnings for inline ignores that name a rule no pipewarden rule has (a typo silently ignores
 * nothing): `file:line: warning: inline ignore names unknown rule "x"; did you mean "y"?`.
 * Only files with findings are read (an ignore elsewhere has nothing to hide). `knownIds` is the
 * command's own rules; ids it does not know are checked against every rule of every command
 * (`allIds`, loaded only then), so `ignore[secrets/...]` in a workflow is fine under `audit`.
 */
export async function unknownInlineIgnores(findings: readonly Finding[], sourceOf: (file: string) => string | undefined, knownIds: readonly string[], allIds: () => Promise<string[]>): Promise<Diagnostic[]> {
  const found: Array<{ file: string; line: number; id: string }> = [];
  const files = [...new Set(findings.map((f) => f.location.file))].sort();
  for (const file of files) {
    const text = sourceOf(file);
    if (text === undefined || !text.includes('pipewarden:')) continue;
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (!line.includes('pipewarden:')) return;
      for (const m of line.matchAll(DIRECTIVE)) {
        for (const id of m[1]!.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!knownIds.some((k) => matchRuleId(id, k))) found.push({ file, line: i + 1, id });
        }
      }
    });
  }
  if (found.length === 0) return [];
  const all = await allIds();
  return found
    .filter((d) => !all.some((k) => matchRuleId(d.id, k)))
    .map((d) => {
      const hint = suggest(d.id, all);
      return { level: 'warning' as const, file: d.file, line: d.line, message: `inline ignore names unknown rule "${d.id}"${hint ? `; did you mean "${hint}"?` : ''} It ignores nothing.` };
    });
}
