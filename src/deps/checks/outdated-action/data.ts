import { readFileSync } from 'node:fs';

export interface ActionsData {
  generated: string;
  runtimes: Record<string, { removed: string; source: string }>;
  actions: Record<string, { latest: number; runtimes: Record<string, string>; source: string }>;
}

let cached: ActionsData | undefined;

/** `data/deps/actions.json`, validated once. */
export function actionsData(): ActionsData {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(new URL('../../../../data/deps/actions.json', import.meta.url), 'utf8')) as ActionsData;
  for (const [name, a] of Object.entries(raw.actions)) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(name) || !Number.isInteger(a.latest) || typeof a.source !== 'string') throw new Error(`data/deps/actions.json: malformed entry ${name}`);
    for (const [major, rt] of Object.entries(a.runtimes)) if (!/^\d+$/.test(major) || !/^node\d+$|^docker$|^composite$/.test(rt)) throw new Error(`data/deps/actions.json: ${name} runtime ${major}: ${rt}`);
  }
  cached = raw;
  return raw;
}
