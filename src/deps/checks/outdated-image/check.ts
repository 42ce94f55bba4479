import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import { imagesData, type ImagesData } from './data.js';
import { depsMeta } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'outdated-image', title: 'Base or CI image on an end-of-life version', severity: 'medium', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-1104'] },
  new URL('./README.md', import.meta.url),
);

export interface EolVerdict {
  product: string;
  version: string;
  eol: string;
  source: string;
}

/** `docker.io/library/node:16-alpine@sha256:...` → `node`, `16-alpine`. Variables and other registries: undefined. */
export function splitImage(ref: string): { name: string; tag: string } | undefined {
  if (ref.includes('$') || ref.includes('{')) return undefined;
  let r = ref.trim().replace(/@sha256:[0-9a-f]+$/i, '');
  r = r.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon <= slash) return undefined; // no tag: `latest`, nothing to judge
  const name = r.slice(0, colon).toLowerCase();
  if (name.split('/')[0]!.includes('.') || name.split('/')[0]!.includes(':')) return undefined; // another registry
  return { name, tag: r.slice(colon + 1) };
}

/** Every end-of-life version a tag names: the image's own version and a Debian/Ubuntu/Alpine base in its suffix. */
export function eolOf(ref: string, data: ImagesData, today: string): EolVerdict[] {
  const split = splitImage(ref);
  if (!split) return [];
  const product = data.aliases[split.name] ?? split.name;
  const out: EolVerdict[] = [];
  const img = data.images[product];
  const tag = split.tag.toLowerCase();
  if (img) {
    const m = /^v?(\d+)(?:\.(\d+))?/.exec(tag);
    const key = m ? (img.key === 'major' ? m[1]! : m[2] !== undefined ? `${m[1]}.${m[2]}` : undefined) : undefined;
    const word = /^[a-z]+\d*/.exec(tag)?.[0];
    const version = key ?? (word && img.eol[word] ? word : undefined);
    const eol = version ? img.eol[version] : undefined;
    if (version && eol && eol <= today) out.push({ product, version, eol, source: img.source });
  }
  if (product !== 'debian' && product !== 'ubuntu' && product !== 'alpine') {
    for (const part of tag.split('-').slice(1)) {
      const distro = data.distroSuffixes[part];
      const alpine = /^alpine(\d+\.\d+)$/.exec(part);
      const [p, v] = distro ?? (alpine ? ['alpine', alpine[1]!] : [undefined, undefined]);
      const eol = p && v ? data.images[p]?.eol[v] : undefined;
      if (p && v && eol && eol <= today) out.push({ product: p, version: v, eol, source: data.images[p]!.source });
    }
  }
  return out;
}

export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    const data = imagesData();
    for (const img of model.ci.images) {
      for (const v of eolOf(img.ref, data, model.today)) {
        report({
          message: `${img.ref} (${img.context}) is ${v.product} ${v.version}, which reached end of life on ${v.eol}: it gets no security fixes; move to a supported version`,
          location: img.location,
          route: `${img.ref}:${v.product}`,
          properties: { image: img.ref, product: v.product, version: v.version, eol: v.eol, source: v.source },
        });
      }
    }
  },
};
