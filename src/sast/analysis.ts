/**
 * The heavy half of a `pipewarden sast` run (loaded only when the tree has JS/TS code): load the
 * program, run the taint engine, turn what it proved into Findings with their code flows.
 */
import { join } from 'node:path';
import ts from 'typescript';
import type { Confidence, Diagnostic, Finding, FlowStep, Location } from '../core/finding.js';
import { fingerprintOf } from '../core/fingerprint.js';
import type { PipewardenConfig } from '../config/types.js';
import { Engine, fnName, type TaintHit, type TemplateHit } from './engine.js';
import { mask, TAINT_RULES, type TaintRule } from './kinds.js';
import { annotationType, FRAMEWORK_HOOKS, modelTable, moduleType } from './models/index.js';
import type { CallCtx } from './models/types.js';
import { loadProgram } from './program.js';
import { sastRuleById } from './rules/index.js';
import { findSecretLiterals, maskSecret } from './secrets-adapter.js';
import type { SourceText } from './tree.js';
import type { Step } from './values.js';

export interface AnalysisInput {
  root: string;
  sources: SourceText[];
  configs: SourceText[];
  templates?: SourceText[];
  reportPath: (rel: string) => string;
  diagnostics: Diagnostic[];
  literalSecrets: boolean;
}

const MAX_NESTING = 500;

