/**
 * Loads the scanned code as one TypeScript program: JS and TS, JSX/TSX, CommonJS and ESM. The
 * compiler is used to parse and bind (scopes, symbols); module resolution is TypeScript's own
 * (relative imports, index files, tsconfig `paths`/`baseUrl`) but confined to the scanned files:
 * nothing under node_modules and nothing outside the tree is ever read, and no code is run.
 */
import { dirname, join, posix } from 'node:path';
import ts from 'typescript';
import type { Diagnostic } from '../core/finding.js';
import type { SourceText } from './tree.js';

export type { SourceText } from './tree.js';

export interface LoadedProgram {
  root: string;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The project's own files, in path order. */
  files: ts.SourceFile[];
  relOf(sf: ts.SourceFile): string;
  textOf(rel: string): string | undefined;
  /** A module specifier seen from a file: the project file it names, or undefined (a package). */
  resolve(specifier: string, from: ts.SourceFile): ts.SourceFile | undefined;
  /** Declared dependency version ranges from package.json files. */
  dependencies: Map<string, string>;
}

/**
 * Builds the program from in-memory texts (the tree reader's output, or test fixtures). Paths are
 * relative; the program sees them under `root` (which need not exist for fixtures).
 */
export function loadProgram(root: string, sources: readonly SourceText[], configs: readonly SourceText[], diag: (d: Diagnostic) => void): LoadedProgram {
  const byAbs = new Map<string, SourceText>();
  const abs = (rel: string): string => join(root, rel).split('\\').join('/');
  for (const s of sources) byAbs.set(abs(s.rel), s);
  const configByAbs = new Map(configs.map((c) => [abs(c.rel), c]));
  const dirs = new Set<string>();
  for (const p of [...byAbs.keys(), ...configByAbs.keys()]) for (let d = dirname(p); !dirs.has(d) && d !== dirname(d); d = dirname(d)) dirs.add(d);

  const tsconfigs = new Map<string, ts.CompilerOptions>();
  for (const c of configs) {
    const base = posix.basename(c.rel);
    if (base !== 'tsconfig.json' && base !== 'jsconfig.json') continue;
    const options = parseTsconfig(abs(c.rel), configByAbs, diag, c.rel);
    if (options) tsconfigs.set(dirname(abs(c.rel)), options);
  }
  const baseOptions: ts.CompilerOptions = {
    allowJs: true,
    checkJs: false,
    noLib: true,
    // Newest syntax: no "only available when targeting ES2018" errors on code that is fine.
    target: ts.ScriptTarget.ESNext,
    noEmit: true,
    types: [],
    jsx: ts.JsxEmit.Preserve,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    resolveJsonModule: false,
    allowNonTsExtensions: true,
    experimentalDecorators: true,
  };
  const optionsFor = (file: string): ts.CompilerOptions => {
    for (let d = dirname(file); ; d = dirname(d)) {
      const o = tsconfigs.get(d);
      if (o) return { ...baseOptions, ...pickResolution(o) };
      if (d === dirname(d) || d.length < root.length) return baseOptions;
    }
  };
  // Resolution sees only the scanned files: packages stay unresolved (they are modelled by name).
  const resolutionHost: ts.ModuleResolutionHost = {
    fileExists: (p) => byAbs.has(p),
    readFile: (p) => byAbs.get(p)?.text ?? configByAbs.get(p)?.text,
    directoryExists: (p) => dirs.has(p.replace(/\/$/, '')),
    realpath: (p) => p,
    getCurrentDirectory: () => root,
    getDirectories: () => [],
  };
  const cache = ts.createModuleResolutionCache(root, (s) => s, baseOptions);
  const resolveCache = new Map<string, string | undefined>();
  const resolveAbs = (specifier: string, containing: string): string | undefined => {
    const key = `${dirname(containing)}\0${specifier}`;
    if (resolveCache.has(key)) return resolveCache.get(key);
    let out: string | undefined;
    if (!/^(?:node:|[a-z]+:\/\/)/.test(specifier)) {
      const r = ts.resolveModuleName(specifier, containing, optionsFor(containing), resolutionHost, cache).resolvedModule;
      if (r && byAbs.has(r.resolvedFileName) && !r.resolvedFileName.includes('/node_modules/')) out = r.resolvedFileName;
    }
    resolveCache.set(key, out);
    return out;
  };

  const host: ts.CompilerHost = {
    getSourceFile: (fileName, languageVersion) => {
      const s = byAbs.get(fileName);
      if (!s) return undefined;
      return ts.createSourceFile(fileName, s.text, languageVersion, true, scriptKind(fileName, s.kind));
    },
    getDefaultLibFileName: () => '/__no_lib__.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (p) => byAbs.has(p),
    readFile: (p) => byAbs.get(p)?.text,
    directoryExists: (p) => dirs.has(p.replace(/\/$/, '')),
    getDirectories: () => [],
    resolveModuleNameLiterals: (literals, containingFile) =>
      literals.map((lit) => {
        const r = resolveAbs(lit.text, containingFile);
        return { resolvedModule: r ? { resolvedFileName: r, extension: extensionOf(r), isExternalLibraryImport: false } : undefined };
      }),
  };
  const program = ts.createProgram({ rootNames: [...byAbs.keys()].sort(), options: baseOptions, host });
  const checker = program.getTypeChecker();
  const files = [...byAbs.keys()]
    .sort()
    .map((p) => program.getSourceFile(p))
    .filter((f): f is ts.SourceFile => f !== undefined);
  const relByFile = new Map<ts.SourceFile, string>(files.map((f) => [f, byAbs.get(f.fileName)!.rel]));
  const textByRel = new Map(sources.map((s) => [s.rel, s.text]));
  return {
    root,
    program,
    checker,
    files,
    relOf: (sf) => relByFile.get(sf) ?? sf.fileName,
    textOf: (rel) => textByRel.get(rel),
    resolve: (specifier, from) => {
      const r = resolveAbs(specifier, from.fileName);
      return r ? program.getSourceFile(r) : undefined;
    },
    dependencies: readDependencies(configs),
  };
}

