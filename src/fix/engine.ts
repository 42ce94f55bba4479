import type { Diagnostic, Finding, Fix } from '../core/finding.js';
import { compareFindings } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { runRules } from '../core/engine.js';
import { applyPolicy } from '../core/policy.js';
import type { PipewardenConfig } from '../config/types.js';
import { buildGithubModel, type GithubFileKind } from '../platforms/github/load.js';
import type { GithubModel } from '../platforms/github/model.js';
import { syntaxErrorFinding } from '../audits/core/syntax-error/rule.js';
import { expressionSyntaxFindings } from '../audits/github/expression-syntax.js';
import { GITHUB_RULES } from '../platforms/github/platform.js';
import { applyEdits, fixKey, selectFixes } from './edits.js';
import { unintendedChange } from './model-check.js';
import type { PinResolver } from './pins.js';

/**
 * The fix loop, in memory: audit → pick compatible fixes → apply → re-audit, up to `maxPasses`
 * times (a fix can only be computed against the text it was found in, so fixes that overlapped
 * an applied one are recomputed on the next pass). Pure apart from the pin resolver.
 */

export interface FixFile {
  /** Display path: what findings and diffs show. */
  path: string;
  /** Path inside the repository (what `uses: ./x` resolves against). */
  repoPath: string;
  text: string;
  kind: GithubFileKind;
}

export interface FixOptions {
  config: PipewardenConfig;
  /** Also apply fixes marked unsafe. */
  unsafe: boolean;
  online?: boolean;
  /** Resolves `owner/repo@ref` to a commit SHA for unpinned-uses fixes. */
  resolver?: PinResolver;
  maxPasses?: number;
  /** Rules to run (all GitHub rules by default; tests narrow it). */
  rules?: readonly Rule<GithubModel>[];
}

export interface AppliedFix {
  file: string;
  line: number;
  ruleIds: string[];
  description: string;
  safety: Fix['safety'];
  /** Findings this fix was offered for. */
  findings: number;
}

export interface FixResult {
  /** Final text of every file (changed or not), by display path. */
  texts: Map<string, string>;
  applied: AppliedFix[];
  /** Findings left after the last pass (after config and inline ignores). */
  remaining: Finding[];
  /** Remaining findings whose fix would apply with the flags given (conflicts that outlived the passes). */
  pending: Finding[];
  /** Remaining findings with an unsafe fix, when --unsafe was not given. */
  unsafeAvailable: Finding[];
  diagnostics: Diagnostic[];
  passes: number;
}

const PIN_KEY_RE = /^([^/\s@]+)\/([^/\s@]+)@(\S+)$/;

