import { MOVING_TAGS } from '../../analysis/images.js';

/**
 * Moving tags of GitLab's unpinned-images (`classifyImage(ref, GITLAB_MOVING_TAGS)`, src/analysis/images.ts):
 * the shared channels plus the Docker image's own, `docker:dind` and `docker:git`, which GitLab
 * jobs use as services and follow every Docker release. The other platforms do not count them.
 */
export const GITLAB_MOVING_TAGS: ReadonlySet<string> = new Set([...MOVING_TAGS, 'dind', 'git']);

/** `docker:dind`, `docker:27-dind`, `docker:24.0.5-dind-rootless`, `registry/x/docker:dind@sha256:...`. */
export function isDindImage(ref: string): boolean {
  const name = ref.replace(/@.*$/, '');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repo = colon === -1 ? name : name.slice(0, colon);
  const tag = colon === -1 ? '' : name.slice(colon + 1);
  return /(?:^|\/)docker$/.test(repo) && /(?:^|-)dind(?:-|$)/.test(tag);
}
