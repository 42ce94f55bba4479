import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Pipeline, TemplateRef } from '../../../platforms/azure/model.js';
import { loc, related, stepSites } from '../util.js';

const SHA = /^[0-9a-f]{40}$/i;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Template repository or marketplace task not pinned to an immutable version',
    platform: 'azure',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-8'],
    cwe: ['CWE-829', 'CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const pipeline of model.pipelines) {
      const used = usedAliases(pipeline);
      for (const repo of pipeline.repositories) {
        const refs = used.get(repo.alias.toLowerCase());
        if (!refs) continue; // only checked out, not run as pipeline code
        const ref = repo.ref?.value === undefined || repo.ref?.value === null ? undefined : String(repo.ref.value).trim();
        const pinned = ref !== undefined && SHA.test(ref.replace(/^refs\/commits\//, ''));
        if (pinned) continue;
        const what = ref === undefined ? 'has no ref: and follows the default branch' : /^refs\/tags\//.test(ref) ? `is pinned to tag "${ref}", which can be moved` : `follows the branch "${ref}"`;
        const first = refs[0]!;
        report({
          message: `repository resource "${repo.alias}"${repo.name ? ` (${repo.name})` : ''} supplies template "${first.raw}" but ${what}; whoever can push there changes what this pipeline runs — pin ref: to a full commit SHA`,
          location: loc(repo.ctx, repo.ref ?? repo.aliasNode),
          related: refs.slice(0, 3).map((r) => ({ ...related({ ...pipeline.ctx, source: r.source }, r.node, `template "${r.raw}" is taken from it here`) })),
          severity: ref !== undefined && /^refs\/tags\//.test(ref) ? 'medium' : 'high',
          confidence: 'high',
          route: `resources.repositories.${repo.alias}:${ref ?? ''}`,
        });
      }
    }
    for (const site of stepSites(model)) {
      const task = site.step.task;
      if (!task) continue;
      // Marketplace (extension) tasks are `publisher.extension.Task`; built-in tasks have plain names.
      const dotted = task.name.split('.').length >= 3;
      if (!dotted) continue;
      const exact = task.version !== undefined && /^\d+\.\d+\.\d+$/.test(task.version);
      if (exact) continue;
      report({
        message: `step "${site.step.label}" runs marketplace task "${task.raw}" by ${task.version === undefined ? 'no version' : 'major version only'}; the publisher can ship new code under it — pin the full version (${task.name}@X.Y.Z) and review updates`,
        location: loc(site.step.ctx, task.node),
        severity: 'low',
        confidence: 'medium',
        route: `${site.route}.task:${task.name.toLowerCase()}`,
      });
    }
  },
};

function usedAliases(pipeline: Pipeline): Map<string, TemplateRef[]> {
  const out = new Map<string, TemplateRef[]>();
  for (const t of pipeline.templates) {
    if (t.kind !== 'external' || !t.repoAlias) continue;
    const key = t.repoAlias.toLowerCase();
    const list = out.get(key) ?? [];
    list.push(t);
    out.set(key, list);
  }
  return out;
}
