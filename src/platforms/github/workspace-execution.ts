import { commandWords, type ShellCommand } from '../../shell/words.js';
import { normalizeWorkspacePath, OUTSIDE } from './workspace.js';

/* ------------------------------------------------------------------------------------------ */
/* What executes code from the workspace                                                        */
/* ------------------------------------------------------------------------------------------ */

export interface WorkspaceExecution {
  /** Short description for messages, e.g. `npm ci` or `./build.sh`. */
  what: string;
  /** Workspace-relative directories or files whose code runs (never empty; '' is the root). */
  targets: string[];
  /** Offset of the command in the script (run steps only). */
  offset?: number;
}

const NPM_EXEC = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'ic', 'install-clean',
  'isntall-clean', 'install-ci-test', 'cit', 'clean-install-test', 'sit', 'install-test', 'it', 'run', 'run-script', 'rum', 'urn', 'test', 'tst', 't',
  'start', 'stop', 'restart', 'exec', 'x', 'rebuild', 'rb', 'pack', 'publish', 'link', 'ln', 'update', 'up', 'upgrade',
]);
const YARN_SAFE = new Set(['--version', '-v', 'config', 'cache', 'info', 'why', 'global', 'set', 'policies', '--help', '-h', 'help', 'login', 'logout', 'npm', 'dlx', 'licenses', 'list', 'outdated', 'audit']);
const PNPM_SAFE = new Set(['--version', '-v', 'config', 'store', '--help', '-h', 'help', 'view', 'info', 'env', 'setup', 'why', 'list', 'ls', 'outdated', 'audit', 'licenses', 'dlx', 'self-update']);
const ALWAYS_EXEC = new Set([
  'make', 'gmake', 'ninja', 'meson', 'scons', 'just', 'task', 'invoke', 'rake', 'ant', 'sbt', 'mill', 'bazel', 'bazelisk', 'buck', 'buck2',
  'gradle', 'mvn', 'lein', 'tox', 'nox', 'pytest', 'py.test', 'ansible-playbook', 'xcodebuild', 'msbuild', 'rebar3', 'stack', 'dune', 'hatch', 'pdm',
  'pipenv', 'poetry', 'rye', 'pixi', 'turbo', 'nx', 'lerna', 'bats', 'phpunit', 'rspec', 'jest', 'vitest', 'mocha', 'playwright', 'cypress',
]);
const TOOL_SAFE_SUBS = new Set(['--version', '-v', '-V', 'version', '--help', '-h', 'help']);
const INTERPRETERS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'python', 'python2', 'python3', 'node', 'ruby', 'perl', 'php', 'pwsh', 'powershell', 'tsx', 'ts-node', 'Rscript', 'lua', 'groovy']);

/** Value of `-C dir`, `--prefix dir`, `--cwd=dir` style options. */
export function optionValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (n.startsWith('--') && a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

export function looksLikeLocalPath(w: string): boolean {
  if (w.startsWith('-') || w.includes('://') || w.startsWith('git+') || /^[A-Za-z0-9_.-]+(==|>=|<=|~=|@)/.test(w)) return false;
  return w === '.' || w === '..' || w.startsWith('./') || w.startsWith('../') || w.startsWith('${{') || w.startsWith('$GITHUB_WORKSPACE') || /^[\w.-]+\/[\w./-]*$/.test(w);
}

/** First positional word, skipping options and the values of options known to take one. */
function subcommand(args: string[]): string | undefined {
  const withValue = new Set(['-C', '--dir', '--cwd', '--prefix', '--filter', '-F', '--workspace', '-w', '--directory', '--project', '--manifest-path', '-p', '-f', '--file']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) i++;
    else if (!a.startsWith('-') || a === '-v' || a === '--version' || a === '-h' || a === '--help' || a === '-V') return a;
  }
  return undefined;
}

