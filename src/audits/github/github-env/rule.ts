import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Step } from '../../../platforms/github/model.js';
import { isPrivileged, PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import { shellVarTaint, taintOfExpr, type TaintOrigin } from '../../../platforms/github/taint.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { envReads, newlinesStripped, parseScript, ScalarText, statementsOf, type Script, type Span } from '../../../shell/script.js';
import { fileCommandWrites, type FileCommand, type FileCommandWrite } from '../../../platforms/github/file-commands.js';
import { contextPath, type Expr } from '../../../platforms/github/expressions/ast.js';
import { conditionExpr } from '../../../platforms/github/gates.js';
import { related, stepSites, type StepSite } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'github-env',
    title: 'Untrusted data written to $GITHUB_ENV or $GITHUB_PATH',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-77', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      const run = site.step.run;
      if (!run || typeof run.value !== 'string') continue;
      const script = parseScript(run.value, dialectOf(site.step, site.job, site.workflow));
      const writes = fileCommandWrites(script);
      if (writes.length === 0) continue;
      const text = new ScalarText(site.source, run);
      const ctx: Ctx = {
        site,
        script,
        text,
        pinned: new Set([...pinnedPaths(conditionExpr(site.step.if)), ...pinnedPaths(conditionExpr(site.job?.if))]),
        random: randomDelimiters(script),
        fileVars: fileDerivedVars(script),
        untrusted: isPrivileged(site.triggers) ? untrustedFiles(site) : undefined,
        openDelimiter: undefined,
      };
      for (const w of writes) {
        const hit = inspect(ctx, w);
        if (!hit) continue;
        const at = trimmed(script.value, hit.span);
        const location = text.location(at.start, at.end);
        const route = `${site.route}.run:${w.file}:${script.value.slice(at.start, at.end).replace(/\s+/g, ' ')}`;
        if (hit.kind === 'taint') {
          const worst = pickWorst(hit.origins);
          report({
            message: `step "${site.step.label}" writes ${describe(worst, hit.shellVar)} to $${w.file}; ${consequence(w.file)}`,
            location,
            related: [...worst.chain, ...triggerNotes(site, worst)],
            severity: severityOf(worst),
            confidence: confidenceOf(worst, hit.shellVar !== undefined),
            route,
          });
        } else {
          const u = ctx.untrusted!;
          report({
            message: `step "${site.step.label}" writes data read from files of ${u.what} to $${w.file}; ${consequence(w.file)}`,
            location,
            related: [related(site.source, u.step.node, u.note)],
            severity: 'high',
            confidence: 'medium',
            route,
          });
        }
      }
    }
  },
};

interface Ctx {
  site: StepSite;
  script: Script;
  text: ScalarText;
  /** Context paths the step's or job's `if:` fixes to literal strings (`github.head_ref == 'main'`). */
  pinned: Set<string>;
  /** Shell variables holding a random here-document delimiter (`EOF=$(openssl rand -hex 8)`). */
  random: Set<string>;
  /** Shell variables assigned from file contents (`PR=$(cat pr.txt)`). */
  fileVars: Set<string>;
  untrusted?: Untrusted;
  /** Inside `NAME<<$RANDOM_DELIM ... $RANDOM_DELIM`: the value cannot end the block early. */
  openDelimiter: string | undefined;
}

type Hit = { kind: 'taint'; span: Span; origins: TaintOrigin[]; shellVar?: string } | { kind: 'file'; span: Span };

