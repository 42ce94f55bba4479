import { readFileSync } from 'node:fs';
import type { Platform, RuleMeta } from '../core/rule.js';
import { PLATFORMS } from '../audit/platforms.js';
import { meta as syntaxErrorMeta } from './core/syntax-error/rule.js';
import { meta as notAuditedMeta } from './core/not-audited/rule.js';

function everyAuditMeta(): RuleMeta[] {
  return [syntaxErrorMeta, notAuditedMeta, ...PLATFORMS.flatMap((p) => p.rules())];
}

/**
 * Metadata of every audit rule, one entry per id (secrets detectors are listed by the secrets
 * scanner). An idea shared by several platforms keeps one id (`template-injection` everywhere);
 * the first platform's metadata represents it and the docs of all are joined.
 */
export function auditRuleMetas(): RuleMeta[] {
  const seen = new Set<string>();
  return everyAuditMeta().filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

const docsCache = new Map<string, string | undefined>();

function readDocsFile(meta: RuleMeta): string | undefined {
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

/** The rule's README (markdown), read lazily from beside its code; joined across platforms. */
export function readRuleDocs(meta: RuleMeta): string | undefined {
  const parts = everyAuditMeta()
    .filter((m) => m.id === meta.id)
    .map(readDocsFile)
    .filter((d): d is string => d !== undefined);
  if (parts.length === 0) return readDocsFile(meta);
  return [...new Set(parts)].join('\n---\n\n');
}

/**
 * Every platform that implements each audit rule id, in registration order (`template-injection`
 * is one id on five platforms): what `rules` lists, so a shared rule does not look GitHub-only.
 */
export function auditRulePlatforms(): Map<string, Platform[]> {
  const out = new Map<string, Platform[]>();
  for (const m of everyAuditMeta()) {
    const list = out.get(m.id);
    if (!list) out.set(m.id, [m.platform]);
    else if (!list.includes(m.platform)) list.push(m.platform);
  }
  return out;
}
