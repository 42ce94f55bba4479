import type { RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { loc, related } from '../util.js';

/**
 * Ecosystems whose updaters honour `insecure-external-code-execution` (GitHub's dependabot.yml
 * reference lists bundler, mix and pip). Elsewhere the key is ignored or rejected, so it is only
 * a statement of intent: still worth removing, but less certainly a live problem.
 */
const HONOURED = new Set(['bundler', 'mix', 'pip']);

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'dependabot-execution',
    title: 'Dependabot allowed to execute code from manifests',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const file of model.dependabot) {
      for (const update of file.updates) {
        const iece = update.insecureExternalCodeExecution;
        if (!iece || iece.text?.trim().toLowerCase() !== 'allow') continue;
        const eco = update.ecosystem ?? 'unknown ecosystem';
        const dir = update.directory ?? '/';
        const honoured = update.ecosystem !== undefined && HONOURED.has(update.ecosystem.toLowerCase());
        const rel: RelatedLocation[] = [];
        if (update.registries) rel.push(related(file.source, update.registries, 'registry credentials this update can use are exposed to that code'));
        report({
          message: `Dependabot update for ${eco} in "${dir}" sets insecure-external-code-execution: allow, so code in the dependency manifests runs during updates with access to the update's registry credentials; remove it (the default is deny)`,
          location: loc(file.source, iece.keyNode),
          related: rel,
          confidence: honoured ? 'high' : 'medium',
          route: `updates[${eco}:${dir}].insecure-external-code-execution`,
        });
      }
    }
  },
};