function scriptKind(fileName: string, kind?: SourceText['kind']): ts.ScriptKind {
  if (kind) return { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JSX, jsx: ts.ScriptKind.JSX }[kind];
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  // JSX is allowed in .js files too (React projects use it freely).
  return ts.ScriptKind.JSX;
}

function extensionOf(file: string): ts.Extension {
  const m = /\.(d\.ts|tsx|ts|mts|cts|jsx|js|mjs|cjs)$/.exec(file);
  const map: Record<string, ts.Extension> = { ts: ts.Extension.Ts, tsx: ts.Extension.Tsx, mts: ts.Extension.Mts, cts: ts.Extension.Cts, js: ts.Extension.Js, jsx: ts.Extension.Jsx, mjs: ts.Extension.Mjs, cjs: ts.Extension.Cjs };
  return map[m?.[1] ?? 'js'] ?? ts.Extension.Js;
}

/** Only the options that decide how imports resolve; the rest of a project's tsconfig is irrelevant here. */
function pickResolution(o: ts.CompilerOptions): ts.CompilerOptions {
  const out: ts.CompilerOptions = {};
  if (o.baseUrl) out.baseUrl = o.baseUrl;
  if (o.paths) out.paths = o.paths;
  if (o.rootDirs) out.rootDirs = o.rootDirs;
  if (o.pathsBasePath) out.pathsBasePath = o.pathsBasePath;
  return out;
}

function parseTsconfig(path: string, configs: Map<string, SourceText>, diag: (d: Diagnostic) => void, rel: string): ts.CompilerOptions | undefined {
  const read = (p: string): string | undefined => configs.get(p)?.text;
  const json = ts.parseConfigFileTextToJson(path, read(path) ?? '{}');
  if (json.error) {
    diag({ level: 'warning', file: rel, message: `cannot parse: ${ts.flattenDiagnosticMessageText(json.error.messageText, ' ')}; import paths it defines are not resolved` });
    return undefined;
  }
  const parseHost: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [],
    fileExists: (p) => configs.has(p),
    readFile: read,
  };
  // `files`/`include` are irrelevant (every scanned file is in the program); only compilerOptions matter.
  const parsed = ts.parseJsonConfigFileContent({ ...json.config, files: [], include: [] }, parseHost, dirname(path), undefined, path);
  return parsed.options;
}

function readDependencies(configs: readonly SourceText[]): Map<string, string> {
  const deps = new Map<string, string>();
  for (const c of configs) {
    if (posix.basename(c.rel) !== 'package.json') continue;
    try {
      const pkg = JSON.parse(c.text) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const d = pkg[field];
        if (d && typeof d === 'object') for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && !deps.has(k)) deps.set(k, v);
      }
    } catch {
      // A broken package.json only costs version-specific precision.
    }
  }
  return deps;
}
