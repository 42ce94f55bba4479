import { isScalar } from 'yaml';
import type { Severity } from '../../../core/finding.js';
import type { RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { CircleFile, CircleModel, Executor, Job } from '../../../platforms/circleci/model.js';
import { findInterpolations } from '../../../platforms/circleci/interpolate.js';
import { allDefinitions, defLabel, defRoute } from '../../../platforms/circleci/resolve.js';
import { classifyImage, type ImageClass } from '../../../analysis/images.js';
import { loc, related, type Report } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'unpinned-images',
    title: 'Docker executor image not pinned by digest',
    platform: 'circleci',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const file of model.files) {
      for (const defs of allDefinitions(file)) {
        for (const def of [...defs.jobs, ...defs.executors]) checkDef(file, def, report);
      }
    }
  },
};

function checkDef(file: CircleFile, def: Job | Executor, report: Report): void {
  def.images.forEach((img, i) => {
    const node = img.image;
    if (!node || !isScalar(node) || typeof node.value !== 'string') return;
    const resolved = resolveParams(file, def, node.value);
    if (!resolved) return;
    const c = classifyImage(resolved.image.trim());
    const d = describe(c, resolved.image.trim());
    if (!d) return;
    const who = i === 0 ? `${defLabel(def)} runs in` : `${defLabel(def)} starts the service container`;
    report({
      message: `${who} ${resolved.image.trim()}, ${d.what}; pin it by digest (image@sha256:...)`,
      location: loc(file, node),
      related: resolved.related,
      severity: d.severity,
      confidence: resolved.related.length > 0 ? 'medium' : 'high',
      route: `${defRoute(def)}.docker[${i}]:${resolved.image.trim()}`,
    });
  });
}

/** Substitutes `<< parameters.x >>` with the parameter's default; undefined when it cannot. */
function resolveParams(file: CircleFile, def: Job | Executor, text: string): { image: string; related: RelatedLocation[] } | undefined {
  const interps = findInterpolations(text);
  if (interps.length === 0) return { image: text, related: [] };
  let out = '';
  let last = 0;
  const rel: RelatedLocation[] = [];
  for (const i of interps) {
    out += text.slice(last, i.start);
    last = i.end;
    if (!i.expr.startsWith('parameters.')) return undefined;
    const p = def.parameters.find((x) => x.name === i.expr.slice('parameters.'.length));
    const d = p?.default;
    if (!d || !isScalar(d) || d.value === null) return undefined;
    out += String(d.value);
    rel.push(related(file, d, `parameter "${p.name}" defaults to "${String(d.value)}"`));
  }
  return { image: out + text.slice(last), related: rel };
}

/** CircleCI's convenience images (`cimg/...`): versioned, maintained and rebuilt by CircleCI. */
function isConvenience(image: string): boolean {
  return /^(?:docker\.io\/)?cimg\//i.test(image);
}

function describe(c: ImageClass, image: string): { what: string; severity: Severity } | undefined {
  const cimg = isConvenience(image);
  switch (c.kind) {
    case 'digest':
      return undefined;
    case 'bad-digest':
      return { what: 'whose @digest is not a complete sha256 digest', severity: 'high' };
    case 'no-tag':
      return { what: 'which has no tag and pulls whatever "latest" is at run time', severity: cimg ? 'medium' : 'high' };
    case 'moving-tag':
      return { what: `whose tag "${c.tag}" is a channel that moves to new builds`, severity: cimg ? 'medium' : 'high' };
    case 'tag':
      return cimg
        ? { what: `a CircleCI convenience image whose tag "${c.tag}" CircleCI rebuilds for security patches`, severity: 'low' }
        : { what: `whose tag "${c.tag}" the publisher can re-point at a different build`, severity: 'medium' };
  }
}
