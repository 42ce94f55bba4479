import type { Scalar } from 'yaml';
import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Context } from '../../../platforms/azure/model.js';
import { jobSites, loc, type Report } from '../util.js';

const DIGEST_RE = /@sha256:[0-9a-f]{64}$/i;
const MOVING_TAGS = new Set(['latest', 'stable', 'edge', 'nightly', 'main', 'master', 'dev', 'develop', 'lts', 'current', 'rolling']);

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'unpinned-images',
    title: 'Container image not pinned by digest',
    platform: 'azure',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829', 'CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const pipeline of model.pipelines) {
      const aliases = new Set(pipeline.containers.map((c) => c.alias.toLowerCase()));
      for (const c of pipeline.containers) {
        if (c.image) checkImage(c.ctx, c.image, `container resource "${c.alias}"`, `resources.containers.${c.alias}`, report);
      }
      for (const { job, route } of jobSites({ pipelines: [pipeline] })) {
        const check = (node: Scalar | undefined, who: string, r: string): void => {
          if (!node || typeof node.value !== 'string') return;
          if (aliases.has(node.value.trim().toLowerCase())) return; // checked at the resource
          checkImage(job.ctx, node, who, r, report);
        };
        check(job.container, `the container of job "${job.id}"`, `${route}.container`);
        for (const s of job.services) check(s.value as Scalar | undefined, `service "${s.key}" of job "${job.id}"`, `${route}.services.${s.key}`);
      }
    }
  },
};

function checkImage(ctx: Context, node: Scalar, who: string, route: string, report: Report): void {
  if (typeof node.value !== 'string') return;
  const image = node.value.trim();
  if (image === '' || /\$\(|\$\{\{|\$\[/.test(image)) return;
  if (DIGEST_RE.test(image)) return;
  let what: string;
  let severity: Severity;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? '' : image.slice(colon + 1);
  if (image.includes('@')) [what, severity] = ['whose @digest is not a complete sha256 digest', 'high'];
  else if (tag === '') [what, severity] = ['which has no tag and pulls whatever "latest" is at run time', 'high'];
  else if (MOVING_TAGS.has(tag.toLowerCase())) [what, severity] = [`whose tag "${tag}" is a channel that moves to new builds`, 'high'];
  else [what, severity] = [`whose tag "${tag}" the publisher can re-point at a different build`, 'medium'];
  report({
    message: `${who} runs image "${image}", ${what}; pin it by digest (name:tag@sha256:...)`,
    location: loc(ctx, node),
    severity,
    route: `${route}:${image.toLowerCase()}`,
    properties: { image },
  });
}
