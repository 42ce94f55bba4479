import type { Scalar } from 'yaml';
import type { RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Entry, GithubModel, Job, Step, Workflow } from '../../../platforms/github/model.js';
import { effectivePermissions, grantedLevel } from '../../../platforms/github/permissions.js';
import { actionName, withText } from '../../../platforms/github/action-inputs.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { ScalarText } from '../../../shell/script.js';
import { envEntry, runStatements, secretsIn, words, type RunStatement } from '../../../platforms/github/supply-chain.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import { loc, related, stepSites, type StepSite } from '../util.js';

/** A registry that accepts OIDC ("trusted") publishing from GitHub Actions, and how to publish there. */
interface Registry {
  name: string;
  /** Env vars the publishing tool reads its token from. */
  tokenEnv: RegExp;
  /** Flags that pass the token (or password) on the command line. */
  tokenFlags: string[];
  /** Flags that select another registry (where trusted publishing may not exist). */
  registryFlags: string[];
  /** Hosts of the public registry: another host means a private registry. */
  hosts: RegExp;
  fix: string;
}

const NPM: Registry = {
  name: 'npm',
  tokenEnv: /^(?:NODE_AUTH_TOKEN|NPM_TOKEN|NPM_AUTH_TOKEN|YARN_NPM_AUTH_TOKEN|NPM_CONFIG__AUTHTOKEN|NPM_CONFIG_TOKEN)$/i,
  tokenFlags: [],
  registryFlags: ['--registry'],
  hosts: /(?:^|\/\/)registry\.(?:npmjs\.org|yarnpkg\.com)\b/i,
  fix: 'configure a trusted publisher for the package on npmjs.com, grant "id-token: write" and run npm publish (npm 11.5+) without the token',
};
const PYPI: Registry = {
  name: 'PyPI',
  tokenEnv: /^(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_PYPI|FLIT_PASSWORD|HATCH_INDEX_AUTH|PDM_PUBLISH_PASSWORD)$/i,
  tokenFlags: ['-p', '--password', '--token', '-t'],
  registryFlags: ['--repository-url', '--publish-url', '--repository', '-r', '--index', '--repo'],
  hosts: /(?:^|\/\/)(?:upload\.)?(?:test\.)?pypi\.org\b|^(?:pypi|testpypi)$/i,
  fix: 'configure a trusted publisher on pypi.org, grant "id-token: write" and publish with pypa/gh-action-pypi-publish (or uv publish) without a password',
};
const CRATES: Registry = {
  name: 'crates.io',
  tokenEnv: /^CARGO_REGISTRY_TOKEN$/i,
  tokenFlags: ['--token'],
  registryFlags: ['--registry', '--index'],
  hosts: /^crates-io$|crates\.io/i,
  fix: 'configure trusted publishing for the crate on crates.io, grant "id-token: write" and get a short-lived token from rust-lang/crates-io-auth-action',
};
const RUBYGEMS: Registry = {
  name: 'RubyGems',
  tokenEnv: /^GEM_HOST_API_KEY$/i,
  tokenFlags: [],
  registryFlags: ['--host'],
  hosts: /rubygems\.org/i,
  fix: 'configure a trusted publisher on rubygems.org, grant "id-token: write" and publish with rubygems/release-gem (or rubygems/configure-rubygems-credentials)',
};

const NUGET: Registry = {
  name: 'NuGet',
  tokenEnv: /^(?:NUGET_API_KEY|NUGET_KEY|NUGET_AUTH_TOKEN|NUGET_TOKEN)$/i,
  tokenFlags: ['--api-key', '-k', '-ApiKey', '-apikey'],
  registryFlags: ['--source', '-s', '-Source', '-source'],
  hosts: /nuget\.org/i,
  fix: 'configure a trusted publishing policy on nuget.org, grant "id-token: write" and get a short-lived API key from NuGet/login',
};

/** Flags that make a publish only rehearse. */
const DRY_RUN = new Set(['--dry-run', '--dryrun', '-n']);

/**
 * Launchers that run the tool named after them: `python -m twine`, `pipx run twine`,
 * `bundle exec gem`, `npx npm`, `bunx npm`. Returns the words from that tool on.
 */
