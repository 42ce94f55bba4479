import { readFileSync } from 'node:fs';

export interface ImagesData {
  generated: string;
  images: Record<string, { key: 'major' | 'minor'; source: string; eol: Record<string, string> }>;
  aliases: Record<string, string>;
  distroSuffixes: Record<string, [string, string]>;
}

let cached: ImagesData | undefined;

export function imagesData(): ImagesData {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(new URL('../../../../data/deps/images.json', import.meta.url), 'utf8')) as ImagesData;
  for (const [name, img] of Object.entries(raw.images)) {
    for (const [v, d] of Object.entries(img.eol)) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`data/deps/images.json: ${name} ${v}: bad date ${d}`);
  }
  cached = raw;
  return raw;
}
