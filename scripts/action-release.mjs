// Builds what a release tag of the GitHub Action points at, and optionally tags it.
//
// A JavaScript action runs from the repository at the ref a workflow pins, with no install step,
// so that ref must hold the built code. Source commits never do (dist/ is generated, and generated
// output is not committed by hand); instead the release workflow runs this script, which lays out
// the npm package exactly as a user installs it (npm pack: dist/, data/, schemas/, package.json,
// README) plus its production node_modules and action.yml, and with --tag writes that tree as one
// commit whose parent is the source commit, tagged vX.Y.Z. Only tags point at such commits.
//
//   npm ci && npm run build
//   node scripts/action-release.mjs OUT_DIR [--offline] [--ignore-scripts] [--tag X.Y.Z]
//
// --offline and --ignore-scripts install dependencies from the local npm cache without running
// install scripts (the tests use them); a release runs without them, on the Node version of the
// Action's runtime (node24), so native addons are built for it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--tag');
const offline = args.includes('--offline');
const ignoreScripts = args.includes('--ignore-scripts');
const tagIndex = args.indexOf('--tag');
const version = tagIndex === -1 ? undefined : args[tagIndex + 1];

function fail(message) {
  process.stderr.write(`action-release: ${message}\n`);
  process.exit(2);
}

if (!out) fail('usage: node scripts/action-release.mjs OUT_DIR [--offline] [--ignore-scripts] [--tag X.Y.Z]');
if (!existsSync(join(root, 'dist/cli/main.js')) || !existsSync(join(root, 'dist/action/main.js'))) fail('run `npm run build` first');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (version !== undefined && version !== pkg.version) fail(`--tag ${version} does not match package.json version ${pkg.version}`);
const outDir = resolve(out);
if (existsSync(outDir) && readdirSync(outDir).length > 0) fail(`${outDir} is not empty`);
mkdirSync(outDir, { recursive: true });

const run = (cmd, argv, cwd, env = {}) => execFileSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, ...env } });

// 1. The package as published: npm pack applies `files` from package.json.
const packDir = mkdtempSync(join(tmpdir(), 'pipewarden-pack-'));
try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], root));
  const tarball = join(packDir, packed[0].filename);
  run('tar', ['-xzf', tarball, '-C', outDir, '--strip-components=1'], root);
  // 2. What the Action adds: its metadata. (The package's npm-shrinkwrap.json pins dependencies.)
  copyFileSync(join(root, 'action.yml'), join(outDir, 'action.yml'));
  copyFileSync(tarball, join(outDir, '..', packed[0].filename));
  process.stdout.write(`${join(outDir, '..', packed[0].filename)}\n`);
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

// 3. Production dependencies, at release time: nothing is installed when a job runs the Action.
const npmArgs = ['ci', '--omit=dev', '--no-audit', '--no-fund', ...(offline ? ['--offline'] : []), ...(ignoreScripts ? ['--ignore-scripts'] : [])];
run('npm', npmArgs, outDir);

// 4. With --tag: one commit holding exactly this tree, child of the source commit, tagged vX.Y.Z.
if (version !== undefined) {
  const index = join(mkdtempSync(join(tmpdir(), 'pipewarden-index-')), 'index');
  const git = (argv) => run('git', argv, root, { GIT_INDEX_FILE: index }).trim();
  const source = git(['rev-parse', 'HEAD']);
  // -f: node_modules and dist are ignored in the source tree, but they are the point here.
  git(['--work-tree', outDir, 'add', '--all', '--force', '.']);
  const tree = git(['write-tree']);
  const commit = git(['commit-tree', tree, '-p', source, '-m', `pipewarden ${version}: the built Action\n\nSource: ${source}`]);
  git(['tag', '-a', `v${version}`, commit, '-m', `pipewarden ${version}`]);
  rmSync(index, { force: true });
  process.stdout.write(`v${version} ${commit}\n`);
}
