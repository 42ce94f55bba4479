import type { AdvisorySource } from '../advisories.js';
import type { StoredMatch } from './store.js';
import type { AdvisoryStore } from './store.js';

/** Advisories from the local database: one indexed query per distinct package name. */
export function storeSource(store: AdvisoryStore): AdvisorySource {
  return {
    lookup(packages) {
      const out = new Map<string, StoredMatch[]>();
      for (const p of packages) {
        const k = `${p.ecosystem}\0${p.key}`;
        if (out.has(k)) continue;
        out.set(k, store.lookup(p.ecosystem, p.key));
      }
      return out;
    },
  };
}
