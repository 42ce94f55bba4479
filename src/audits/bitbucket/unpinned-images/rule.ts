import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel, ImageRef } from '../../../platforms/bitbucket/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { imagePin, loc, stepRoute, uniqueSteps } from '../util.js';

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'unpinned-images',
    title: 'Container image pulled by a mutable tag',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const check = (src: SourceText, image: ImageRef | undefined, what: string, route: string): void => {
      if (!image?.name || !image.nameNode) return;
      const pin = imagePin(image.name);
      if (pin.kind === 'digest' || pin.kind === 'variable') return;
      const moving = pin.kind === 'moving';
      report({
        message: `${what} "${image.name}" is pulled by ${moving ? (pin.tag ? `the moving tag "${pin.tag}"` : 'no tag (latest)') : `the tag "${pin.tag}", which can be re-pushed`}; pin it by digest (${image.name.replace(/:latest$/, '')}@sha256:...)`,
        location: loc(src, image.nameNode),
        severity: moving ? 'high' : 'medium',
        route: `${route}:${image.name}`,
      });
    };
    for (const file of model.files) {
      check(file.source, file.image, 'the default image', 'image');
      for (const s of file.services) check(file.source, s.image, `service "${s.name}" image`, `definitions.services.${s.name}.image`);
    }
    for (const { step } of uniqueSteps(model)) check(step.source, step.image, `step "${step.label}" image`, `${stepRoute(step)}.image`);
  },
};
