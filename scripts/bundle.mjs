// Bundles the CLI into one file (dist/cli/main.js) so start-up reads one module instead of
// ~400: that is most of the time of a one-file pre-commit audit. The per-module tsc output stays
// beside it for worker threads and for library use. Each module's `import.meta.url` is rewritten
// to the URL its own compiled file has, so `new URL('./README.md', import.meta.url)` and friends
// keep resolving next to that module in dist/.
import { build } from 'esbuild';
import { readdir, readFile, rm } from 'node:fs/promises';
import { relative, resolve, dirname, sep } from 'node:path';

/** Packages loaded from node_modules at run time instead of being bundled (see the comment at build()). */
const EXTERNAL = [
  'typescript',
  'better-sqlite3',
  'pg',
  'pg-native',
  'kysely',
  'fastify',
  'bullmq',
  'ioredis',
  'playwright-core',
  'yauzl',
  '@octokit/*',
];

const root = resolve(import.meta.dirname, '..');
const outfile = resolve(root, 'dist/cli/main.js');

const rewriteMetaUrl = (outfile) => ({
  name: 'module-relative-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const compiled = resolve(root, 'dist', relative(resolve(root, 'src'), args.path)).replace(/\.ts$/, '.js');
        const rel = relative(dirname(outfile), compiled).split(sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
});

// Chunk names carry a content hash: drop the previous build's so stale ones do not pile up.
for (const f of await readdir(dirname(outfile)).catch(() => [])) if (/^chunk-\w+\.js$/.test(f)) await rm(resolve(dirname(outfile), f));

/**
 * `import ts from 'typescript'` loads the compiler with require(): importing a 9 MB CommonJS module
 * from ESM makes Node scan its whole text for export names first, which costs about a second.
 */
const typescriptByRequire = {
  name: 'typescript-by-require',
  setup(b) {
    b.onResolve({ filter: /^typescript$/ }, (args) => (args.namespace === 'ts-shim' ? { path: 'typescript', external: true } : { path: 'typescript', namespace: 'ts-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'ts-shim' }, () => ({
      contents: "import { createRequire } from 'node:module'; export default createRequire(import.meta.url)('typescript');",
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * `yaml` as its ES module build instead of its CommonJS one (what the `node` export condition
 * picks). Measured on the 10,000-file audit corpus (issue 9, bench/RESULTS.md): the CommonJS build
 * reads `process.env.LOG_TOKENS` / `LOG_STREAM` once per token (a slow native getter: ~6% of the
 * whole audit), and esbuild reaches a CommonJS module's exports through getters, so every
 * `isMap`/`isScalar`/`isAlias` call in src/yaml paid a getter (~4%). Both builds are the same
 * source; they differ only in those debug hooks, in binary tags (`!!binary`, YAML 1.1 only: the
 * loaders use the 1.2 core schema) and in how warnings are printed, which is patched back to the
 * Node behaviour (process.emitWarning) so nothing the user sees changes.
 */
const yamlAsEsm = {
  name: 'yaml-as-esm',
  setup(b) {
    const yamlRoot = resolve(root, 'node_modules/yaml');
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: resolve(yamlRoot, 'browser/index.js') }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const patched = text.replace('console.warn(warning);', "if (typeof process.emitWarning === 'function') process.emitWarning(warning); else console.warn(warning);");
      if (patched === text) throw new Error(`yaml-as-esm: ${args.path} changed; check the warning patch`);
      return { contents: patched, loader: 'js' };
    });
  },
};

/** What every bundle shares: ESM for Node 20, dependencies bundled except EXTERNAL. */
const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'bundle',
  // Heavy or native dependencies stay in node_modules and load only when a command imports them
  // (bundling the TypeScript compiler alone would add ~9 MB to every start-up; native addons cannot
  // be bundled). They are runtime dependencies in package.json, so an installed package has them.
  external: EXTERNAL,
  banner: {
    // Bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

await build({
  ...COMMON,
  entryPoints: { main: resolve(root, 'src/cli/main.ts') },
  outdir: dirname(outfile),
  // Each command is imported dynamically; splitting puts it (and the external packages it imports)
  // in its own chunk, so `audit` never loads the TypeScript compiler or a native SQLite addon.
  // Chunks sit beside main.js, so the import.meta.url rewriting below stays right for them too.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [rewriteMetaUrl(outfile), typescriptByRequire, yamlAsEsm],
});

/** One worker thread's entry bundled into one file beside its tsc output. */
async function bundleWorker(entry, out) {
  await build({ ...COMMON, entryPoints: [resolve(root, entry)], outfile: resolve(root, out), plugins: [rewriteMetaUrl(resolve(root, out)), yamlAsEsm] });
}

// The audit's worker thread (src/audit/parallel.ts): a large audit starts one per core,
// and each would otherwise load the ~400 modules of the audit one by one.
await bundleWorker('src/audit/worker.ts', 'dist/audit/worker.bundle.js');

// The secrets scan pool's worker thread (src/secrets/pool.ts): every `secrets` and `scan` run
// starts one, and loading one file instead of the ~100 modules it imports halves what that costs.
await bundleWorker('src/secrets/worker.ts', 'dist/secrets/worker.bundle.js');
