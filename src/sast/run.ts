/**
 * One `pipewarden sast` run: read the tree; if it holds JS/TS code, load the analysis (and with it
 * the TypeScript compiler) and run it. Kept apart from the CLI so `scan` and tests call it.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import { compileGlobs } from './config.js';
import { SAST_RULES, sastRuleById } from './rules/index.js';
import { codeSource, isTemplateFile, readSourceTree, type SourceText } from './tree.js';

export interface SastRunOptions {
  /** Directory to scan. */
  path: string;
  /** In-memory files instead of reading `path` (tests). */
  files?: Record<string, string>;
  /** Report paths are made relative to this directory (default: the scanned path). */
  reportBase?: string;
  includeTests?: boolean;
  /** Known-format tokens in string literals (the secrets engine); `scan` turns this off (secrets covers it). */
  literalSecrets?: boolean;
}

export interface SastRunResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  docsFor(ruleId: string): string | undefined;
  sourceOf(file: string): string | undefined;
  root: string;
  stats: { files: number; lines: number; seconds: number };
}

export function sastRuleMetas(): RuleMeta[] {
  return SAST_RULES.map((r) => r.meta);
}

export async function runSast(config: PipewardenConfig, opts: SastRunOptions): Promise<SastRunResult> {
  const started = process.hrtime.bigint();
  const root = resolve(opts.path);
  const base = opts.reportBase ? resolve(opts.reportBase) : root;
  const diagnostics: Diagnostic[] = [];
  const settings = config.sast ?? {};
  const ignored = compileGlobs(settings['paths-ignore'] ?? []);
  let sources: SourceText[];
  let configs: SourceText[];
  let templates: SourceText[];
  if (opts.files) {
    sources = Object.entries(opts.files)
      .filter(([rel]) => !/(?:^|\/)(?:tsconfig|jsconfig|package)\.json$/.test(rel) && !isTemplateFile(rel))
      .flatMap(([rel, text]) => codeSource(rel, text) ?? []);
    templates = Object.entries(opts.files)
      .filter(([rel]) => isTemplateFile(rel))
      .map(([rel, text]) => ({ rel, text }));
    configs = Object.entries(opts.files)
      .filter(([rel]) => /(?:^|\/)(?:tsconfig|jsconfig|package)\.json$/.test(rel))
      .map(([rel, text]) => ({ rel, text }));
  } else {
    ({ sources, configs, templates } = readSourceTree(root, { includeTests: opts.includeTests ?? settings['include-tests'] ?? false, exclude: ignored }, (d) => diagnostics.push(d)));
  }
  const reportPath = (rel: string): string => {
    const p = relative(base, resolve(root, rel)).split(sep).join('/');
    return p || rel;
  };
  for (const s of sources) if (s.note) diagnostics.push({ level: 'note', file: reportPath(s.rel), message: s.note });

  let findings: Finding[] = [];
  let lines = 0;
  let files = 0;
  if (sources.length > 0) {
    const { analyse } = await import('./analysis.js');
    ({ findings, lines, files } = analyse(config, { root, sources, configs, templates, reportPath, diagnostics, literalSecrets: opts.literalSecrets !== false }));
  }
  const disabled = new Set(Object.entries(config.rules).filter(([, s]) => s.enabled === false).map(([id]) => id));
  const textByReport = new Map([...sources, ...templates].map((s) => [reportPath(s.rel), s.original ?? s.text]));
  return {
    findings: findings.filter((f) => !disabled.has(f.ruleId)),
    diagnostics,
    rules: sastRuleMetas(),
    docsFor: (id) => docsOf(id),
    sourceOf: (file) => textByReport.get(file),
    root: base,
    stats: { files, lines, seconds: Number(process.hrtime.bigint() - started) / 1e9 },
  };
}

function docsOf(id: string): string | undefined {
  const r = sastRuleById(id);
  if (!r) return undefined;
  try {
    return readFileSync(r.meta.docs, 'utf8');
  } catch {
    return undefined;
  }
}
