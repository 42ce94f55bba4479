import type { AdvisorySource } from '../advisories.js';
import type { StoredMatch } from './store.js';
import type { AdvisoryStore } from './store.js';

/** Advisories from the local database: one indexed query per distinct package name. */
export function storeSource(store: AdvisoryStore): AdvisorySource {
  return {
    lookup(packages) {
      // Most packages have no advisory: test names against each ecosystem's key set (read once)
      // and query only the hits, instead of one query per distinct name.
      const out = new Map<string, StoredMatch[]>();
      const keysOf = new Map<string, Set<string>>();
      for (const p of packages) {
        const k = `${p.ecosystem}\0${p.key}`;
        if (out.has(k)) continue;
        let keys = keysOf.get(p.ecosystem);
        if (!keys) keysOf.set(p.ecosystem, (keys = store.keys(p.ecosystem)));
        out.set(k, keys.has(p.key) ? store.lookup(p.ecosystem, p.key) : []);
      }
      return out;
    },
  };
}
