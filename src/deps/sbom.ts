import { randomUUID } from 'node:crypto';
import type { Ecosystem, Lockfile } from './model.js';

/**
 * A package URL (https://github.com/package-url/purl-spec) per ecosystem, plus the CycloneDX
 * group/name split the ecosystem's tools use (npm scope, Maven groupId, Composer vendor, Go path).
 */
export function purlOf(ecosystem: Ecosystem, name: string, version: string): { purl: string; group?: string; name: string } {
  const enc = (s: string): string => encodeURIComponent(s);
  const v = `@${enc(version)}`;
  const split = (sep: string): [string | undefined, string] => {
    const i = name.lastIndexOf(sep);
    return i === -1 ? [undefined, name] : [name.slice(0, i), name.slice(i + 1)];
  };
  switch (ecosystem) {
    case 'npm': {
      const [scope, base] = name.startsWith('@') ? split('/') : [undefined, name];
      return { purl: `pkg:npm/${scope ? `${enc(scope)}/` : ''}${enc(base)}${v}`, ...(scope && { group: scope }), name: base };
    }
    case 'PyPI':
      return { purl: `pkg:pypi/${enc(name.toLowerCase().replace(/[-_.]+/g, '-'))}${v}`, name };
    case 'Go': {
      const [ns, base] = split('/');
      return { purl: `pkg:golang/${ns ? `${ns.split('/').map(enc).join('/')}/` : ''}${enc(base)}${v}`, ...(ns && { group: ns }), name: base };
    }
    case 'crates.io':
      return { purl: `pkg:cargo/${enc(name)}${v}`, name };
    case 'RubyGems':
      return { purl: `pkg:gem/${enc(name)}${v}`, name };
    case 'Packagist': {
      const [vendor, base] = split('/');
      return { purl: `pkg:composer/${vendor ? `${enc(vendor)}/` : ''}${enc(base)}${v}`, ...(vendor && { group: vendor }), name: base };
    }
    case 'NuGet':
      return { purl: `pkg:nuget/${enc(name)}${v}`, name };
    case 'Maven': {
      const [group, artifact] = split(':');
      return { purl: `pkg:maven/${group ? `${enc(group)}/` : ''}${enc(artifact)}${v}`, ...(group && { group }), name: artifact };
    }
  }
}

export interface SbomOptions {
  /** The scanned project's name (the folder). */
  project: string;
  toolVersion: string;
  /** Injectable for reproducible output. */
  timestamp?: string;
  serialNumber?: string;
}

/**
 * A CycloneDX 1.6 JSON BOM of every package in the lockfiles, one component per package URL;
 * the lockfiles each package comes from are listed as `pipewarden:lockfile` properties, and
 * development-only packages have scope `optional`.
 */
export function cyclonedx(lockfiles: Lockfile[], opts: SbomOptions): Record<string, unknown> {
  const components = new Map<string, { component: Record<string, unknown>; files: Set<string>; dev: boolean }>();
  for (const lf of lockfiles) {
    for (const p of lf.packages) {
      const id = purlOf(p.ecosystem, p.name, p.version);
      const existing = components.get(id.purl);
      if (existing) {
        existing.files.add(lf.path);
        existing.dev &&= p.dev === true;
        continue;
      }
      components.set(id.purl, {
        component: { type: 'library', 'bom-ref': id.purl, ...(id.group && { group: id.group }), name: id.name, version: p.version, purl: id.purl },
        files: new Set([lf.path]),
        dev: p.dev === true,
      });
    }
  }
  const sorted = [...components.values()].sort((a, b) => ((a.component.purl as string) < (b.component.purl as string) ? -1 : 1));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: opts.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: opts.timestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: 'pipewarden', version: opts.toolVersion }] },
      component: { type: 'application', 'bom-ref': 'project', name: opts.project },
    },
    components: sorted.map((c) => ({
      ...c.component,
      scope: c.dev ? 'optional' : 'required',
      properties: [...c.files].sort().map((f) => ({ name: 'pipewarden:lockfile', value: f })),
    })),
  };
}
