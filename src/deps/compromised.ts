import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName } from './db/names.js';
import { isEcosystem, type Ecosystem, type Lockfile, type Package } from './model.js';

/** A hijacked release campaign, from `data/deps/compromised-packages.json` (see its `update` note). */
export interface Incident {
  id: string;
  title: string;
  date: string;
  sources: string[];
  packages: Array<{ ecosystem: Ecosystem; name: string; versions: string[] }>;
}

export class CompromisedDataError extends Error {}

const SHIPPED = new URL('../../data/deps/compromised-packages.json', import.meta.url);
/** Users add their own incidents here (same shape); they are merged with the shipped ones. */
export const USER_FILE = 'compromised-packages.json';

export function parseIncidents(text: string, where: string): { generated: string; incidents: Incident[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CompromisedDataError(`${where}: invalid JSON (${(e as Error).message})`);
  }
  const doc = raw as { generated?: unknown; incidents?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.incidents)) throw new CompromisedDataError(`${where}: expected {"incidents": [...]}`);
  const incidents = doc.incidents.map((x, i): Incident => {
    const at = `${where}: incidents[${i}]`;
    const inc = x as Record<string, unknown>;
    if (typeof inc.id !== 'string' || typeof inc.title !== 'string') throw new CompromisedDataError(`${at}: needs "id" and "title"`);
    if (typeof inc.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(inc.date)) throw new CompromisedDataError(`${at}: "date" must be YYYY-MM-DD`);
    if (!Array.isArray(inc.sources) || inc.sources.length === 0 || !inc.sources.every((s) => typeof s === 'string' && /^https:\/\//.test(s))) {
      throw new CompromisedDataError(`${at}: "sources" must list https URLs`);
    }
    if (!Array.isArray(inc.packages) || inc.packages.length === 0) throw new CompromisedDataError(`${at}: "packages" must not be empty`);
    const packages = inc.packages.map((p: Record<string, unknown>, j: number) => {
      if (typeof p.ecosystem !== 'string' || !isEcosystem(p.ecosystem)) throw new CompromisedDataError(`${at}.packages[${j}]: unknown ecosystem ${JSON.stringify(p.ecosystem)}`);
      if (typeof p.name !== 'string' || !Array.isArray(p.versions) || p.versions.length === 0 || !p.versions.every((v) => typeof v === 'string' && !/[<>=^~*| ]/.test(v))) {
        throw new CompromisedDataError(`${at}.packages[${j}]: needs a name and exact versions`);
      }
      return { ecosystem: p.ecosystem, name: p.name, versions: p.versions as string[] };
    });
    return { id: inc.id, title: inc.title, date: inc.date, sources: inc.sources as string[], packages };
  });
  return { generated: typeof doc.generated === 'string' ? doc.generated : 'unknown', incidents };
}

/** The shipped incidents plus the user's, if the data folder has a file of them. */
export function loadIncidents(dataDir?: string): { generated: string; incidents: Incident[] } {
  const shipped = parseIncidents(readFileSync(SHIPPED, 'utf8'), 'data/deps/compromised-packages.json');
  if (!dataDir) return shipped;
  let text: string;
  try {
    text = readFileSync(join(dataDir, USER_FILE), 'utf8');
  } catch {
    return shipped;
  }
  const user = parseIncidents(text, join(dataDir, USER_FILE));
  return { generated: shipped.generated, incidents: [...shipped.incidents, ...user.incidents] };
}

export interface CompromisedHit {
  lockfile: Lockfile;
  pkg: Package;
  incident: Incident;
}

export function findCompromised(lockfiles: Lockfile[], incidents: Incident[]): CompromisedHit[] {
  const index = new Map<string, Incident>();
  for (const inc of incidents) {
    for (const p of inc.packages) for (const v of p.versions) index.set(`${p.ecosystem}\0${normalizeName(p.ecosystem, p.name)}\0${v}`, inc);
  }
  const out: CompromisedHit[] = [];
  for (const lockfile of lockfiles) {
    for (const pkg of lockfile.packages) {
      const incident = index.get(`${pkg.ecosystem}\0${normalizeName(pkg.ecosystem, pkg.name)}\0${pkg.version.replace(/^v/, '')}`);
      if (incident) out.push({ lockfile, pkg, incident });
    }
  }
  return out;
}