/** Deepest nesting of ( [ { in a text (brackets inside strings count too: an over-estimate is fine). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

const CATEGORY_WORDS: Record<string, string> = {
  remote: 'user input',
  client: 'URL- or message-controlled data',
  stored: 'data stored from user input',
  environment: 'the environment',
  argv: 'command-line arguments',
  custom: 'a configured source',
};

/** Analyses the sources; returns the findings (before rule enabling) and the number of lines. */
export function analyse(config: PipewardenConfig, input: AnalysisInput): { findings: Finding[]; lines: number; files: number } {
  const { root, sources, configs, reportPath, diagnostics } = input;
  // The TypeScript parser recurses once per nesting level: a file nested thousands deep (generated,
  // minified or hostile) would overflow the stack, so it is left out with a note instead.
  const parseable = sources.filter((s) => {
    const depth = nestingDepth(s.text);
    if (depth <= MAX_NESTING) return true;
    diagnostics.push({ level: 'warning', file: reportPath(s.rel), message: `skipped: brackets nest ${depth} levels deep, over the limit of ${MAX_NESTING}` });
    return false;
  });
  const prog = loadProgram(root, parseable, configs, (d) => diagnostics.push(d));
  // Program file name → offset where code appended to the file's own text begins (Vue components).
  const syntheticFrom = new Map<string, number>();
  for (const s of parseable) if (s.original !== undefined) syntheticFrom.set(join(root, s.rel).split('\\').join('/'), s.original.length);
  const models = modelTable();
  const user = applyUserModels(config, models);
  const engine = new Engine(prog, {
    models,
    modules: moduleType,
    typeAnnotations: annotationType,
    ...FRAMEWORK_HOOKS,
    userSanitizers: user.sanitizers,
    memberSources: user.members,
    templates: input.templates ?? [],
    onUnknownCall: (c, name, recvText) => {
      const sink = user.sinks.get(c.callee) ?? user.sinks.get(name);
      if (sink) for (const i of sink.args) c.sink(sink.rule, c.arg(i), c.argNodes[i], { label: c.callee });
      const src = user.sources.get(c.callee) ?? user.sources.get(name);
      if (src) return c.source(src, { category: 'custom', obj: true, deepObj: true });
      return unknownQuery(c, name, recvText);
    },
  });
  for (const sf of prog.files) {
    for (const d of prog.program.getSyntacticDiagnostics(sf).slice(0, 3)) {
      const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
      diagnostics.push({ level: 'warning', file: reportPath(prog.relOf(sf)), ...(pos && { line: pos.line + 1, column: pos.character + 1 }), message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}; the rest of the file is analysed as parsed` });
    }
  }
  try {
    engine.run();
  } catch (e) {
    diagnostics.push({ level: 'error', code: 'internal-error', message: `internal error in the taint analysis: ${e instanceof Error ? e.message : String(e)}` });
    if (process.env.PIPEWARDEN_DEBUG && e instanceof Error) diagnostics.push({ level: 'note', message: e.stack ?? '' });
  }
  for (const sf of engine.tooDeep) diagnostics.push({ level: 'note', file: reportPath(prog.relOf(sf)), message: 'an expression nests deeper than the analysis follows; flows through its innermost part are not tracked' });
  if (engine.budgetExceeded) diagnostics.push({ level: 'error', failsGate: true, message: 'the taint analysis hit its work budget (steps or 20 s of CPU); results are incomplete (please report the code shape that caused it)' });

  const findings: Finding[] = [];
  for (const hit of engine.templateHits.values()) {
    if (!engine.storedSourceIsLive(hit.source)) continue;
    findings.push(templateFinding(hit, prog.relOf.bind(prog), reportPath, syntheticFrom));
  }
  for (const hit of engine.hits.values()) {
    if (!engine.storedSourceIsLive(hit.source)) continue;
    findings.push(taintFinding(hit, prog.relOf.bind(prog), reportPath, syntheticFrom));
  }
  const secretRule = sastRuleById('hardcoded-secret')!;
  for (const [node, s] of engine.secretHits) {
    if (isNotSecret(s.text)) continue;
    const sf = node.getSourceFile();
    const file = reportPath(prog.relOf(sf));
    const location = locationOf(node, file);
    findings.push({
      ruleId: 'hardcoded-secret',
      severity: secretRule.meta.severity,
      confidence: 'high',
      message: `A string literal (${maskSecret(s.text)}) is used as the ${s.label}; anyone with the code can forge or decrypt what it protects. Load it from the environment or a secret store`,
      location,
      related: [],
      owasp: secretRule.meta.owasp,
      cwe: secretRule.meta.cwe,
      fingerprint: fingerprintOf('hardcoded-secret', file, `${s.label}:${maskSecret(s.text)}`),
      properties: { secret: maskSecret(s.text) },
    });
  }
  if (input.literalSecrets) {
    for (const sf of prog.files) {
      const file = reportPath(prog.relOf(sf));
      for (const hit of findSecretLiterals(config, sf, file)) {
        if (findings.some((f) => f.ruleId === 'hardcoded-secret' && f.location.file === file && f.location.startLine === hit.location.startLine)) continue;
        findings.push({
          ruleId: 'hardcoded-secret',
          severity: secretRule.meta.severity,
          confidence: hit.confidence,
          message: `${hit.title} (${hit.masked}) is written in the source code; revoke it and load it from the environment or a secret store`,
          location: hit.location,
          related: [],
          owasp: secretRule.meta.owasp,
          cwe: secretRule.meta.cwe,
          fingerprint: fingerprintOf('hardcoded-secret', file, `${hit.detector}:${hit.masked}`),
          properties: { secret: hit.masked, detector: hit.detector },
        });
      }
    }
  }

  const lines = prog.files.reduce((n, f) => n + f.getLineStarts().length, 0);
  distinctFingerprints(findings);
  return { findings, lines, files: prog.files.length };
}


/** Values that cannot be a real credential: empty, a template, an obvious example. */
function isNotSecret(text: string): boolean {
  return text.trim().length < 4 || /\$\{|\{\{|^<.*>$|^%s$|^\*+$/.test(text) || /^(?:changeme|change-me|your[-_ ]?secret|xxx+|placeholder|todo)$/i.test(text);
}

function locationOf(node: ts.Node, file: string): Location {
  const sf = node.getSourceFile();
  const s = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const e = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file, startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function taintFinding(hit: TaintHit, relOf: (sf: ts.SourceFile) => string, reportPath: (rel: string) => string, syntheticFrom: ReadonlyMap<string, number>): Finding {
  const rule = sastRuleById(hit.rule)!;
  const fileOf = (n: ts.Node): string => reportPath(relOf(n.getSourceFile()));
  const steps: Step[] = [];
  for (let s: Step | undefined = hit.steps; s; s = s.prev) steps.push(s);
  steps.reverse();
  // Steps in the code appended after a Vue component's own text (vue.ts) point at no line of the file.
  for (let i = steps.length - 2; i > 0; i--) {
    const n = steps[i]!.node;
    const end = syntheticFrom.get(n.getSourceFile().fileName);
    if (end !== undefined && n.getStart() >= end) steps.splice(i, 1);
  }
  const flow: FlowStep[] = steps.map((s, i) => ({
    ...locationOf(s.node, fileOf(s.node)),
    message: i === 0 ? `source: ${s.msg}` : i === steps.length - 1 ? `sink: ${s.msg}` : s.msg,
  }));
  const source = steps[0]!;
  const sourceLoc = locationOf(source.node, fileOf(source.node));
  const where = sourceLoc.file === fileOf(hit.sink) ? `line ${sourceLoc.startLine}` : `${sourceLoc.file}:${sourceLoc.startLine}`;
  const message = `${hit.source.label} (${CATEGORY_WORDS[hit.source.category] ?? 'user input'}, ${where}) reaches ${rule.sinkNoun} (${hit.sinkLabel})${hit.note ? `: ${hit.note}` : ''}`;
  const fn = enclosingFunction(hit.sink);
  const file = fileOf(hit.sink);
  return {
    ruleId: hit.rule,
    severity: rule.meta.severity,
    confidence: hit.confidence as Confidence,
    message,
    location: locationOf(hit.sink, file),
    related: [{ ...sourceLoc, message: `source: ${hit.source.label}` }],
    owasp: rule.meta.owasp,
    cwe: rule.meta.cwe,
    fingerprint: fingerprintOf(hit.rule, file, `${fn}:${hit.sinkLabel}:${hit.source.label}`),
    codeFlows: [flow],
  };
}

/** A flow out of the code through res.render into a raw output of a view template: reported at the template line. */
function templateFinding(hit: TemplateHit, relOf: (sf: ts.SourceFile) => string, reportPath: (rel: string) => string, syntheticFrom: ReadonlyMap<string, number>): Finding {
  const inCode = taintFinding(hit, relOf, reportPath, syntheticFrom);
  const file = reportPath(hit.tpl.file);
  const o = hit.tpl.output;
  const location = { file, startLine: o.line, startColumn: o.column, endLine: o.endLine, endColumn: o.endColumn };
  const flow = inCode.codeFlows![0]!.map((s, i, all) => (i === all.length - 1 ? { ...s, message: s.message.replace(/^sink: /, '') } : s));
  const src = inCode.related[0]!;
  return {
    ...inCode,
    // The source is in the code, the finding in the template: name the source's file.
    message: inCode.message.replace(/, line (\d+)\) reaches /, (_m, line: string) => `, ${src.file}:${line}) reaches `),
    location,
    fingerprint: fingerprintOf(hit.rule, file, `${o.text}:${hit.source.label}`),
    codeFlows: [[...flow, { ...location, message: `sink: ${o.text}` }]],
  };
}

/**
 * The function around a node, named for fingerprints: these must differ between two handlers of
 * one file yet survive line moves, so an anonymous function is named by the call it is passed to
 * (`app.get('/a')`, `router.route('/b').post`), a method by its class, and the rest by the
 * function around them.
 */
function enclosingFunction(n: ts.Node): string {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return functionLabel(p);
  }
  return '<module>';
}

function functionLabel(fn: ts.SignatureDeclaration): string {
  const name = fnName(fn);
  const owner = fn.parent;
  if (name !== 'anonymous function') {
    return owner && (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name ? `${owner.name.text}.${name}` : name;
  }
  if (owner && ts.isCallExpression(owner) && owner.arguments.includes(fn as ts.Expression)) {
    const sf = fn.getSourceFile();
    const callee = owner.expression.getText(sf).replace(/\s+/g, '').slice(0, 120);
    const label = owner.arguments.find((a) => ts.isStringLiteralLike(a));
    return `${callee}(${label ? (label as ts.StringLiteralLike).text : ''})`;
  }
  if (owner && ts.isExportAssignment(owner)) return 'export default';
  // An IIFE, a returned closure, an array element: name it by the function around it.
  for (let p: ts.Node | undefined = owner; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return `${functionLabel(p)} > ${name}`;
  }
  return name;
}

/**
 * Findings that still share a fingerprint (the same sink twice in one function, or two anonymous
 * functions passed to the same call) are told apart by their order in the file, which a line move
 * keeps; the first keeps the plain fingerprint.
 */
function distinctFingerprints(findings: Finding[]): void {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.fingerprint);
    if (g) g.push(f);
    else groups.set(f.fingerprint, [f]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
    g.forEach((f, i) => {
      if (i > 0) f.fingerprint = fingerprintOf(f.ruleId, f.location.file, `${f.fingerprint}#${i}`);
    });
  }
}

