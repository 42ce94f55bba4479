import { readFileSync } from 'node:fs';
import type { RuleMeta } from '../core/rule.js';
import { GITHUB_RULES } from './github/index.js';
import { meta as syntaxErrorMeta } from './core/syntax-error/rule.js';

/** Metadata of every audit rule (secrets detectors are listed by the secrets scanner). */
export function auditRuleMetas(): RuleMeta[] {
  return [syntaxErrorMeta, ...GITHUB_RULES.map((r) => r.meta)];
}

const docsCache = new Map<string, string | undefined>();

/** The rule's README (markdown), read lazily from beside its code. */
export function readRuleDocs(meta: RuleMeta): string | undefined {
  const key = meta.docs.href;
  if (!docsCache.has(key)) {
    try {
      docsCache.set(key, readFileSync(meta.docs, 'utf8'));
    } catch {
      docsCache.set(key, undefined);
    }
  }
  return docsCache.get(key);
}
