/**
 * Reads the code files of a tree for the taint analysis. Kept apart from program.ts so a tree with
 * no JS/TS code is recognised without loading the TypeScript compiler (seconds of start-up).
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { walkTree } from '../sources/walk.js';
import { isVueFile, vueSource } from './vue.js';

export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Generated, vendored and dependency folders: not the project's own code. */
const SKIP_DIRS = ['node_modules', 'bower_components', 'jspm_packages', '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', 'coverage', 'dist', 'build', 'out', 'vendor'];
const MAX_FILE_BYTES = 1024 * 1024;
const TEST_PATH = /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|e2e|cypress|fixtures?)\/|\.(?:test|spec|e2e|stories)\.[cm]?[jt]sx?$/;

export interface SourceText {
  /** Path relative to the root, with forward slashes. */
  rel: string;
  text: string;
  /** The file's own text when `text` is a virtual one (Vue components: see vue.ts). */
  original?: string;
  /** Script language, when the file name does not say it (`.vue`). */
  kind?: 'ts' | 'tsx' | 'js' | 'jsx';
  /** Something the analysis of this file leaves out, reported as a diagnostic note. */
  note?: string;
}

export interface LoadOptions {
  includeTests?: boolean;
  /** Path globs (already compiled) to leave out. */
  exclude?: (rel: string) => boolean;
}

/** Server-side view templates: their raw (unescaped) outputs are XSS sinks for what res.render passes. */
export const TEMPLATE_EXTENSIONS = ['.ejs', '.pug', '.jade', '.hbs', '.handlebars', '.njk', '.nunjucks'];

export function isTemplateFile(rel: string): boolean {
  return TEMPLATE_EXTENSIONS.some((e) => rel.endsWith(e));
}

function isCodeFile(rel: string): boolean {
  if (/\.d\.[cm]?ts$/.test(rel) || /\.min\.js$/.test(rel)) return false;
  return CODE_EXTENSIONS.some((e) => rel.endsWith(e)) || isVueFile(rel);
}

/** A code file as the analysis reads it: Vue components become their virtual script (undefined: nothing to analyse). */
export function codeSource(rel: string, text: string): SourceText | undefined {
  return isVueFile(rel) ? vueSource(rel, text) : { rel, text };
}

/** Reads the code files of a tree (gitignore-aware, links never followed). */
export function readSourceTree(root: string, opts: LoadOptions, diag: (d: Diagnostic) => void): { sources: SourceText[]; configs: SourceText[]; templates: SourceText[] } {
  const sources: SourceText[] = [];
  const configs: SourceText[] = [];
  const templates: SourceText[] = [];
  for (const entry of walkTree(root, { gitignore: true, skipDirs: SKIP_DIRS }, diag)) {
    const rel = entry.rel;
    const base = posix.basename(rel);
    if (base === 'tsconfig.json' || base === 'jsconfig.json' || base === 'package.json') {
      if (entry.size <= MAX_FILE_BYTES) configs.push({ rel, text: readFileSync(entry.abs, 'utf8') });
      continue;
    }
    if (isTemplateFile(rel) && entry.size <= MAX_FILE_BYTES && !opts.exclude?.(rel)) {
      try {
        templates.push({ rel, text: readFileSync(entry.abs, 'utf8') });
      } catch (e) {
        diag({ level: 'error', file: rel, message: `cannot read file: ${(e as Error).message}` });
      }
      continue;
    }
    if (!isCodeFile(rel)) continue;
    if (!opts.includeTests && TEST_PATH.test(rel)) continue;
    if (opts.exclude?.(rel)) continue;
    if (entry.size > MAX_FILE_BYTES) {
      diag({ level: 'note', file: rel, message: `skipped: ${entry.size} bytes is over the ${MAX_FILE_BYTES}-byte limit for source files (generated or bundled code?)` });
      continue;
    }
    let text: string;
    try {
      text = readFileSync(entry.abs, 'utf8');
    } catch (e) {
      diag({ level: 'error', file: rel, message: `cannot read file: ${(e as Error).message}` });
      continue;
    }
    const source = codeSource(rel, text);
    if (source) sources.push(source);
  }
  return { sources, configs, templates };
}
