import type { Scalar } from 'yaml';
import type { Location } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Expr } from '../../../platforms/github/expressions/ast.js';
import { evaluate, UNKNOWN, type Value } from '../../../platforms/github/expressions/evaluate.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { conditionSites, exprLocation, exprText } from '../../../platforms/github/conditions.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { ScalarText } from '../../../shell/script.js';
import { runStatements, usesSites } from '../../../platforms/github/supply-chain.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import { locationOf, type SourceText } from '../../../yaml/load.js';
import { loc, stepSites, templatesIn } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'obfuscation',
    title: 'Obfuscated workflow code',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-10'],
    cwe: ['CWE-506'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    checkInvisible(model, report);
    checkUses(model, report);
    checkConstants(model, report);
    checkEncodedScripts(model, report);
  },
};

type Report = Parameters<Rule<GithubModel>['check']>[1];

// ---------------------------------------------------------------------------------------------
// Invisible and direction-changing characters anywhere in a file

/** Zero-width characters, the BOM inside text, and bidirectional controls ("Trojan Source"). */
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\u206A-\u206F\uFEFF\u202A-\u202E\u2066-\u2069\u00AD\u180E]/g;

const INVISIBLE_ONE = new RegExp(INVISIBLE.source);

function charName(c: string): string {
  const cp = c.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return `bidirectional control ${hex}`;
  return `invisible character ${hex}`;
}

const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
/** What may sit between a pictograph and its joiner: variation selector 16, skin-tone modifiers. */
const EMOJI_MODIFIERS = /(?:\uFE0F|\p{Emoji_Modifier})+$/u;

/**
 * U+200D between two pictographs (👩‍💻, 🧑‍🚀) is an emoji ZWJ sequence: it renders as one emoji
 * and hides nothing. Anywhere else it is reported like the other invisible characters.
 */
function emojiJoiner(text: string, at: number): boolean {
  if (text[at] !== '\u200D') return false;
  const before = [...text.slice(Math.max(0, at - 8), at).replace(EMOJI_MODIFIERS, '')].pop();
  const after = text.codePointAt(at + 1);
  return before !== undefined && PICTOGRAPH.test(before) && after !== undefined && PICTOGRAPH.test(String.fromCodePoint(after));
}

