import { isMap, isScalar, type Node } from 'yaml';
import type { SourceText } from '../../yaml/load.js';
import type { Entry, Step } from './model.js';

/* ------------------------------------------------------------------------------------------ */
/* Actions and their inputs                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** `owner/repo[/path]` of a repository action, lower-cased; undefined for run/local/docker steps. */
export function actionName(step: Step): string | undefined {
  const u = step.uses;
  if (u?.kind !== 'repo') return undefined;
  return [u.owner, u.repo, ...(u.path ? [u.path] : [])].join('/').toLowerCase().replace(/\/+$/, '');
}

export function usesAction(step: Step, ...names: string[]): boolean {
  const n = actionName(step);
  return n !== undefined && names.includes(n);
}

/** A `with:` entry by name (action inputs are case-insensitive). */
export function withEntry(step: Step, key: string): Entry | undefined {
  const k = key.toLowerCase();
  return step.with.find((w) => w.key.toLowerCase() === k);
}

export function withText(step: Step, key: string): string | undefined {
  return withEntry(step, key)?.text;
}

export interface ActionVersion {
  major: number;
  minor: number;
  patch: number;
  /** `ref`: from `@v4.1.0`; `comment`: from `@<sha> # v4.1.0`; `branch`: `@main` (latest). */
  from: 'ref' | 'comment' | 'branch';
  /** The version was written as a floating major tag (`@v4`), which tracks the newest v4.x. */
  floating: boolean;
}

const VERSION_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/i;

/**
 * Version of a repository action from its ref, or from the `# vX.Y.Z` comment that usually
 * follows a SHA pin. Undefined when it cannot be known (bare SHA, unusual tag).
 */
export function actionVersion(step: Step, source: SourceText): ActionVersion | undefined {
  const u = step.uses;
  if (u?.kind !== 'repo') return undefined;
  const parse = (text: string, from: ActionVersion['from']): ActionVersion | undefined => {
    const m = VERSION_RE.exec(text.trim());
    if (!m) return undefined;
    return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), from, floating: m[2] === undefined };
  };
  if (/^(main|master|HEAD)$/i.test(u.ref)) return { major: Number.POSITIVE_INFINITY, minor: 0, patch: 0, from: 'branch', floating: true };
  if (!u.pinnedToSha) return parse(u.ref, 'ref');
  const end = u.node.range?.[1];
  if (end === undefined) return undefined;
  const nl = source.text.indexOf('\n', end);
  const rest = source.text.slice(end, nl === -1 ? undefined : nl);
  const m = /#\s*(?:tag[:=]?\s*)?(v?\d+(?:\.\d+){0,2})\b/i.exec(rest);
  return m ? parse(m[1]!, 'comment') : undefined;
}

/** At least `major.minor.patch`; a floating `@v4` counts as the newest v4 release. */
export function versionAtLeast(v: ActionVersion, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.floating) return true;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** Reads `key` of a mapping node without a YamlView (aliases are not followed here). */
export function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as Node | null) ?? undefined;
  }
  return undefined;
}

export function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}