function firstNonOption(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/**
 * Does this simple command run code that comes from the workspace? Returns what runs and where
 * (relative to `cwd`). Package installs of fixed registry names (`pip install requests`,
 * `npm i -g foo`) do not count; installs of the project (`pip install -e .`, `npm ci`) do.
 */
export function executionOf(cmd: ShellCommand, cwd: string): WorkspaceExecution | undefined {
  const w = commandWords(cmd.words);
  if (w.length === 0) return undefined;
  let tool = w[0]!;
  let args = w.slice(1);
  const at = (what: string, ...targets: Array<string | undefined>): WorkspaceExecution => {
    const t = targets.filter((x): x is string => x !== undefined).map((x) => normalizeWorkspacePath(x, cwd));
    return { what, targets: t.length ? t : [cwd], offset: cmd.start };
  };
  const base = tool.replace(/^.*\//, '');
  // A path to a program in the workspace: ./build.sh, scripts/test, $GITHUB_WORKSPACE/x
  if (tool.includes('/') && !tool.startsWith('/') && !tool.startsWith('~') && !/^\$\{?(HOME|RUNNER_TEMP)/.test(tool)) {
    const p = normalizeWorkspacePath(tool, cwd);
    if (p !== OUTSIDE) return { what: tool, targets: [p], offset: cmd.start };
  }
  if (tool === 'source' || tool === '.') {
    const f = args[0];
    return f && !f.startsWith('/') && !f.startsWith('~') && !f.startsWith('$') ? at(`${tool} ${f}`, f) : undefined;
  }
  if (/^python[23]?(\.\d+)?$/.test(base) && args[0] === '-m' && args[1]) {
    const mod = args[1];
    args = args.slice(2);
    if (mod === 'pip') tool = 'pip';
    else if (['pytest', 'tox', 'nox', 'build', 'unittest', 'pre_commit', 'hatch', 'poetry', 'setuptools', 'twine'].includes(mod)) {
      return mod === 'twine' ? undefined : at(`python -m ${mod}`);
    } else return undefined;
  }
  const sub = subcommand(args);
  switch (tool.replace(/^.*\//, '')) {
    case 'npm':
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return sub && NPM_EXEC.has(sub) ? at(`npm ${sub}`, optionValue(args, ['--prefix', '-C'])) : undefined;
    case 'yarn':
      if (sub && YARN_SAFE.has(sub)) return undefined;
      return at(sub ? `yarn ${sub}` : 'yarn', optionValue(args, ['--cwd']));
    case 'pnpm':
      if (sub && PNPM_SAFE.has(sub)) return undefined;
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return at(sub ? `pnpm ${sub}` : 'pnpm', optionValue(args, ['-C', '--dir', '--prefix']));
    case 'bun':
      if (!sub || ['--version', '-v', 'upgrade', 'help', '--help', 'x', 'pm'].includes(sub)) return undefined;
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return at(`bun ${sub}`, optionValue(args, ['--cwd']));
    case 'deno':
      return sub && ['run', 'test', 'task', 'bench', 'install', 'compile'].includes(sub) ? at(`deno ${sub}`) : undefined;
    case 'pip':
    case 'pip3':
    case 'uv':
    case 'pipx': {
      let a = args;
      if (tool.endsWith('uv')) {
        if (sub === 'sync' || sub === 'run' || sub === 'build') return at(`uv ${sub}`, optionValue(args, ['--directory', '--project']));
        if (sub !== 'pip') return undefined;
        a = args.slice(1);
      }
      if (tool === 'pipx') return undefined;
      if (a[0] !== 'install' && a[0] !== 'wheel' && a[0] !== 'download') return undefined;
      const rest = a.slice(1);
      const req = optionValue(rest, ['-r', '--requirement', '-e', '--editable', '-c', '--constraint']);
      const local = rest.filter((x, k) => looksLikeLocalPath(x) && !['-r', '--requirement', '-e', '--editable', '-c', '--constraint'].includes(rest[k - 1] ?? ''));
      if (req !== undefined || local.length > 0) return at(`pip ${a[0]}`, req, ...local);
      return undefined;
    }
    case 'go':
      if (sub && ['run', 'build', 'test', 'generate', 'vet', 'install'].includes(sub)) {
        if (sub === 'install' && args.slice(1).some((x) => /@/.test(x))) return undefined; // go install pkg@version: registry code
        return at(`go ${sub}`, optionValue(args, ['-C']));
      }
      return undefined;
    case 'cargo':
      if (!sub || ['fmt', '--version', '-V', 'search', 'login', 'owner', 'yank', 'help', '--help', 'metadata', 'tree', 'audit', 'deny'].includes(sub)) return undefined;
      if (sub === 'install' && !args.includes('--path')) return undefined;
      return at(`cargo ${sub}`, optionValue(args, ['--manifest-path'])?.replace(/\/?Cargo\.toml$/, '') || undefined);
    case 'bundle':
    case 'bundler':
      return !sub || ['install', 'exec', 'update', 'check'].includes(sub) ? at(`bundle${sub ? ` ${sub}` : ''}`) : undefined;
    case 'gem':
      return sub === 'build' ? at('gem build') : undefined;
    case 'composer':
      return !sub || !['--version', '-V', 'show', 'validate', 'config', 'diagnose', 'about', 'help', 'outdated', 'audit', 'licenses', 'global'].includes(sub)
        ? at(`composer${sub ? ` ${sub}` : ''}`, optionValue(args, ['-d', '--working-dir']))
        : undefined;
    case 'dotnet':
      return sub && ['build', 'test', 'run', 'restore', 'pack', 'publish', 'msbuild', 'format'].includes(sub) ? at(`dotnet ${sub}`) : undefined;
    case 'swift':
      return sub && ['build', 'test', 'run', 'package'].includes(sub) ? at(`swift ${sub}`) : undefined;
    case 'mix':
      return sub && !TOOL_SAFE_SUBS.has(sub) && sub !== 'local.hex' && sub !== 'local.rebar' ? at(`mix ${sub}`) : undefined;
    case 'cabal':
      return sub && ['build', 'test', 'run', 'install', 'bench'].includes(sub) ? at(`cabal ${sub}`) : undefined;
    case 'cmake':
      return args.length > 0 && !TOOL_SAFE_SUBS.has(sub!) ? at('cmake', optionValue(args, ['-S', '--build'])) : undefined;
    case 'terraform':
    case 'tofu':
      return sub && ['init', 'plan', 'apply', 'validate', 'test', 'console'].includes(sub) ? at(`${tool} ${sub}`) : undefined;
    case 'pre-commit':
      return !sub || ['run', 'install-hooks', 'try-repo', 'install'].includes(sub) ? at(`pre-commit${sub ? ` ${sub}` : ''}`) : undefined;
    case 'docker':
    case 'podman': {
      if (sub === 'build') return at(`${tool} build`, firstNonOption(args.slice(1).filter((x, k, arr) => !['-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--label', '--secret', '--cache-from', '--cache-to', '-o', '--output'].includes(arr[k - 1] ?? ''))));
      if (sub === 'buildx' && (args[1] === 'build' || args[1] === 'bake')) return at(`${tool} buildx ${args[1]}`);
      if (sub === 'compose' && ['build', 'up', 'run', 'create'].includes(args[1] ?? '')) return at(`${tool} compose ${args[1]}`);
      return undefined;
    }
    case 'docker-compose':
      return sub && ['build', 'up', 'run', 'create'].includes(sub) ? at(`docker-compose ${sub}`) : undefined;
    case 'buildah':
      return sub === 'bud' || sub === 'build' ? at(`buildah ${sub}`) : undefined;
    default:
      break;
  }
  if (ALWAYS_EXEC.has(base) || /^(mvnw|gradlew)$/.test(base)) {
    if (sub && TOOL_SAFE_SUBS.has(sub)) return undefined;
    return at(`${base}${sub && !sub.startsWith('-') ? ` ${sub}` : ''}`, optionValue(args, ['-C', '--directory', '-p', '--project-dir', '--file', '-f'])?.replace(/\/[^/]*\.(xml|gradle|kts|mk)$/, ''));
  }
  if (INTERPRETERS.has(base) || /^python[23](\.\d+)?$/.test(base)) {
    // `bash -c '...'` is handled by the caller; `python -c/-e` code is inline, not from the workspace.
    if (args.some((a) => a === '-c' || a === '-e' || a === '--eval' || a === '-Command')) return undefined;
    const file = firstNonOption(args);
    if (!file) return cmd.after === '|' ? { what: `| ${base}`, targets: [cwd], offset: cmd.start } : undefined;
    if (file.startsWith('/') || file.startsWith('~') || /^\$\{?(HOME|RUNNER_TEMP)/.test(file) || file === '-') return undefined;
    return at(`${base} ${file}`, file);
  }
  return undefined;
}

/** Inline code of `bash -c '...'` / `sh -c "..."`, analyzed like the script itself. */
export function inlineShell(cmd: ShellCommand): { script: string } | undefined {
  const w = commandWords(cmd.words);
  if (w.length >= 3 && /^(ba|z|da|k)?sh$/.test(w[0]!.replace(/^.*\//, '')) && w.includes('-c')) {
    const script = w[w.indexOf('-c') + 1];
    if (script !== undefined) return { script };
  }
  return undefined;
}
