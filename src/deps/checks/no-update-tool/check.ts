import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import type { LockfileFormat } from '../../model.js';
import { depsMeta } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'no-update-tool', title: 'No Dependabot or Renovate for the dependencies in use', severity: 'low', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-1104'] },
  new URL('./README.md', import.meta.url),
);

/** The Dependabot `package-ecosystem` that updates each lockfile format. */
const DEPENDABOT: Record<LockfileFormat, string[]> = {
  'package-lock.json': ['npm'],
  'npm-shrinkwrap.json': ['npm'],
  'yarn.lock': ['npm'],
  'pnpm-lock.yaml': ['npm'],
  'bun.lock': ['bun', 'npm'],
  'requirements.txt': ['pip'],
  'poetry.lock': ['pip'],
  'uv.lock': ['uv', 'pip'],
  'Pipfile.lock': ['pip', 'pipenv'],
  'go.mod': ['gomod'],
  'go.sum': ['gomod'],
  'Cargo.lock': ['cargo'],
  'Gemfile.lock': ['bundler'],
  'composer.lock': ['composer'],
  'packages.lock.json': ['nuget'],
  'pom.xml': ['maven'],
  'gradle.lockfile': ['gradle'],
};

/**
 * Nothing proposes dependency updates: no Renovate config and no Dependabot file, or a Dependabot
 * file that leaves out an ecosystem the repository uses (GitHub Actions and Dockerfiles included).
 * Reported once, on the Dependabot file when there is one, else on the first lockfile.
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    if (model.ci.renovate) return;
    const needed = new Map<string, string>();
    for (const l of model.lockfiles) {
      const ecos = DEPENDABOT[l.format];
      if (!needed.has(ecos[0]!)) needed.set(ecos[0]!, l.path);
    }
    if (model.ci.actions.some((a) => a.location.file.includes('.github/'))) needed.set('github-actions', model.ci.actions[0]!.location.file);
    if (model.ci.images.some((i) => i.platform === 'docker')) needed.set('docker', model.ci.images.find((i) => i.platform === 'docker')!.location.file);
    if (needed.size === 0) return;
    const configured = new Set((model.ci.dependabot ?? []).map((d) => d.ecosystem));
    const alternatives = (eco: string): string[] => Object.values(DEPENDABOT).find((v) => v[0] === eco) ?? [eco];
    const missing = [...needed].filter(([eco]) => !alternatives(eco).some((a) => configured.has(a)));
    if (missing.length === 0) return;
    const list = missing.map(([eco, file]) => `${eco} (${file})`).join(', ');
    const depth = (p: string): number => p.split('/').length;
    const file = [...needed.values()].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0))[0]!;
    report({
      message: model.ci.dependabot
        ? `Dependabot does not update ${list}; add an \`updates\` entry per ecosystem (or use Renovate) so fixes for vulnerable versions arrive as pull requests`
        : `no Dependabot or Renovate configuration: nothing proposes updates for ${list}; add .github/dependabot.yml (or a Renovate config)`,
      location: model.ci.dependabotAt ?? { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      route: missing.map(([eco]) => eco).join(','),
      properties: { missing: missing.map(([eco]) => eco).join(',') },
    });
  },
};
