import type { Ecosystem } from '../model.js';
import type { CiCommand, CiJob } from './model.js';
import { joinDir } from '../paths.js';

export type Manager = 'npm' | 'yarn' | 'pnpm' | 'bun' | 'pip' | 'uv' | 'poetry' | 'pipenv' | 'go' | 'cargo' | 'bundler' | 'gem' | 'composer' | 'dotnet';

/** One package-manager command in a CI job, read for what it installs and how. */
export interface Install {
  job: CiJob;
  command: CiCommand;
  manager: Manager;
  ecosystem: Ecosystem;
  /** `project`: the project's dependencies (from its lockfile when locked); `packages`: named packages; `tool`: a global tool. */
  kind: 'project' | 'packages' | 'tool';
  /** Repository-relative folder of the project it installs. */
  dir: string;
  /** Requirement files named with `-r` (pip), repository-relative. */
  files: string[];
  /** Named packages without an exact version (for `packages` and `tool` installs). */
  floating: string[];
  /** Why the command may install versions the lockfile does not pin, when it does. */
  unlocked?: { reason: string; fix: string };
  /** Dependencies' lifecycle scripts (preinstall/install/postinstall) run during this command. */
  runsScripts: boolean;
  /** pip `--require-hashes`: every requirement must carry a hash. */
  requireHashes?: boolean;
}

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);


function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

function has(args: string[], ...flags: string[]): boolean {
  return args.some((a) => flags.includes(a) || flags.some((f) => a.startsWith(`${f}=`) && !/=(false|0)$/i.test(a)));
}

