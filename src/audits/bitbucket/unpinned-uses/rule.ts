import type { Rule } from '../../../core/rule.js';
import { RuleOptionsError } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { imagePin, loc, stepRoute, uniqueSteps } from '../util.js';

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;
const VERSION_LIKE = /^v?\d+(?:\.\d+)*(?:[-+][\w.-]+)?$/;

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Pipe or shared pipeline not pinned to an exact version',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-8'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const requireDigest = options['require-digest'] ?? false;
    if (typeof requireDigest !== 'boolean') throw new RuleOptionsError('require-digest must be true or false');
    for (const { step } of uniqueSteps(model)) {
      for (const item of [...step.script, ...step.afterScript]) {
        if (item.kind !== 'pipe') continue;
        const ref = item.ref.trim();
        const route = `${stepRoute(step)}.pipe:${ref}`;
        const at = loc(step.source, item.refNode);
        if (ref.startsWith('docker://')) {
          const image = ref.slice('docker://'.length);
          const pin = imagePin(image);
          if (pin.kind === 'digest' || pin.kind === 'variable') continue;
          report({
            message: `step "${step.label}" runs the pipe image "${image}" by ${pin.kind === 'moving' ? (pin.tag ? `the moving tag "${pin.tag}"` : 'no tag (latest)') : `the tag "${pin.tag}", which can be re-pushed`}; pin it by digest (docker://${image.replace(/:latest$/, '')}@sha256:...)`,
            location: at,
            severity: pin.kind === 'moving' ? 'high' : 'medium',
            route,
          });
          continue;
        }
        const m = /^([^\s:@]+\/[^\s:@]+)(?::([^\s@]+))?(@sha256:[0-9a-f]{64})?$/i.exec(ref);
        if (!m) continue;
        const [, name, version, digest] = m;
        if (digest) continue;
        if (version === undefined || version === 'latest') {
          report({
            message: `step "${step.label}" runs pipe ${name} without a version, so it gets whatever was published last; pin an exact version (${name}:1.2.3)`,
            location: at,
            severity: 'high',
            route,
          });
        } else if (!EXACT_VERSION.test(version)) {
          report({
            message: `step "${step.label}" runs pipe ${name} at "${version}", which moves to every new release${VERSION_LIKE.test(version) ? ' in that line' : ''}; pin an exact version (${name}:${VERSION_LIKE.test(version) ? version.replace(/^v?(\d+)(?:\.(\d+))?$/, (_s, a: string, b?: string) => `${a}.${b ?? 'x'}.y`) : '1.2.3'})`,
            location: at,
            severity: 'medium',
            route,
          });
        } else if (requireDigest) {
          report({
            message: `step "${step.label}" runs pipe ${name}:${version} by tag, which its publisher can re-point; pin the pipe image by digest (pipe: docker://<image>:${version}@sha256:...)`,
            location: at,
            severity: 'low',
            confidence: 'medium',
            route,
          });
        }
      }
    }
    for (const file of model.files) {
      for (const imp of file.imports) {
        if (imp.kind !== 'repository') continue;
        if (VERSION_LIKE.test(imp.ref!)) continue;
        report({
          message: `import "${imp.value}" runs pipeline "${imp.pipeline}" from the "${imp.ref}" branch of repository ${imp.repo}, which can change without review here; import from a release tag instead`,
          location: loc(file.source, imp.node),
          severity: 'medium',
          confidence: 'medium',
          route: `import:${imp.value}`,
        });
      }
    }
  },
};
