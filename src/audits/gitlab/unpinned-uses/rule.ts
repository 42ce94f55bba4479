import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GitlabModel, Include } from '../../../platforms/gitlab/model.js';
import { loc, placeKey } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Included CI configuration not pinned immutably',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829', 'CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const seen = new Set<string>();
    for (const p of model.pipelines) {
      for (const inc of p.includes) {
        const k = placeKey({ file: inc.from, node: inc.node });
        if (seen.has(k)) continue;
        seen.add(k);
        const found = judge(inc);
        if (!found) continue;
        report({
          message: found.message,
          location: loc({ file: inc.from, node: inc.target ?? inc.node }),
          severity: found.severity,
          route: `${inc.from.repoPath}:include:${inc.kind}:${inc.value}${inc.ref ? `@${String(inc.ref.value)}` : ''}`,
          properties: { include: inc.kind },
        });
      }
    }
  },
};

const SHA_RE = /^[0-9a-f]{40}$/i;
const VERSION_RE = /^[vV]?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?$/;
/** The pipeline's own project: same trust as the file itself. */
const SELF_RE = /\$\{?CI_PROJECT_PATH\}?|\$\{?CI_PROJECT_NAMESPACE\}?\/\$\{?CI_PROJECT_NAME\}?/;

function judge(inc: Include): { message: string; severity: Severity } | undefined {
  const value = inc.value.trim();
  switch (inc.kind) {
    case 'remote': {
      if (inc.integrity && /^sha256-[A-Za-z0-9+/=]{43,44}$/.test(String(inc.integrity.value ?? '').trim())) return undefined;
      const pinnedUrl = /\/[0-9a-f]{40}\//i.test(value);
      return {
        message: `include remote: ${value} is fetched when each pipeline is created and whoever controls that server decides its content${pinnedUrl ? ' (the URL names a commit, but nothing checks what is served)' : ''}; add integrity: sha256-... or vendor the file into this repository`,
        severity: pinnedUrl ? 'low' : 'high',
      };
    }
    case 'project': {
      if (SELF_RE.test(value)) return undefined;
      const files = (inc.files ?? []).map((f) => String(f.value)).join(', ');
      const target = `${value}${files ? ` (${files})` : ''}`;
      if (!inc.ref) return { message: `include project: ${target} has no ref: and follows the default branch of ${value}; pin ref: to a full 40-character commit SHA`, severity: 'high' };
      const ref = String(inc.ref.value ?? '').trim();
      if (SHA_RE.test(ref) || ref.includes('$')) return undefined;
      if (VERSION_RE.test(ref)) return { message: `include project: ${target} uses ref: ${ref}, a tag the maintainers of ${value} can move; pin ref: to a full 40-character commit SHA`, severity: 'medium' };
      return { message: `include project: ${target} uses ref: ${ref}, a branch whose content changes with every push; pin ref: to a full 40-character commit SHA`, severity: 'high' };
    }
    case 'component': {
      if (SELF_RE.test(value)) return undefined;
      const at = value.lastIndexOf('@');
      if (at === -1) return undefined; // GitLab rejects a component without a version
      const version = value.slice(at + 1);
      if (SHA_RE.test(version) || version.includes('$')) return undefined;
      if (version === '~latest') return { message: `include component: ${value} follows the newest release of the component at every pipeline; pin it to a commit SHA (@<40-hex>)`, severity: 'high' };
      if (/^\d+(?:\.\d+)?$/.test(version)) return { message: `include component: ${value} is a partial version that resolves to the newest matching release; pin it to a commit SHA (@<40-hex>)`, severity: 'medium' };
      if (VERSION_RE.test(version)) return { message: `include component: ${value} names a release tag its maintainers can move; pin it to a commit SHA (@<40-hex>)`, severity: 'medium' };
      return { message: `include component: ${value} follows the branch "${version}"; pin it to a commit SHA (@<40-hex>)`, severity: 'high' };
    }
    default:
      // local: same commit; template: shipped with the GitLab instance itself; artifact: built by this pipeline.
      return undefined;
  }
}
