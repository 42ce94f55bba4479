import type { Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import { classifyImage, type ImageClass } from '../../../analysis/images.js';
import { GITLAB_MOVING_TAGS } from '../../../platforms/gitlab/images.js';
import type { GitlabModel, ImageRef, Job } from '../../../platforms/gitlab/model.js';
import { lookupVariable } from '../../../platforms/gitlab/parse.js';
import { jobsOf, loc, placeKey, related } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'unpinned-images',
    title: 'Container image not pinned by digest',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    // One finding per written image (a default image or a template is shared by many jobs).
    const seen = new Map<string, { ref: ImageRef; jobs: Job[]; kind: 'image' | 'service' }>();
    for (const job of jobsOf(model)) {
      const refs: Array<[ImageRef, 'image' | 'service']> = [...(job.image ? [[job.image, 'image'] as [ImageRef, 'image']] : []), ...job.services.map((s) => [s, 'service'] as [ImageRef, 'service'])];
      for (const [ref, kind] of refs) {
        const k = `${placeKey(ref.name.at)}:${kind}`;
        const hit = seen.get(k);
        if (hit) hit.jobs.push(job);
        else seen.set(k, { ref, jobs: [job], kind });
      }
    }
    for (const { ref, jobs, kind } of seen.values()) check(ref, jobs, kind, report);
  },
};

type Report = (f: RawFinding) => void;

function check(ref: ImageRef, jobs: Job[], kind: 'image' | 'service', report: Report): void {
  const raw = String(ref.name.value).trim();
  if (raw === '') return;
  let image = raw;
  let via: ReturnType<typeof related> | undefined;
  if (raw.includes('$')) {
    // The project's own registry (`$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`) is built by this pipeline.
    if (/^\$\{?CI_(?:REGISTRY|REGISTRY_IMAGE|DEPENDENCY_PROXY_[A-Z_]+)\}?(?:[/:]|$)/.test(raw) && !/^\$\{?CI_DEPENDENCY_PROXY/.test(raw)) return;
    // `image: $BUILD_IMAGE` with the variable written in the file: check its value.
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(raw);
    const v = m ? lookupVariable(jobs[0]!, m[1]!) : undefined;
    const value = v?.value && typeof v.value.value === 'string' ? v.value.value.trim() : undefined;
    if (!v?.value || !value || value.includes('$')) return;
    image = value;
    via = related(v.value.at, `variable ${v.name} sets the image here`);
  }
  const c = classifyImage(image, GITLAB_MOVING_TAGS);
  if (c.kind === 'digest') return;
  const { what, severity } = describe(c);
  const who = kind === 'image' ? 'image' : 'service';
  const owner = ref.fromDefault ? `the default ${who} of ${jobsLabelShort(jobs)}` : `the ${who} of ${jobsLabelShort(jobs)}`;
  report({
    message: `${owner} is "${image}"${via ? ` (from a variable)` : ''}, ${what}; pin it by digest (name:tag@sha256:...)`,
    location: loc(ref.name.at),
    severity,
    ...(via ? { related: [via] } : {}),
    route: `${ref.name.at.file.repoPath}:${who}:${image.toLowerCase()}`,
    properties: { image, pin: c.kind },
  });
}

function jobsLabelShort(jobs: Job[]): string {
  const first = `job "${jobs[0]!.name}"`;
  return jobs.length > 1 ? `${first} and ${jobs.length - 1} other job${jobs.length > 2 ? 's' : ''}` : first;
}

function describe(c: ImageClass): { what: string; severity: Severity } {
  switch (c.kind) {
    case 'bad-digest':
      return { what: 'whose @digest is not a complete sha256 digest', severity: 'high' };
    case 'no-tag':
      return { what: 'which has no tag and pulls whatever "latest" is at run time', severity: 'high' };
    case 'moving-tag':
      return { what: `whose tag "${c.tag}" is a channel that moves to new builds`, severity: 'high' };
    default:
      return { what: `whose tag "${c.tag}" the publisher can re-point at a different build`, severity: 'medium' };
  }
}
