import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import { describePrivileges, powerfulPrivileges } from '../ci-link.js';
import { dirOf } from '../../paths.js';
import { depsMeta } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'install-scripts-in-privileged-job', title: 'Dependency install scripts run in a job that holds secrets', severity: 'high', confidence: 'high', owasp: ['CICD-SEC-3', 'CICD-SEC-6'], cwe: ['CWE-829'] },
  new URL('./README.md', import.meta.url),
);


/**
 * `npm ci`/`npm install`/`yarn install` run every dependency's preinstall/install/postinstall
 * script: the way the Shai-Hulud worm and the nx compromise ran. In a job that holds publishing
 * credentials, write tokens or OIDC token access, one malicious release can steal or use them.
 * pnpm (10+) and Bun do not run dependency scripts unless allowed, so their installs are not reported;
 * neither are installs with `--ignore-scripts` or under an `.npmrc`/`.yarnrc.yml` that disables scripts.
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    for (const install of model.installs) {
      if (!install.runsScripts || install.kind === 'tool') continue;
      const privileges = install.job.privileges;
      if (privileges.length === 0) continue;
      const disabled = model.scriptsDisabled?.(install.manager, install.dir) ?? false;
      if (disabled) continue;
      const powerful = powerfulPrivileges(privileges);
      const held = describePrivileges(powerful.length > 0 ? powerful : privileges);
      const flag = install.manager === 'yarn' ? 'set `enableScripts: false` in .yarnrc.yml (Yarn 2+) or pass `--ignore-scripts` (Yarn 1)' : 'add `--ignore-scripts`';
      report({
        message: `${install.command.words.join(' ')} runs the install scripts of every dependency in job "${install.job.name}", which holds ${held}; ${flag} and run the few scripts you need explicitly, or install in a job without credentials`,
        location: install.command.location,
        severity: powerful.length > 0 ? 'high' : 'medium',
        route: `${install.job.name}:${install.command.words.join(' ')}`,
        properties: { manager: install.manager, job: install.job.name, privileges: held, dir: install.dir || dirOf('') },
      });
    }
  },
};
