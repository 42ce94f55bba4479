/* Container image references, for the unpinned-images rules of every platform. */

const DIGEST_RE = /@sha256:[0-9a-f]{64}$/i;
/** Tags that name a channel rather than a release: they move as a matter of course. */
export const MOVING_TAGS: ReadonlySet<string> = new Set(['latest', 'edge', 'nightly', 'main', 'master', 'dev', 'develop', 'stable', 'lts', 'rolling', 'current', 'canary', 'beta', 'alpha', 'next', 'unstable']);

export interface ImageClass {
  kind: 'digest' | 'bad-digest' | 'no-tag' | 'moving-tag' | 'tag';
  tag?: string;
}

/**
 * `[registry[:port]/]name[:tag][@digest]` → how it is pinned. `moving`: the tags (lower case) that
 * count as moving, for a platform whose common images have channel tags of their own.
 */
export function classifyImage(ref: string, moving: ReadonlySet<string> = MOVING_TAGS): ImageClass {
  if (DIGEST_RE.test(ref)) return { kind: 'digest' };
  if (ref.includes('@')) return { kind: 'bad-digest' };
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  if (colon === -1) return { kind: 'no-tag' };
  const tag = ref.slice(colon + 1);
  if (tag === '') return { kind: 'no-tag' };
  return moving.has(tag.toLowerCase()) ? { kind: 'moving-tag', tag } : { kind: 'tag', tag };
}
