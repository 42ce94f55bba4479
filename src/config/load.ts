import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { isAlias, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { ConfigError } from './errors.js';
import { parseIgnorePath } from './glob.js';
import { recordPositions, type SourcePosition } from './positions.js';
import { checkRegexSafety } from './safe-regex.js';
import { toProblem } from './schema-errors.js';
import type { PipewardenConfig } from './types.js';
import { collectPositions, locate, nodePosition, positionAt, type ConfigPath } from './yaml-paths.js';

export { ConfigError } from './errors.js';

/** Searched in this order; the first that exists wins. */
export const CONFIG_CANDIDATES = [
  '.github/pipewarden.yml',
  '.github/pipewarden.yaml',
  'pipewarden.yml',
  'pipewarden.yaml',
  '.pipewarden.yml',
] as const;

/** Config files are small; a larger one is a mistake (or an attack) rather than a config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Nearest directory at or above `startPath` holding `.git` (dir, or file for worktrees/submodules). */
export function findRepoRoot(startPath: string): string {
  const abs = resolve(startPath);
  let isDir = true;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // A path that does not exist yet is treated as a directory.
  }
  const start = isDir ? abs : dirname(abs);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

export function discoverConfig(root: string): string | undefined {
  for (const name of CONFIG_CANDIDATES) {
    const candidate = join(root, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!validator) {
    // Read at run time rather than imported: the schema sits outside `src/` (it is published
    // as-is for editors), and this URL resolves the same from `src/config/` and `dist/config/`.
    const url = new URL('../../schemas/config.schema.json', import.meta.url);
    const schema = JSON.parse(readFileSync(url, 'utf8')) as object;
    // Loaded on first use: most runs have no config file, and ajv costs start-up time.
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    validator = new Ajv({ allErrors: true, verbose: true }).compile(schema);
  }
  return validator;
}

export function loadConfig(path: string): PipewardenConfig {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) throw new ConfigError(path, `config file is ${size} bytes; the limit is ${MAX_CONFIG_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(path, `cannot read config file: ${(e as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Parses and validates config text; `file` is only used in messages. */
export function parseConfig(text: string, file: string): PipewardenConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const fail = (message: string, pos?: SourcePosition): never => {
    throw new ConfigError(file, message, pos?.line, pos?.column);
  };

  const syntax = doc.errors[0];
  if (syntax) fail(`invalid YAML: ${syntax.message}${starHint(text, syntax.pos[0])}`, positionAt(lc, syntax.pos[0]));
  checkAliases(doc, lc, fail);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    fail(`invalid YAML: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) data = {};

  const where = (path: ConfigPath, atKey = false): SourcePosition | undefined => {
    const found = locate(doc, path);
    return (atKey ? nodePosition(lc, found.key) : undefined) ?? nodePosition(lc, found.site) ?? nodePosition(lc, found.key);
  };

  const validate = schemaValidator();
  if (!validate(data)) {
    // Report the problem that comes first in the file, so fixing top-down converges.
    const problems = (validate.errors ?? []).map(toProblem).map((p) => ({ ...p, pos: where(p.path, p.atKey) }));
    problems.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0));
    const first = problems[0]!;
    fail(first.message, first.pos);
  }

  const raw = data as Partial<PipewardenConfig>;
  const config: PipewardenConfig = {
    rules: raw.rules ?? {},
    ignore: raw.ignore ?? [],
    secrets: raw.secrets ?? {},
    ...(raw['inline-ignores'] && { 'inline-ignores': raw['inline-ignores'] }),
    ...(raw.sast && { sast: raw.sast }),
    ...(raw.deps && { deps: raw.deps }),
    ...(raw.monitor && { monitor: raw.monitor }),
    ...(raw.serve && { serve: raw.serve }),
    source: file,
  };
  checkSemantics(config, (msg, path) => fail(msg, where(path)));
  recordPositions(config, collectPositions(doc, lc));
  return config;
}

/** Checks the schema cannot express: real dates, line numbers, regex safety, unique ids. */
function checkSemantics(config: PipewardenConfig, fail: (message: string, path: ConfigPath) => never): void {
  config.ignore.forEach((entry, i) => {
    if (entry.expires !== undefined && !isRealDate(entry.expires)) {
      fail(`ignore[${i}].expires is not a real date: ${entry.expires}`, ['ignore', i, 'expires']);
    }
    if (parseIgnorePath(entry.path).line === 0) fail(`ignore[${i}].path: line numbers start at 1`, ['ignore', i, 'path']);
  });
  (config.deps?.ignore ?? []).forEach((entry, i) => {
    if (entry.expires !== undefined && !isRealDate(entry.expires)) fail(`deps.ignore[${i}].expires is not a real date: ${entry.expires}`, ['deps', 'ignore', i, 'expires']);
  });
  (config.secrets.allow ?? []).forEach((src, i) => {
    const problem = checkRegexSafety(src);
    if (problem) fail(`secrets.allow[${i}]: ${problem}`, ['secrets', 'allow', i]);
  });
  const seen = new Set<string>();
  (config.secrets.detectors ?? []).forEach((d, i) => {
    const problem = checkRegexSafety(d.regex);
    if (problem) fail(`secrets.detectors[${i}].regex: ${problem}`, ['secrets', 'detectors', i, 'regex']);
    if (seen.has(d.id)) fail(`secrets.detectors[${i}].id: duplicate detector id \`${d.id}\``, ['secrets', 'detectors', i, 'id']);
    seen.add(d.id);
  });
}

export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** An alias with no anchor is almost always an unquoted `*`, as in `rule: *`. */
function checkAliases(doc: Document, lc: LineCounter, fail: (message: string, pos?: SourcePosition) => never): void {
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && !node.resolve(doc)) {
        const pos = nodePosition(lc, node as Node);
        fail(
          `invalid YAML: \`*${node.source}\` is read as an alias to an anchor that does not exist; ` +
            `quote values that start with \`*\`, e.g. '*' or '**/*.yml'`,
          pos,
        );
      }
    },
  });
}

function starHint(text: string, offset: number): string {
  return text[offset] === '*' ? "; quote values that start with `*`, e.g. '*'" : '';
}