/** Positional arguments (not flags, not the values of flags that take one). */
function positionals(args: string[], valued: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      if (valued.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function envSays(command: CiCommand, name: string): boolean {
  return command.env.some((e) => e.toLowerCase() === name.toLowerCase());
}

/** Strips `python -m`, `python3 -m`, `py -m` in front of pip. */
function normalize(words: string[]): string[] {
  if (/^(?:python[\d.]*|py)$/.test(words[0] ?? '') && words[1] === '-m') return words.slice(2);
  if (/^pip[\d.]*$/.test(words[0] ?? '')) return ['pip', ...words.slice(1)];
  if (words[0] === 'corepack' && words[1] && /^(?:yarn|pnpm)$/.test(words[1])) return words.slice(1);
  return words;
}

/** Classifies one command; undefined when it is not a package installation. */
export function classifyInstall(job: CiJob, command: CiCommand): Install | undefined {
  const words = normalize(command.words);
  const [tool, sub, ...rest] = words;
  const args = sub === undefined ? [] : [sub, ...rest];
  const base = { job, command, files: [] as string[], floating: [] as string[] };
  const at = (dir: string | undefined): string => joinDir(command.cwd, dir);
  switch (tool) {
    case 'npm': {
      const prefix = flagValue(args, ['--prefix', '-C']);
      const ignore = has(args, '--ignore-scripts') || envSays(command, 'npm_config_ignore_scripts');
      const common = { ...base, manager: 'npm' as const, ecosystem: 'npm' as const, dir: at(prefix), runsScripts: !ignore };
      if (sub === 'ci' || sub === 'clean-install' || sub === 'install-clean' || sub === 'ic') return { ...common, kind: 'project' };
      if (sub === 'update' || sub === 'up' || sub === 'upgrade') {
        return { ...common, kind: 'project', unlocked: { reason: '`npm update` installs the newest versions the ranges in package.json allow and rewrites package-lock.json', fix: 'update dependencies in a pull request (Dependabot/Renovate) and run `npm ci` in CI' } };
      }
      if (sub === undefined || !NPM_INSTALL.has(sub)) return undefined;
      const pkgs = positionals(rest, ['--prefix', '-C', '--registry', '--tag', '--omit', '--include', '--workspace', '-w']);
      const global = has(rest, '-g', '--global', '--location=global');
      if (pkgs.length === 0) {
        return { ...common, kind: 'project', unlocked: { reason: '`npm install` resolves the ranges in package.json and may update package-lock.json instead of installing exactly what it pins', fix: 'use `npm ci`, which installs the lockfile exactly and fails when it is out of date' } };
      }
      const floating = pkgs.filter((p) => !isExactNpmSpec(p));
      return {
        ...common,
        kind: global ? 'tool' : 'packages',
        floating,
        ...(floating.length > 0 && { unlocked: { reason: `\`npm ${sub}\` of ${floating.map((f) => `\`${f}\``).join(', ')} installs whatever version the registry serves at that moment`, fix: 'pin an exact version (`name@1.2.3`), or add it to package.json and the lockfile' } }),
      };
    }
    case 'yarn': {
      const cwd = flagValue(args, ['--cwd']);
      const common = { ...base, manager: 'yarn' as const, ecosystem: 'npm' as const, dir: at(cwd), runsScripts: !has(args, '--ignore-scripts') && !envSays(command, 'YARN_ENABLE_SCRIPTS') };
      if (sub === undefined || sub === 'install' || (sub.startsWith('-') && sub !== '--version' && sub !== '-v')) {
        const frozen = has(args, '--frozen-lockfile', '--immutable', '--pure-lockfile') || envSays(command, 'YARN_ENABLE_IMMUTABLE_INSTALLS');
        return { ...common, kind: 'project', ...(!frozen && { unlocked: { reason: '`yarn install` without `--frozen-lockfile` (Yarn 1) or `--immutable` may update yarn.lock instead of failing when it is out of date', fix: 'use `yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` (Yarn 2+)' } }) };
      }
      if (sub === 'upgrade' || sub === 'up') return { ...common, kind: 'project', unlocked: { reason: '`yarn upgrade` moves dependencies to newer versions and rewrites yarn.lock', fix: 'update dependencies in a pull request and install with `--frozen-lockfile`/`--immutable` in CI' } };
      if (sub === 'add' || (sub === 'global' && rest[0] === 'add')) {
        const pkgs = positionals(sub === 'global' ? rest.slice(1) : rest, ['--cwd']);
        const floating = pkgs.filter((p) => !isExactNpmSpec(p));
        return { ...common, kind: sub === 'global' ? 'tool' : 'packages', floating, ...(floating.length > 0 && { unlocked: { reason: `\`yarn add\` of ${floating.map((f) => `\`${f}\``).join(', ')} installs whatever version the registry serves at that moment`, fix: 'pin an exact version, or add it to package.json and the lockfile' } }) };
      }
      return undefined;
    }
    case 'pnpm': {
      const dir = flagValue(args, ['--dir', '-C', '--prefix']);
      // pnpm 10 runs no dependency lifecycle scripts unless allowed (onlyBuiltDependencies).
      const common = { ...base, manager: 'pnpm' as const, ecosystem: 'npm' as const, dir: at(dir), runsScripts: false };
      if (sub === 'install' || sub === 'i' || sub === undefined) {
        const unfrozen = has(args, '--no-frozen-lockfile', '--fix-lockfile');
        return { ...common, kind: 'project', ...(unfrozen && { unlocked: { reason: '`--no-frozen-lockfile` lets pnpm resolve new versions instead of failing on an outdated lockfile', fix: 'drop `--no-frozen-lockfile`: pnpm installs the lockfile exactly in CI by default' } }) };
      }
      if (sub === 'update' || sub === 'up') return { ...common, kind: 'project', unlocked: { reason: '`pnpm update` moves dependencies to newer versions and rewrites the lockfile', fix: 'update dependencies in a pull request and use `pnpm install --frozen-lockfile` in CI' } };
      if (sub === 'add') {
        const floating = positionals(rest, ['--dir', '-C', '--filter']).filter((p) => !isExactNpmSpec(p));
        return { ...common, kind: has(rest, '-g', '--global') ? 'tool' : 'packages', floating, ...(floating.length > 0 && { unlocked: { reason: `\`pnpm add\` of ${floating.map((f) => `\`${f}\``).join(', ')} installs whatever version the registry serves at that moment`, fix: 'pin an exact version, or add it to package.json and the lockfile' } }) };
      }
      return undefined;
    }
    case 'bun': {
      const common = { ...base, manager: 'bun' as const, ecosystem: 'npm' as const, dir: at(flagValue(args, ['--cwd'])), runsScripts: false };
      if (sub === 'install' || sub === 'i') {
        const frozen = has(args, '--frozen-lockfile', '--ci');
        return { ...common, kind: 'project', ...(!frozen && { unlocked: { reason: '`bun install` without `--frozen-lockfile` may update bun.lock instead of failing when it is out of date', fix: 'use `bun install --frozen-lockfile` (or `bun ci`)' } }) };
      }
      if (sub === 'ci') return { ...common, kind: 'project' };
      return undefined;
    }
    case 'pip':
      return classifyPip(base, command, args, 'pip', at);
    case 'uv': {
      if (sub === 'pip' && rest[0] === 'install') return classifyPip(base, command, ['install', ...rest.slice(1)], 'uv', at);
      const common = { ...base, manager: 'uv' as const, ecosystem: 'PyPI' as const, dir: at(flagValue(args, ['--directory', '--project'])), runsScripts: false };
      if (sub === 'sync') {
        const locked = has(args, '--locked', '--frozen') || envSays(command, 'UV_LOCKED') || envSays(command, 'UV_FROZEN');
        return { ...common, kind: 'project', ...(!locked && { unlocked: { reason: '`uv sync` without `--locked` re-resolves and rewrites uv.lock when it does not match pyproject.toml', fix: 'use `uv sync --locked` so an outdated lockfile fails the job' } }) };
      }
      if (sub === 'tool' && rest[0] === 'install') {
        const floating = positionals(rest.slice(1), ['--python', '--with', '--index-url']).filter((p) => !/==/.test(p));
        return { ...common, kind: 'tool', floating, ...(floating.length > 0 && { unlocked: { reason: `\`uv tool install\` of ${floating.map((f) => `\`${f}\``).join(', ')} installs whatever version the index serves at that moment`, fix: 'pin the version: `uv tool install name==1.2.3`' } }) };
      }
      return undefined;
    }
    case 'poetry': {
      const common = { ...base, manager: 'poetry' as const, ecosystem: 'PyPI' as const, dir: at(flagValue(args, ['--directory', '-C'])), runsScripts: false };
      if (sub === 'install') return { ...common, kind: 'project' };
      if (sub === 'update' || sub === 'lock') return { ...common, kind: 'project', unlocked: { reason: `\`poetry ${sub}\` re-resolves dependencies in CI instead of installing poetry.lock`, fix: 'update dependencies in a pull request and run `poetry install` in CI' } };
      return undefined;
    }
    case 'pipenv': {
      const common = { ...base, manager: 'pipenv' as const, ecosystem: 'PyPI' as const, dir: command.cwd, runsScripts: false };
      if (sub === 'sync') return { ...common, kind: 'project' };
      if (sub === 'install' && positionals(rest, []).length === 0) {
        const strict = has(args, '--deploy', '--ignore-pipfile');
        return { ...common, kind: 'project', ...(!strict && { unlocked: { reason: '`pipenv install` re-locks when Pipfile.lock is out of date instead of failing', fix: 'use `pipenv install --deploy` (or `pipenv sync`)' } }) };
      }
      return undefined;
    }
    case 'go': {
      const common = { ...base, manager: 'go' as const, ecosystem: 'Go' as const, dir: command.cwd, runsScripts: false };
      if (sub === 'install' || sub === 'run') {
        const targets = positionals(rest, ['-o', '-tags', '-ldflags', '-gcflags']).filter((t) => t.includes('@'));
        const floating = targets.filter((t) => /@(latest|master|main|HEAD|upgrade|patch)$/.test(t));
        if (targets.length === 0) return { ...common, kind: 'project' };
        return { ...common, kind: 'tool', floating, ...(floating.length > 0 && { unlocked: { reason: `\`go ${sub}\` of ${floating.map((f) => `\`${f}\``).join(', ')} builds whatever the module's newest version is at that moment`, fix: 'pin a version (`@v1.2.3`) or track the tool in go.mod with a `tool` directive' } }) };
      }
      if (sub === 'build' || sub === 'test' || sub === 'vet' || sub === 'generate' || (sub === 'mod' && rest[0] === 'download')) return { ...common, kind: 'project' };
      return undefined;
    }
    case 'cargo': {
      const common = { ...base, manager: 'cargo' as const, ecosystem: 'crates.io' as const, dir: command.cwd, runsScripts: false };
      if (sub === 'install') {
        const locked = has(args, '--locked');
        const names = positionals(rest, ['--version', '--git', '--branch', '--tag', '--rev', '--path', '--root', '--target', '--features', '-F']);
        return { ...common, kind: 'tool', floating: locked ? [] : names, ...(!locked && names.length > 0 && { unlocked: { reason: '`cargo install` without `--locked` ignores the crate\'s Cargo.lock and resolves its dependencies anew', fix: 'add `--locked` (and `--version` for a fixed release)' } }) };
      }
      if (sub === 'update') return { ...common, kind: 'project', unlocked: { reason: '`cargo update` moves dependencies to newer versions in CI', fix: 'update Cargo.lock in a pull request' } };
      if (sub === 'build' || sub === 'test' || sub === 'run' || sub === 'fetch') return { ...common, kind: 'project' };
      return undefined;
    }
    case 'bundle': {
      const common = { ...base, manager: 'bundler' as const, ecosystem: 'RubyGems' as const, dir: command.cwd, runsScripts: false };
      if (sub === 'install' || sub === undefined) {
        const frozen = has(args, '--frozen', '--deployment') || envSays(command, 'BUNDLE_FROZEN') || envSays(command, 'BUNDLE_DEPLOYMENT');
        return { ...common, kind: 'project', ...(!frozen && { unlocked: { reason: '`bundle install` re-resolves and rewrites Gemfile.lock when the Gemfile changed', fix: 'set `BUNDLE_FROZEN=true` (or `bundle config set frozen true`) in CI' } }) };
      }
      if (sub === 'update') return { ...common, kind: 'project', unlocked: { reason: '`bundle update` moves gems to newer versions in CI', fix: 'update Gemfile.lock in a pull request' } };
      return undefined;
    }
    case 'gem': {
      if (sub !== 'install') return undefined;
      const pinned = has(args, '-v', '--version') || rest.some((a) => /:\d/.test(a));
      const names = positionals(rest, ['-v', '--version', '--source', '-s']);
      return { ...base, manager: 'gem', ecosystem: 'RubyGems', dir: command.cwd, kind: 'tool', runsScripts: false, floating: pinned ? [] : names, ...(!pinned && names.length > 0 && { unlocked: { reason: `\`gem install\` of ${names.map((f) => `\`${f}\``).join(', ')} installs whatever version rubygems.org serves at that moment`, fix: 'pin it: `gem install name -v 1.2.3`' } }) };
    }
    case 'composer': {
      const common = { ...base, manager: 'composer' as const, ecosystem: 'Packagist' as const, dir: at(flagValue(args, ['--working-dir', '-d'])), runsScripts: false };
      if (sub === 'install' || sub === 'i') return { ...common, kind: 'project' };
      if (sub === 'update' || sub === 'u' || sub === 'upgrade') return { ...common, kind: 'project', unlocked: { reason: '`composer update` re-resolves dependencies and rewrites composer.lock in CI', fix: 'run `composer install`, which installs composer.lock exactly' } };
      return undefined;
    }
    case 'dotnet': {
      if (sub !== 'restore') return undefined;
      const locked = has(args, '--locked-mode') || envSays(command, 'RestoreLockedMode');
      return { ...base, manager: 'dotnet', ecosystem: 'NuGet', dir: command.cwd, kind: 'project', runsScripts: false, ...(!locked && { unlocked: { reason: '`dotnet restore` without `--locked-mode` updates packages.lock.json instead of failing when it is out of date', fix: 'use `dotnet restore --locked-mode`' } }) };
    }
    default:
      return undefined;
  }
}

function classifyPip(base: { job: CiJob; command: CiCommand; files: string[]; floating: string[] }, command: CiCommand, args: string[], manager: 'pip' | 'uv', at: (d: string | undefined) => string): Install | undefined {
  if (args[0] !== 'install') return undefined;
  const rest = args.slice(1);
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if ((a === '-r' || a === '--requirement') && rest[i + 1]) files.push(at(rest[++i]));
    else if (a.startsWith('--requirement=')) files.push(at(a.slice(14)));
    else if (a.startsWith('-r') && a.length > 2) files.push(at(a.slice(2)));
  }
  const hashes = has(rest, '--require-hashes');
  const names = positionals(rest, ['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--python', '--trusted-host', '--upgrade-strategy', '--only-binary', '--no-binary', '--platform', '-e', '--editable'])
    .filter((p) => !/^(?:\.|\/|[a-z+]+:\/\/)/.test(p) && !/\.(?:whl|tar\.gz|zip)$/.test(p));
  // `--no-index` installs only from local files (a wheel just built); a constraints file pins; a `$VAR` name is unknown.
  const local = has(rest, '--no-index');
  const constrained = has(rest, '-c', '--constraint');
  const floating = constrained || local ? [] : names.filter((n) => !n.includes('$') && (!/===?[^=*]+$/.test(n) || n.includes('*')));
  const common = { ...base, manager, ecosystem: 'PyPI' as const, dir: command.cwd, files, runsScripts: false, requireHashes: hashes };
  if (files.length > 0) return { ...common, kind: 'project', floating };
  if (names.length === 0) return undefined;
  return {
    ...common,
    kind: 'packages',
    floating,
    ...(floating.length > 0 && { unlocked: { reason: `\`pip install\` of ${floating.map((f) => `\`${f}\``).join(', ')} installs whatever version the index serves at that moment, with unpinned dependencies`, fix: 'install from a requirements file pinned with hashes (`pip-compile --generate-hashes`) and `--require-hashes`, or pin `name==1.2.3`' } }),
  };
}

/** `name@1.2.3` or `@scope/name@1.2.3`: an exact registry version. */
function isExactNpmSpec(spec: string): boolean {
  const i = spec.indexOf('@', 1);
  if (i === -1) return /^(?:\.|\/|file:|git[+:]|https?:)/.test(spec);
  return /^v?\d+\.\d+\.\d+(?:-[\w.-]+)?$/.test(spec.slice(i + 1));
}

export function installsOf(jobs: CiJob[]): Install[] {
  const out: Install[] = [];
  for (const job of jobs) for (const c of job.commands) {
    const i = classifyInstall(job, c);
    if (i) out.push(i);
  }
  return out;
}