function checkInvisible(model: GithubModel, report: Report): void {
  const sources: SourceText[] = [...model.workflows.map((w) => w.source), ...model.actions.map((a) => a.source), ...model.dependabot.map((d) => d.source)];
  for (const source of sources) {
    const seenLines = new Set<number>();
    for (const m of source.text.matchAll(INVISIBLE)) {
      if (m.index === 0 && m[0] === '\uFEFF') continue; // a byte order mark at the start is harmless
      if (emojiJoiner(source.text, m.index)) continue;
      const location = locationOf(source, m.index, m.index + m[0].length);
      if (seenLines.has(location.startLine)) continue; // one finding per line
      seenLines.add(location.startLine);
      const lineText = source.text.slice(m.index - location.startColumn + 1).split('\n')[0]!.replace(INVISIBLE, '').trim();
      report({
        message: `${charName(m[0])} hides in this line, so what reviewers see is not what GitHub runs; delete it`,
        location,
        severity: 'high',
        route: `invisible:${lineText}`,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// uses: path tricks and look-alike letters

function checkUses(model: GithubModel, report: Report): void {
  for (const site of usesSites(model)) {
    const { uses } = site;
    const raw = uses.raw.trim();
    if (uses.kind === 'docker') continue;
    if (/[^\x20-\x7E]/.test(raw)) {
      const bad = [...raw].filter((c) => /[^\x20-\x7E]/.test(c) && !INVISIBLE_ONE.test(c));
      if (bad.length > 0) {
        report({
          message: `${site.who} uses "${raw}", which contains the non-ASCII character${bad.length > 1 ? 's' : ''} ${bad.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}; GitHub names are ASCII, so this imitates another name`,
          location: loc(site.source, uses.node),
          severity: 'high',
          route: `${site.route}:non-ascii:${raw}`,
        });
        continue;
      }
    }
    const at = uses.kind === 'local' ? raw.length : raw.lastIndexOf('@');
    const target = at > 0 ? raw.slice(0, at) : raw;
    const segs = target.split('/');
    const body = uses.kind === 'local' ? segs.slice(1) : segs.slice(2);
    const tricks = body.some((s, i) => s === '.' || s === '..' || (s === '' && i < body.length - 1)) || (uses.kind !== 'local' && body.length > 0 && body[body.length - 1] === '');
    if (!tricks && !/\/\//.test(target)) continue;
    const clean = cleanPath(target, uses.kind === 'local');
    report({
      message: `${site.who} uses "${raw}", whose path has ".", ".." or empty segments that hide what it names; write "${clean}${uses.kind === 'local' ? '' : raw.slice(at)}"`,
      location: loc(site.source, uses.node),
      severity: 'medium',
      route: `${site.route}:path:${raw}`,
    });
  }
}

function cleanPath(target: string, local: boolean): string {
  const segs = target.split('/');
  const head = local ? [] : segs.splice(0, 2);
  const out: string[] = [];
  for (const s of local ? segs.slice(1) : segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return local ? `./${out.join('/')}` : [...head, ...out].join('/');
}

// ---------------------------------------------------------------------------------------------
// Expressions that fold to a constant

/** fromJSON('<literal>') → the literal value; everything else as evaluate() folds it. */
export function fold(e: Expr): Value {
  if (e.type === 'call' && e.callee === 'fromjson' && e.args.length === 1) {
    const arg = fold(e.args[0]!);
    if (typeof arg !== 'string') return UNKNOWN;
    try {
      const v: unknown = JSON.parse(arg);
      return v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as Value) : UNKNOWN;
    } catch {
      return UNKNOWN;
    }
  }
  if (e.type === 'call') {
    const args = e.args.map(fold);
    if (args.some((a) => a === UNKNOWN)) return UNKNOWN;
    const lits: Expr[] = args.map((v, i) => ({ type: 'literal', value: v as Exclude<Value, typeof UNKNOWN>, start: e.args[i]!.start, end: e.args[i]!.end }));
    return evaluate({ ...e, args: lits });
  }
  if (e.type === 'logical' || e.type === 'binary') {
    const l = fold(e.left);
    const r = fold(e.right);
    const lit = (v: Value, x: Expr): Expr => (v === UNKNOWN ? x : { type: 'literal', value: v, start: x.start, end: x.end });
    return evaluate({ ...e, left: lit(l, e.left), right: lit(r, e.right) });
  }
  if (e.type === 'unary') {
    const v = fold(e.operand);
    return v === UNKNOWN ? UNKNOWN : evaluate({ ...e, operand: { type: 'literal', value: v, start: e.operand.start, end: e.operand.end } });
  }
  return evaluate(e);
}

function show(v: Value): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

function checkConstants(model: GithubModel, report: Report): void {
  for (const site of stepSites(model)) {
    const { step } = site;
    const who = `${stepName(step)}${site.job ? ` of job "${site.job.id}"` : ''}`;
    // In run: even a bare literal `${{ 'x' }}` only serves to hide text from a reader or a grep.
    if (step.run) constantTemplates(site.source, step.run, `the run: script of ${who}`, `${site.route}.run`, true, report);
    for (const e of [...step.with, ...step.env]) {
      if (e.value && typeof (e.value as Scalar).value === 'string') {
        const kind = step.with.includes(e) ? 'with' : 'env';
        constantTemplates(site.source, e.value as Scalar, `${kind} ${e.key} of ${who}`, `${site.route}.${kind}.${e.key}`, false, report);
      }
    }
  }
  // In if: a whole constant condition is unsound-condition's; here, constant string builders inside a live condition.
  for (const site of conditionSites(model)) {
    if (site.condition.kind !== 'expression') continue;
    const seen = new Set<Expr>();
    const visit = (e: Expr): void => {
      if (e.type === 'call' && (e.callee === 'format' || e.callee === 'fromjson' || e.callee === 'join' || e.callee === 'tojson')) {
        const v = fold(e);
        if (v !== UNKNOWN && typeof v === 'string' && !seen.has(e)) {
          seen.add(e);
          report({
            message: `${exprText(site, e)} in the if: of ${site.step ? `${stepName(site.step)}${site.job ? ` of job "${site.job.id}"` : ''}` : site.label} is the constant ${show(v)} spelled indirectly; write the literal`,
            location: exprLocation(site, e),
            severity: 'low',
            route: `${site.route}:${exprText(site, e)}`,
          });
          return;
        }
      }
      for (const c of children(e)) visit(c);
    };
    if (fold(site.condition.expr) === UNKNOWN) visit(site.condition.expr);
  }
}

function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'binary':
    case 'logical':
      return [e.left, e.right];
    default:
      return [];
  }
}

function constantTemplates(source: SourceText, scalar: Scalar, where: string, route: string, bareToo: boolean, report: Report): void {
  for (const t of templatesIn(source, scalar)) {
    if (!t.ast) continue;
    if (!bareToo && t.ast.type === 'literal') continue;
    const v = fold(t.ast);
    if (v === UNKNOWN) continue;
    // `${{ '${{' }}` is the only way to write a literal `${{` (templating for other tools): an escape, not a disguise.
    if (typeof v === 'string' && /\$\{|\{\{|\}\}/.test(v)) continue;
    report({
      message: `\${{${t.inner}}} in ${where} is the constant ${show(v)} written as an expression, which hides the text from readers and searches; write ${v === '' ? 'nothing' : 'the value'} directly`,
      location: t.location,
      severity: 'low',
      route: `${route}:${t.inner.trim()}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Encoded scripts run by a shell

const DECODERS = /^(?:base64|base32|basenc|openssl|xxd|certutil)$/;
const SHELLS = /^(?:(?:ba|z|da|k|fi)?sh|python[0-9.]*|perl|ruby|node|php|pwsh|powershell|eval|source|\.|iex|invoke-expression)$/i;

function isDecode(code: string, command: string): boolean {
  if (!DECODERS.test(command)) return false;
  if (command === 'xxd') return /\s-r\b/.test(code);
  if (command === 'certutil') return /-decode/i.test(code);
  if (command === 'openssl') return /\b(?:base64|enc)\b/.test(code) && /\s-d\b/.test(code);
  return /\s(?:-d|--decode|-D)\b/.test(code);
}

function checkEncodedScripts(model: GithubModel, report: Report): void {
  for (const site of stepSites(model)) {
    const { step } = site;
    if (!step.run || typeof step.run.value !== 'string') continue;
    const dialect = dialectOf(step, site.job, site.workflow);
    if (dialect === 'other') continue;
    let text: ScalarText | undefined;
    const who = `${stepName(step)}${site.job ? ` of job "${site.job.id}"` : ''}`;
    for (const rs of runStatements(step.run.value, dialect)) {
      const code = rs.statement.code;
      let how: string | undefined;
      const dec = rs.segments.findIndex((s) => isDecode(s.code, s.command));
      if (dec !== -1) {
        const runner = rs.segments.slice(dec + 1).find((s) => SHELLS.test(s.command));
        if (runner) how = `decodes ${rs.segments[dec]!.command} data and pipes it to ${runner.command}`;
      }
      if (!how) {
        const sub = /(?:^|[\s;&|])(eval|(?:ba|z|da|k)?sh\s+(?:-\S+\s+)*-c|source|\.|python[0-9.]*\s+-c)\s+["']?(?:\$\(|`|<\()[^]*?\b(base64|base32|xxd|openssl)\b[^]*?(?:\s-d\b|--decode|\s-D\b|\s-r\b)/.exec(code);
        if (sub) how = `runs the output of ${sub[2]} decoding with ${sub[1]!.split(/\s+/)[0]}`;
      }
      if (!how && dialect === 'pwsh') {
        if (/frombase64string/i.test(code) && /\b(?:iex|invoke-expression)\b/i.test(code)) how = 'decodes base64 with FromBase64String and runs it with Invoke-Expression';
      }
      if (!how) {
        const enc = /(?:^|[\s;&|])(pwsh|powershell)(?:\.exe)?\s+(?:-\S+\s+)*-e(?:c|nc|ncodedcommand)?\s+[A-Za-z0-9+/=]{16,}/i.exec(code);
        if (enc) how = `runs a base64-encoded command with ${enc[1]} -EncodedCommand`;
      }
      if (!how) continue;
      text ??= new ScalarText(site.source, step.run);
      const location: Location = text.location(rs.statement.start, rs.statement.end);
      report({
        message: `${who} ${how}, so the code that runs cannot be read or reviewed in the workflow; commit the script in plain text`,
        location,
        severity: 'high',
        route: `${site.route}.run:encoded:${rs.statement.text.trim().slice(0, 80)}`,
      });
    }
  }
}