function inspect(ctx: Ctx, w: FileCommandWrite): Hit | undefined {
  const { site, script } = ctx;
  let fileHit: Hit | undefined;
  for (const part of w.payload) {
    if (ctx.openDelimiter) {
      if (referencesVar(part.code, ctx.openDelimiter)) ctx.openDelimiter = undefined;
      continue;
    }
    const header = /<<\s*["']?\$\{?([A-Za-z_]\w*)\}?/.exec(part.code);
    if (header && ctx.random.has(header[1]!) && w.via !== 'heredoc') {
      ctx.openDelimiter = header[1]!;
      continue;
    }
    const origins: TaintOrigin[] = [];
    for (const t of findTemplates(part.text)) if (t.ast) origins.push(...keep(ctx, w.file, part.text.slice(0, t.start), taintOfExpr(t.ast, site.scope)));
    if (origins.length > 0) return { kind: 'taint', span: part, origins };
    if (part.expands) {
      for (const name of envReads(part.code, script.dialect)) {
        const at = readOffset(part.code, name);
        if (w.file === 'GITHUB_ENV' && newlinesStripped(part.text, at)) continue;
        const found = keep(ctx, w.file, part.code.slice(0, at), varTaint(ctx, name, w.statement.start, w.file, 0));
        if (found.length > 0) return { kind: 'taint', span: part, origins: found, shellVar: name };
      }
    }
    if (!fileHit && ctx.untrusted && readsFile(part.code, ctx.fileVars, part.expands)) fileHit = { kind: 'file', span: part };
  }
  return fileHit;
}

/**
 * Branch and ref names: git forbids control characters in them, so such a value cannot start a
 * second line of $GITHUB_ENV once a fixed `NAME=` precedes it on the line. (Alone on the line it
 * can still be `LD_PRELOAD=...`: `=`, `/` and `.` are legal in branch names.)
 */
const REF_NAMES = new Set([
  'github.head_ref',
  'github.event.pull_request.head.ref',
  'github.event.pull_request.head.label',
  'github.event.pull_request.head.repo.default_branch',
  'github.event.workflow_run.head_branch',
  'github.event.workflow_run.pull_requests.*.head.ref',
  'github.event.check_suite.head_branch',
  'github.event.check_run.check_suite.head_branch',
]);

/** Drops origins that cannot do harm here: values pinned by `if:`, ref names after `NAME=` in $GITHUB_ENV. */
function keep(ctx: Ctx, file: FileCommand, before: string, origins: TaintOrigin[]): TaintOrigin[] {
  const line = before.slice(before.lastIndexOf('\n') + 1).replace(/["']/g, '');
  const named = /(?:^|[\s;|(])[A-Za-z_][A-Za-z0-9_]*=[^\s]*$/.test(line);
  return origins.filter((o) => !ctx.pinned.has(o.path) && !(file === 'GITHUB_ENV' && named && REF_NAMES.has(o.path)));
}

/** Where `name` is read in `code` ($X, ${X}, $env:X, %X%); 0 when not found. */
function readOffset(code: string, name: string): number {
  const m = new RegExp(`\\$\\{?(?:env:)?${name}(?![A-Za-z0-9_])|%${name}%`, 'i').exec(code);
  return m ? m.index : 0;
}

/**
 * Taint of a shell variable set by an assignment earlier in the same script (`msg="$TITLE"`,
 * `msg=$(echo "$TITLE" | tr -s ' ')`, `$msg = "$env:TITLE"`): the last assignment before the
 * write, its `${{ }}` templates and the variables it reads, followed through further assignments.
 * A read inside a `$( ... )` that deletes newlines (`tr -d '\n'`, `head -n 1`) cannot break a
 * $GITHUB_ENV line.
 */
function varTaint(ctx: Ctx, name: string, before: number, file: FileCommand, depth: number): TaintOrigin[] {
  return assignedTaint(ctx, name, before, file, depth) ?? shellVarTaint(`$${name}`, ctx.site.scope, 0);
}

/** Undefined when the script does not assign `name` before `before` (then it is an env: variable). */
function assignedTaint(ctx: Ctx, name: string, before: number, file: FileCommand, depth: number): TaintOrigin[] | undefined {
  if (depth > 4) return [];
  const pwsh = ctx.script.dialect === 'pwsh';
  const re = pwsh
    ? new RegExp(`^\\$${name}\\s*=\\s*(.*)$`, 'is')
    : new RegExp(`^(?:(?:export|local|readonly|declare(?:\\s+-\\w+)*)\\s+)?${name}=(.*)$`, 's');
  let last: { st: ReturnType<typeof statementsOf>[number]; value: string; offset: number } | undefined;
  for (const st of statementsOf(ctx.script)) {
    if (st.start >= before) break;
    const lead = st.text.length - st.text.trimStart().length;
    const m = re.exec(st.text.trim());
    if (m) last = { st, value: m[1]!, offset: lead + st.text.trim().length - m[1]!.length };
  }
  if (!last) return undefined;
  const { st, value, offset } = last;
  const out: TaintOrigin[] = [];
  for (const t of findTemplates(value)) {
    if (!t.ast || (file === 'GITHUB_ENV' && newlinesStripped(value, t.start))) continue;
    out.push(...taintOfExpr(t.ast, ctx.site.scope));
  }
  const code = st.code.slice(offset);
  for (const v of envReads(code, ctx.script.dialect)) {
    const at = readOffset(code, v);
    if (file === 'GITHUB_ENV' && newlinesStripped(value, at)) continue;
    out.push(...varTaint(ctx, v, st.start, file, depth + 1));
  }
  if (out.length === 0) return [];
  const hop: RelatedLocation = { ...ctx.text.location(st.start, st.end), message: `$${name} is assigned from attacker-controlled data here` };
  return out.map((o) => ({ ...o, chain: [hop, ...o.chain] }));
}

/** Context paths an `if:` fixes to literal strings when it is true (`x == 'a'`, `contains(fromJSON('["a","b"]'), x)`). */
function pinnedPaths(e: Expr | undefined): Set<string> {
  if (!e) return new Set();
  if (e.type === 'logical') {
    const l = pinnedPaths(e.left);
    const r = pinnedPaths(e.right);
    return e.op === '&&' ? new Set([...l, ...r]) : new Set([...l].filter((p) => r.has(p)));
  }
  if (e.type === 'binary' && e.op === '==') {
    const lp = contextPath(e.left);
    const rp = contextPath(e.right);
    if (lp && e.right.type === 'literal' && typeof e.right.value === 'string') return new Set([lp.join('.')]);
    if (rp && e.left.type === 'literal' && typeof e.left.value === 'string') return new Set([rp.join('.')]);
  }
  if (e.type === 'call' && e.callee === 'contains' && e.args.length === 2) {
    const p = contextPath(e.args[1]!);
    const list = e.args[0]!;
    const literal = list.type === 'call' && list.callee === 'fromjson' && list.args[0]?.type === 'literal' && typeof list.args[0].value === 'string' && /^\s*\[\s*(?:"[^"\\]*"\s*,?\s*)*\]\s*$/.test(list.args[0].value);
    if (p && literal) return new Set([p.join('.')]);
  }
  return new Set();
}

function referencesVar(code: string, name: string): boolean {
  return new RegExp(`\\$\\{?${name}\\b`).test(code);
}

const RANDOM_SOURCE = /\/dev\/u?random|openssl\s+rand|uuidgen|\$RANDOM\b|\bmktemp\b|secrets\.token|get-random|newguid|randomnumbergenerator|\brandom\b/i;

function randomDelimiters(script: Script): Set<string> {
  const out = new Set<string>();
  for (const st of statementsOf(script)) {
    const m = /^(?:export\s+|local\s+|declare\s+)?\$?([A-Za-z_]\w*)\s*=(.*)$/s.exec(st.code.trim());
    if (m && RANDOM_SOURCE.test(m[2]!)) out.add(m[1]!);
  }
  return out;
}

const FILE_READERS = '(?:cat|head|tail|jq|yq|sed|awk|grep|cut|tr|xargs|sort|uniq|base64|get-content|gc|git\\s+log|git\\s+show)';
const READ_CMD = new RegExp(`^\\s*${FILE_READERS}\\s+(?:-\\S+\\s+)*[^\\s<>|-]`, 'i');
const READ_SUBST = new RegExp(`\\$\\(\\s*(?:<|${FILE_READERS}\\s)`, 'i');

function fileDerivedVars(script: Script): Set<string> {
  const out = new Set<string>();
  for (const st of statementsOf(script)) {
    const code = st.code.trim();
    const assign = /^(?:export\s+|local\s+)?\$?([A-Za-z_]\w*)\s*=\s*["']?(.*)$/s.exec(code);
    if (assign && (READ_SUBST.test(assign[2]!) || new RegExp(`^\\s*${FILE_READERS}\\s`, 'i').test(assign[2]!) || /\[io\.file\]::read/i.test(assign[2]!))) out.add(assign[1]!);
    const read = /\bread\s+(?:-\S+\s+)*([A-Za-z_]\w*)(?:\s+[A-Za-z_]\w*)*\s*<\s*[^<]/.exec(code);
    if (read) out.add(read[1]!);
  }
  return out;
}

function readsFile(code: string, fileVars: Set<string>, expands: boolean): boolean {
  if (READ_CMD.test(code) || READ_SUBST.test(code) || /(?:^|[^<])<\s*["']?[\w./$-]/.test(code.replace(/<\(/g, ''))) return true;
  return expands && [...fileVars].some((v) => referencesVar(code, v));
}

interface Untrusted {
  step: Step;
  what: string;
  note: string;
}

const PR_HEAD = /github\.event\.pull_request\.head\.|github\.event\.workflow_run\.head_|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.pull_requests/i;

/** An earlier step of the job that brings files an outsider controls into the workspace. */
function untrustedFiles(site: StepSite): Untrusted | undefined {
  const fromRun = site.triggers.has('workflow_run');
  for (const s of site.steps) {
    if (s.index >= site.step.index) break;
    const uses = s.uses?.kind === 'repo' ? `${s.uses.owner}/${s.uses.repo}`.toLowerCase() : '';
    const withText = s.with.map((w) => w.text ?? '').join('\n');
    const hasInput = (k: string): boolean => s.with.some((w) => w.key.toLowerCase() === k);
    if (uses.endsWith('/download-artifact') || uses.endsWith('/action-download-artifact')) {
      if (fromRun || hasInput('run-id') || hasInput('run_id') || uses !== 'actions/download-artifact') {
        return { step: s, what: `the artifact downloaded by step "${s.label}"`, note: 'artifact of an untrusted run is downloaded here' };
      }
    }
    if (uses === 'actions/github-script' && /downloadArtifact/i.test(withText)) {
      return { step: s, what: `the artifact downloaded by step "${s.label}"`, note: 'artifact of an untrusted run is downloaded here' };
    }
    if (uses === 'actions/checkout' && PR_HEAD.test(withText)) {
      return { step: s, what: `the pull request checked out by step "${s.label}"`, note: 'pull request code is checked out here' };
    }
    const run = typeof s.run?.value === 'string' ? s.run.value : '';
    if (/\bgh\s+run\s+download\b/.test(run)) return { step: s, what: `the artifact downloaded by step "${s.label}"`, note: 'artifact of an untrusted run is downloaded here' };
    if (/\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b.*\bpull\/|\bgit\s+(?:checkout|switch)\b.*\$\{\{\s*github\.(?:event\.pull_request\.head|head_ref|event\.workflow_run\.head)/.test(run)) {
      return { step: s, what: `the pull request checked out by step "${s.label}"`, note: 'pull request code is checked out here' };
    }
  }
  return undefined;
}

function trimmed(value: string, span: Span): Span {
  let s = span.start;
  let e = span.end;
  while (s < e && /\s/.test(value[s]!)) s++;
  while (e > s && /\s/.test(value[e - 1]!)) e--;
  return { start: s, end: e };
}

function consequence(file: FileCommand): string {
  return file === 'GITHUB_ENV'
    ? 'a newline in it can set any variable (such as LD_PRELOAD, NODE_OPTIONS or BASH_ENV) for the following steps'
    : 'it can put a directory of its choosing first on PATH for the following steps';
}

function describe(o: TaintOrigin, shellVar: string | undefined): string {
  if (shellVar) return `"$${shellVar}" (carrying attacker-controlled ${o.path})`;
  if (o.chain.length === 0) return `attacker-controlled "${o.path}"`;
  return `data carrying attacker-controlled ${o.path}`;
}

function rank(o: TaintOrigin): number {
  const s = o.strength === 'high' ? 3 : o.strength === 'medium' ? 2 : 1;
  return s * 10 + (o.via.some((v) => PRIVILEGED_TRIGGERS.has(v)) ? 5 : 0) - o.chain.length * 0.1;
}

function pickWorst(origins: TaintOrigin[]): TaintOrigin {
  return origins.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

function severityOf(o: TaintOrigin): Severity {
  const privileged = o.via.some((v) => PRIVILEGED_TRIGGERS.has(v) || v === 'workflow_call');
  if (o.strength === 'high' && privileged) return 'high';
  return o.strength === 'low' ? 'low' : 'medium';
}

/** Direct expressions and `$VAR` read straight from an env: entry are certain; longer chains less so. */
function confidenceOf(o: TaintOrigin, viaShellVar: boolean): Confidence {
  if (o.via.includes('workflow_call')) return 'medium';
  return o.chain.length <= (viaShellVar ? 1 : 0) ? 'high' : 'medium';
}

function triggerNotes(site: StepSite, o: TaintOrigin): RelatedLocation[] {
  const wf = site.workflow;
  const trig = wf?.triggers.find((t) => o.via.includes(t.name));
  if (!wf || !trig) return [];
  return [related(wf.source, trig.node, `"${trig.name}" lets an outside user set ${o.path}`)];
}