export async function fixFiles(files: readonly FixFile[], opts: FixOptions): Promise<FixResult> {
  const rules = opts.rules ?? GITHUB_RULES;
  const maxPasses = opts.maxPasses ?? 3;
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const diagnostics: Diagnostic[] = [];
  const pins: Record<string, string> = {};
  let config = opts.config;

  const audit = (): Finding[] => {
    const list = files.map((f) => ({ path: f.path, repoPath: f.repoPath, kind: f.kind, text: texts.get(f.path)! }));
    const { model, problems } = buildGithubModel(list);
    const found = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    found.push(...expressionSyntaxFindings(model));
    const result = runRules(rules, model, { config, online: opts.online ?? false, shareFixes: true });
    found.push(...result.findings);
    // What the user silenced (config ignores, inline ignores, disabled rules) is not fixed either.
    return applyPolicy(found.sort(compareFindings), { config, sourceOf: (f) => texts.get(f) }).kept;
  };

  /** Resolves the refs unpinned-uses names; true when new pins were learned. */
  const learnPins = async (findings: Finding[]): Promise<boolean> => {
    if (!opts.resolver) return false;
    let learned = false;
    for (const f of findings) {
      const key = f.properties?.pinKey;
      if (f.ruleId !== 'unpinned-uses' || typeof key !== 'string' || key in pins) continue;
      const m = PIN_KEY_RE.exec(key);
      if (!m) continue;
      const sha = await opts.resolver(m[1]!, m[2]!, m[3]!);
      if (sha && /^[0-9a-f]{40}$/i.test(sha)) {
        pins[key] = sha.toLowerCase();
        learned = true;
      } else {
        diagnostics.push({ level: 'note', file: f.location.file, line: f.location.startLine, column: f.location.startColumn, message: `no commit SHA known for ${key}; add it to the --pins file to pin it` });
        pins[key] = ''; // asked once
      }
    }
    if (learned) {
      const known = Object.fromEntries(Object.entries(pins).filter(([, v]) => v !== ''));
      const settings = config.rules['unpinned-uses'] ?? {};
      config = { ...config, rules: { ...config.rules, 'unpinned-uses': { ...settings, options: { ...(settings.options ?? {}), pins: known } } } };
    }
    return learned;
  };

  const applicable = (f: Finding): f is Finding & { fix: Fix } => f.fix !== undefined && f.fix.edits.length > 0 && (f.fix.safety === 'safe' || opts.unsafe);

  // Findings of one step share one fix object: its key is computed once, not once per finding.
  const keys = new WeakMap<Fix, string>();
  const keyOf = (fix: Fix): string => {
    let k = keys.get(fix);
    if (k === undefined) keys.set(fix, (k = fixKey(fix)));
    return k;
  };

  let findings = audit();
  if (await learnPins(findings)) findings = audit();
  const applied: AppliedFix[] = [];
  let passes = 0;
  while (passes < maxPasses) {
    // One candidate per distinct fix (findings on one step share the fix that repairs them all).
    const byKey = new Map<string, { fix: Fix; findings: Finding[]; file: string }>();
    for (const f of findings) {
      if (!applicable(f)) continue;
      const key = keyOf(f.fix);
      const c = byKey.get(key);
      if (c) {
        c.findings.push(f);
        continue;
      }
      const files = new Set(f.fix.edits.map((e) => e.file));
      if (files.size !== 1 || !texts.has([...files][0]!)) continue; // every fix pipewarden makes edits one file
      byKey.set(key, { fix: f.fix, findings: [f], file: [...files][0]! });
    }
    if (byKey.size === 0) break;
    passes++;
    const firstEdit = new Map([...byKey.values()].map((c) => [c, c.fix.edits.reduce((m, e) => Math.min(m, e.start), Infinity)]));
    const candidates = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : firstEdit.get(a)! - firstEdit.get(b)!));
    let changed = false;
    for (const file of [...new Set(candidates.map((c) => c.file))]) {
      const original = texts.get(file)!;
      const { accepted } = selectFixes(candidates.filter((c) => c.file === file));
      const kept = keepValid(file, original, accepted, diagnostics);
      if (kept.length === 0) continue;
      texts.set(file, applyEdits(original, kept.flatMap((c) => c.fix.edits)));
      changed = true;
      for (const c of kept) {
        const first = c.findings[0]!;
        applied.push({
          file,
          line: first.location.startLine,
          ruleIds: [...new Set(c.findings.map((f) => f.ruleId))],
          description: c.fix.description,
          safety: c.fix.safety,
          findings: c.findings.length,
        });
      }
    }
    findings = audit();
    if (!changed) break;
  }
  const pending = findings.filter(applicable);
  for (const f of pending) {
    diagnostics.push({
      level: 'warning',
      file: f.location.file,
      line: f.location.startLine,
      column: f.location.startColumn,
      message: `${f.ruleId}: fix not applied: it overlaps another fix and ${maxPasses} passes were not enough; run pipewarden fix again`,
    });
  }
  const unsafeAvailable = opts.unsafe ? [] : findings.filter((f) => f.fix?.safety === 'unsafe');
  return { texts, applied, remaining: findings, pending, unsafeAvailable, diagnostics, passes };
}

/**
 * Safety net: the fixed text must parse to the same model as before except where the fixes said
 * they would change it (see model-check.ts). When the fixes together fail, they are tried one by
 * one and each that fails is refused with an error naming what it would have changed (a bug).
 */
function keepValid<T extends { fix: Fix; findings: Finding[] }>(file: string, text: string, accepted: T[], diagnostics: Diagnostic[]): T[] {
  const problem = (set: T[]): string | undefined => unintendedChange(file, text, applyEdits(text, set.flatMap((c) => c.fix.edits)), set.map((c) => c.fix));
  if (problem(accepted) === undefined) return accepted;
  const kept: T[] = [];
  for (const c of accepted) {
    const why = problem([...kept, c]);
    if (why === undefined) kept.push(c);
    else {
      const f = c.findings[0]!;
      diagnostics.push({ level: 'error', file, line: f.location.startLine, message: `${f.ruleId}: fix "${c.fix.description}" refused: ${why}; the file is left as it was there (please report this as a pipewarden bug)` });
    }
  }
  return kept;
}