function launched(rest: string[], command: string): string[] | undefined {
  const from = (k: number): string[] | undefined => {
    const j = rest.findIndex((x, idx) => idx >= k && !x.startsWith('-'));
    return j === -1 ? undefined : rest.slice(j);
  };
  if (/^(?:python[\d.]*|py)$/.test(command)) {
    const m = rest.indexOf('-m');
    return m === -1 ? undefined : from(m + 1);
  }
  if (command === 'pipx' || command === 'bundle' || command === 'uvx') {
    const verb = rest.find((x) => !x.startsWith('-'));
    if (command === 'uvx') return from(0);
    return (command === 'pipx' && verb === 'run') || (command === 'bundle' && verb === 'exec') ? from(rest.indexOf(verb) + 1) : undefined;
  }
  if (command === 'npx' || command === 'bunx' || command === 'pnpx') return from(0);
  return undefined;
}

/** Which registry a command publishes to, from its pipeline segment words. */
function publishCommand(w: string[], command: string, depth = 0): Registry | undefined {
  const i = w.findIndex((x) => x.replace(/^.*\//, '').toLowerCase() === command);
  const raw = w.slice(i + 1);
  const inner = depth < 2 ? launched(raw, command) : undefined;
  if (inner) return publishCommand(inner, inner[0]!.replace(/^.*\//, '').replace(/@[^/]*$/, '').toLowerCase(), depth + 1);
  // `cargo +nightly publish`: a toolchain, not the subcommand.
  const rest = raw.map((x) => x.toLowerCase()).filter((x) => !x.startsWith('+'));
  if (rest.some((x) => DRY_RUN.has(x))) return undefined;
  const sub = rest.find((x) => !x.startsWith('-'));
  switch (command) {
    case 'npm':
    case 'pnpm':
    case 'bun':
      return sub === 'publish' ? NPM : undefined;
    case 'nuget':
      return sub === 'push' ? NUGET : undefined;
    case 'dotnet':
      return sub === 'nuget' && rest[rest.indexOf('nuget') + 1] === 'push' ? NUGET : undefined;
    case 'yarn':
      return sub === 'publish' || (sub === 'npm' && rest.includes('publish')) ? NPM : undefined;
    case 'twine':
      return sub === 'upload' ? PYPI : undefined;
    case 'uv':
    case 'poetry':
    case 'flit':
    case 'pdm':
      return sub === 'publish' ? PYPI : undefined;
    case 'hatch':
      return sub === 'publish' ? PYPI : undefined;
    case 'cargo':
      return sub === 'publish' ? CRATES : undefined;
    case 'gem':
      return sub === 'push' ? RUBYGEMS : undefined;
    default:
      return undefined;
  }
}

/** Value of `--flag value` or `--flag=value`. */
function flagValue(w: string[], flags: string[]): string | undefined {
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    for (const f of flags) {
      if (x === f) return w[i + 1] ?? '';
      if (x.startsWith(`${f}=`)) return x.slice(f.length + 1);
    }
  }
  return undefined;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'use-trusted-publishing',
    title: 'Package published with a long-lived token where trusted publishing exists',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-522'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      const { step } = site;
      if (actionName(step) === 'pypa/gh-action-pypi-publish') checkPypiAction(site, report);
      if (step.run && typeof step.run.value === 'string') checkRun(site, step.run, report);
    }
  },
};

function who(site: StepSite): string {
  return `${stepName(site.step)}${site.job ? ` of job "${site.job.id}"` : ''}`;
}

type Report = Parameters<Rule<GithubModel>['check']>[1];

function checkPypiAction(site: StepSite, report: Report): void {
  const { step } = site;
  const password = step.with.find((w) => w.key === 'password');
  const secrets = secretsIn(password?.text);
  if (!password || secrets.length === 0) return;
  const repo = withText(step, 'repository-url') ?? withText(step, 'repository_url');
  if (repo !== undefined && !repo.includes('${{') && !PYPI.hosts.test(repo)) return; // a private index
  report({
    message: `${who(site)} publishes to PyPI with the long-lived token ${secrets[0]} as "password"; ${PYPI.fix}`,
    location: loc(site.source, password.keyNode),
    route: `${site.route}.with.password:${secrets[0]}`,
  });
}

function checkRun(site: StepSite, run: Scalar, report: Report): void {
  const { step } = site;
  const dialect = dialectOf(step, site.job, site.workflow);
  if (dialect === 'other') return;
  const statements = runStatements(String(run.value), dialect);
  const levels = site.scope.env;
  let text: ScalarText | undefined;
  statements.forEach((rs, index) => {
    for (const seg of rs.segments) {
      const w = words(seg.text);
      const registry = publishCommand(w, seg.command);
      if (!registry) continue;
      const other = flagValue(w, registry.registryFlags);
      if (other !== undefined && !other.includes('${{') && !registry.hosts.test(other)) continue;
      if (registry === NPM && npmRegistryElsewhere(site.steps, step, levels)) continue;
      const token = tokenOf(registry, w, seg.text, levels, statements.slice(0, index));
      text ??= new ScalarText(site.source, run);
      if (!token) {
        // No OIDC token can be requested, so whatever this authenticates with is long-lived.
        if (!site.job || !site.workflow || mayMintOidc(site.workflow, site.job)) continue;
        report({
          message: `${who(site)} publishes to ${registry.name} in a job without "id-token: write", so it can only authenticate with a long-lived credential (configured outside this step); ${registry.fix}`,
          location: text.location(rs.statement.start, rs.statement.end),
          confidence: 'medium',
          route: `${site.route}.run:${registry.name}:no-oidc`,
        });
        return;
      }
      const rel: RelatedLocation[] = token.entry ? [related(site.source, token.entry.keyNode, `${token.entry.key} is bound to secret ${token.secret} here`)] : [];
      report({
        message: `${who(site)} publishes to ${registry.name} with the long-lived token ${token.secret}; ${registry.fix}`,
        location: text.location(rs.statement.start, rs.statement.end),
        related: rel,
        route: `${site.route}.run:${registry.name}:${token.secret}`,
      });
      return;
    }
  });
}

/** Whether the job's token can carry `id-token: write` (never by default). */
function mayMintOidc(wf: Workflow, job: Job): boolean {
  const eff = effectivePermissions(wf, job);
  return eff.block !== undefined && grantedLevel(eff.block, 'id-token') !== 'none';
}

/** The secret the publish command authenticates with: an env binding, a flag, or an earlier config line. */
function tokenOf(registry: Registry, w: string[], text: string, levels: readonly Entry[][], earlier: RunStatement[]): { secret: string; entry?: Entry } | undefined {
  const flag = flagValue(w, registry.tokenFlags);
  const inFlag = secretsIn(flag)[0];
  if (inFlag) return { secret: inFlag };
  for (const level of levels) {
    for (const e of level) {
      if (!registry.tokenEnv.test(e.key)) continue;
      const s = secretsIn(e.text).find((x) => x !== 'GITHUB_TOKEN');
      if (s && envEntry(levels, e.key) === e) return { secret: s, entry: e };
    }
  }
  // `npm config set //registry.npmjs.org/:_authToken ${{ secrets.X }}` / `echo ... >> .npmrc` earlier in the script
  if (registry === NPM) {
    for (const rs of earlier) {
      if (!/_authToken/i.test(rs.statement.text)) continue;
      const s = secretsIn(rs.statement.text)[0];
      if (s) return { secret: s };
    }
  }
  const inline = secretsIn(text).find((x) => x !== 'GITHUB_TOKEN');
  return inline ? { secret: inline } : undefined;
}

/** actions/setup-node earlier in the job pointing `registry-url` at another registry (GitHub Packages...). */
function npmRegistryElsewhere(steps: readonly Step[], step: Step, levels: readonly Entry[][]): boolean {
  const setup = steps.filter((s) => s.index < step.index && actionName(s) === 'actions/setup-node').pop();
  const url = setup ? withText(setup, 'registry-url') : undefined;
  if (url !== undefined && !url.includes('${{') && !NPM.hosts.test(url)) return true;
  const env = envEntry(levels, 'NPM_CONFIG_REGISTRY') ?? envEntry(levels, 'npm_config_registry');
  return env?.text !== undefined && !env.text.includes('${{') && !NPM.hosts.test(env.text);
}
