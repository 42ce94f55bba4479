import type { Severity } from '../../../core/finding.js';
import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { Install } from '../../ci/installs.js';
import type { DepsModel } from '../../deps-model.js';
import { dirOf } from '../../paths.js';
import { depsMeta } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'unlocked-install', title: 'CI installs dependencies without honouring a lockfile', severity: 'medium', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-829'] },
  new URL('./README.md', import.meta.url),
);


/**
 * Package-manager commands in CI that resolve versions at run time instead of installing the
 * lockfile: `npm install` (vs `npm ci`), `yarn install` without `--frozen-lockfile` on a Yarn 1
 * lockfile, unpinned `pip install`, requirements files with unpinned entries, `go install @latest`,
 * `cargo install` without `--locked`... Yarn 2+ and pnpm install frozen in CI by default, so their
 * plain installs are not reported.
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    for (const install of model.installs) {
      const verdict = judge(install, model);
      if (!verdict) continue;
      report({
        message: `${install.command.words.join(' ')} in job "${install.job.name}": ${verdict.reason}; ${verdict.fix}`,
        location: install.command.location,
        severity: verdict.severity,
        confidence: verdict.confidence,
        route: `${install.job.name}:${install.command.words.join(' ')}`,
        properties: { manager: install.manager, job: install.job.name },
      });
    }
  },
};

function judge(install: Install, model: DepsModel): { reason: string; fix: string; severity?: Severity; confidence?: 'medium' } | undefined {
  if (install.manager === 'yarn' && install.unlocked && install.kind === 'project') {
    const lock = model.lockfiles.find((l) => l.format === 'yarn.lock' && dirOf(l.repoPath) === install.dir);
    if (lock?.variant === 'berry') return undefined; // Yarn 2+ installs --immutable when CI is set
    return { ...install.unlocked, ...(!lock && { confidence: 'medium' as const }) };
  }
  if ((install.manager === 'pip' || install.manager === 'uv') && install.files.length > 0) {
    if (install.requireHashes) return undefined;
    for (const file of install.files) {
      const lock = model.lockfiles.find((l) => l.repoPath === file);
      if (!lock?.requirements) continue;
      const { unpinned, hashed } = lock.requirements;
      if (unpinned.length > 0) {
        const names = unpinned.slice(0, 3).join(', ') + (unpinned.length > 3 ? ` and ${unpinned.length - 3} more` : '');
        return { reason: `${file} leaves ${names} unpinned, so pip installs whatever versions the index serves at that moment`, fix: 'compile a pinned, hashed file (`pip-compile --generate-hashes` or `uv pip compile --generate-hashes`) and install it with `--require-hashes`' };
      }
      if (!hashed) return { reason: `${file} pins versions but has no hashes, so a replaced or compromised file for a pinned version would still install`, fix: 'add hashes (`pip-compile --generate-hashes`) and install with `--require-hashes`', severity: 'low' };
    }
    return undefined;
  }
  return install.unlocked;
}