/**
 * `x.query(sql)` where nothing tells us what `x` is: a query method called with a string built
 * from user input and SQL text is still a SQL injection (medium confidence).
 */
function unknownQuery(c: CallCtx, name: string, recvText: string): undefined {
  if (!/^(?:query|execute|exec|raw|run|all|get|prepare|queryRaw|executeQuery|sql|each)$/i.test(name)) return undefined;
  const arg = c.argNodes[0];
  if (!arg) return undefined;
  const text = arg.getText();
  const sqlish = /\b(?:select\b[\s\S]*\bfrom|insert\s+into|update\b[\s\S]*\bset|delete\s+from)\b/i.test(text);
  if (!sqlish) return undefined;
  if (!/db|pool|conn|client|sql|knex|database|sequelize|repo|manager|query|pg|mysql|sqlite/i.test(recvText) && name !== 'query') return undefined;
  c.sink('sql-injection', c.arg(0), arg, { confidence: 'medium', note: 'build the query with placeholders and pass values separately' });
  return undefined;
}

interface UserModels {
  sources: Map<string, string>;
  /** Member expressions (`ctx.request.rawBody`) that are sources wherever they are read. */
  members: Map<string, string>;
  sinks: Map<string, { rule: TaintRule; args: number[] }>;
  sanitizers: Map<string, number>;
}

