/**
 * The vulnerability kinds the taint engine tracks. Each kind is one bit so a taint can carry the
 * set of kinds it has been sanitised for in one number (an HTML escape cleans `xss` only; parseInt
 * cleans them all).
 */
export const TAINT_RULES = [
  'sql-injection',
  'nosql-injection',
  'xss',
  'command-injection',
  'code-injection',
  'server-side-template-injection',
  'path-traversal',
  'ssrf',
  'open-redirect',
  'prototype-pollution',
  'xxe',
  'insecure-deserialization',
  'regex-injection',
  'log-injection',
] as const;

export type TaintRule = (typeof TAINT_RULES)[number];

const BIT = new Map<string, number>(TAINT_RULES.map((r, i) => [r, 1 << i]));

export const ALL_KINDS = (1 << TAINT_RULES.length) - 1;

export function bit(rule: TaintRule): number {
  return BIT.get(rule)!;
}

/** Mask for several rules; `'*'` means every kind. */
export function mask(rules: readonly (TaintRule | '*')[]): number {
  let m = 0;
  for (const r of rules) m |= r === '*' ? ALL_KINDS : bit(r);
  return m;
}

export function isTaintRule(id: string): id is TaintRule {
  return BIT.has(id);
}

/** Everything except these kinds: for sanitisers that neutralise most sinks but not all. */
export function allBut(rules: readonly TaintRule[]): number {
  return ALL_KINDS & ~mask(rules);
}
