import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Step } from '../../../platforms/github/model.js';
import { isPrivileged, PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import { shellVarTaint, taintOfExpr, type TaintOrigin } from '../../../platforms/github/taint.js';
import {
  dialectOf, envReads, fileCommandWrites, parseScript, ScalarText, statementsOf, type FileCommand, type FileCommandWrite, type Script, type Span,
} from '../../../platforms/github/shell.js';
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
    for (const t of findTemplates(part.text)) if (t.ast) origins.push(...taintOfExpr(t.ast, site.scope));
    if (origins.length > 0) return { kind: 'taint', span: part, origins };
    if (part.expands) {
      for (const name of envReads(part.code, script.dialect)) {
        const found = shellVarTaint(`$${name}`, site.scope, 0);
        if (found.length > 0) return { kind: 'taint', span: part, origins: found, shellVar: name };
      }
    }
    if (!fileHit && ctx.untrusted && readsFile(part.code, ctx.fileVars, part.expands)) fileHit = { kind: 'file', span: part };
  }
  return fileHit;
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