/** `sast.sources / sinks / sanitizers` from the config, applied to the model table and the engine's hooks. */
function applyUserModels(config: PipewardenConfig, models: ReturnType<typeof modelTable>): UserModels {
  const s = config.sast ?? {};
  const out: UserModels = { sources: new Map(), members: new Map(), sinks: new Map(), sanitizers: new Map() };
  for (const src of s.sources ?? []) {
    const name = typeof src === 'string' ? src : (src.call ?? src.member ?? '');
    const label = typeof src === 'string' ? src : (src.label ?? name);
    if (name === 'process.argv' || name === 'process.env') {
      const type = `global.${name}`;
      models[type] = { ...models[type], source: { label: name, category: name === 'process.argv' ? 'argv' : 'environment', obj: true, deepObj: false, whole: false } };
    } else if (typeof src !== 'string' && src.member) {
      out.members.set(src.member.replace(/\s+|\?(?=\.)/g, ''), label);
    } else out.sources.set(name, label);
  }
  for (const sink of s.sinks ?? []) out.sinks.set(sink.call, { rule: sink.rule as TaintRule, args: sink.args ?? [0] });
  for (const san of s.sanitizers ?? []) out.sanitizers.set(san.call, san.rules?.length ? mask(san.rules.filter((r): r is TaintRule => (TAINT_RULES as readonly string[]).includes(r))) : mask(['*']));
  return out;
}
