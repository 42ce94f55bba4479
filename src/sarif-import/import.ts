/**
 * Other scanners' SARIF 2.1.0 (CodeQL, Semgrep, ZAP, Trivy, anything that writes the standard)
 * turned into pipewarden Findings, so one baseline, one policy and one report gate them all.
 * Pure: takes the text of a log and where it came from; the CLI does the reading.
 *
 * Rule ids are prefixed with the tool (`codeql/js/sql-injection`, `trivy/CVE-2024-1234`) so two
 * tools' ids never collide and config `rules:` entries can target one tool's rule.
 */
import type { Confidence, Diagnostic, Finding, FlowStep, Location, RelatedLocation, Severity } from '../core/finding.js';
import { fingerprintOf } from '../core/fingerprint.js';

type Json = Record<string, unknown>;

export interface ImportedRule {
  id: string;
  title: string;
  /** Help text from the log (markdown when the tool gave it), for `help` in our SARIF and text reports. */
  docs: string;
}

export interface SarifImport {
  findings: Finding[];
  rules: ImportedRule[];
  diagnostics: Diagnostic[];
  /** Results the producing tool marked suppressed or absent from its baseline: not reported. */
  skipped: number;
}

export interface ImportOptions {
  /** How the file is named in messages (as the user gave it). */
  file: string;
  /** Report paths are made relative to this absolute directory (posix slashes). */
  root: string;
}

/** Rule id of the findings an unreadable log produces: a scanner whose results are lost fails the gate. */
export const INVALID_INPUT_RULE = 'sarif/invalid-input';

const MAX_RESULTS = 200_000;
const MAX_FLOW_STEPS = 100;

export function importSarif(text: string, opts: ImportOptions): SarifImport {
  const out: SarifImport = { findings: [], rules: [], diagnostics: [], skipped: 0 };
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (e) {
    out.findings.push(invalid(opts.file, (e as Error).message, text));
    return out;
  }
  if (!isObj(log) || !Array.isArray(log.runs)) {
    out.findings.push(invalid(opts.file, 'not a SARIF log: no "runs" array at the top level', text));
    return out;
  }
  if (log.version !== undefined && log.version !== '2.1.0') {
    out.diagnostics.push({ level: 'warning', file: opts.file, message: `SARIF version ${String(log.version)} is not 2.1.0; read as 2.1.0` });
  }
  const rulesSeen = new Map<string, ImportedRule>();
  let count = 0;
  log.runs.forEach((run, runIndex) => {
    if (!isObj(run)) {
      out.diagnostics.push({ level: 'error', file: opts.file, message: `runs[${runIndex}] is not an object; skipped` });
      return;
    }
    const tool = toolOf(run);
    const ruleTable = rulesOf(run);
    const results = Array.isArray(run.results) ? run.results : [];
    results.forEach((res, i) => {
      if (count >= MAX_RESULTS) return;
      if (!isObj(res)) {
        out.diagnostics.push({ level: 'error', file: opts.file, message: `runs[${runIndex}].results[${i}] is not an object; skipped` });
        return;
      }
      if (isSuppressed(res)) {
        out.skipped++;
        return;
      }
      count++;
      const rule = lookupRule(res, ruleTable);
      const rawId = str(res.ruleId) ?? str(isObj(res.rule) ? res.rule.id : undefined) ?? str(rule?.id) ?? 'unknown';
      const id = `${tool.slug}/${rawId}`;
      const location = locationOf(firstPhysical(res.locations), opts.root) ?? { file: opts.file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
      const message = messageOf(res, rule) ?? str(rule?.shortDescription && (rule.shortDescription as Json).text) ?? rawId;
      const helpUri = str(rule?.helpUri);
      if (!rulesSeen.has(id)) rulesSeen.set(id, { id, title: ruleTitle(rule, rawId, tool.name), docs: ruleDocs(rule, rawId, tool.name) });
      const codeFlows = flowsOf(res, opts.root);
      const related = relatedOf(res, opts.root);
      const stable = stableKey(res) ?? `${message}\u0000${snippetOf(res) ?? ''}`;
      out.findings.push({
        ruleId: id,
        severity: severityOf(res, rule),
        confidence: confidenceOf(rule),
        message: `${clean(message)} (${tool.name})`,
        location,
        related,
        owasp: [],
        cwe: cwesOf(rule, res),
        fingerprint: fingerprintOf(id, location.file, stable),
        properties: { tool: tool.name, ...(tool.version && { toolVersion: tool.version }), importedFrom: opts.file, help: helpUri ?? `${tool.name} rule ${rawId}` },
        ...(codeFlows.length && { codeFlows }),
      });
    });
    if (results.length > 0 && count >= MAX_RESULTS) out.diagnostics.push({ level: 'error', file: opts.file, message: `more than ${MAX_RESULTS} results; the rest are not imported` });
  });
  out.rules = [...rulesSeen.values()];
  return out;
}

/** A finding for a log that cannot be read: where it broke, so the user can fix the producing step. */
function invalid(file: string, why: string, text: string): Finding {
  const pos = /position (\d+)/.exec(why)?.[1] ?? jsonErrorOffset(text);
  let line = 1;
  let column = 1;
  if (pos !== undefined) {
    const at = Math.min(Number(pos), text.length);
    const before = text.slice(0, at);
    line = before.split('\n').length;
    column = at - before.lastIndexOf('\n');
  }
  return {
    ruleId: INVALID_INPUT_RULE,
    severity: 'high',
    confidence: 'high',
    message: `cannot import this SARIF file (${why.replace(/\s+/g, ' ').slice(0, 200)}); its scanner's results are not in the report`,
    location: { file, startLine: line, startColumn: column, endLine: line, endColumn: column + 1 },
    related: [],
    owasp: [],
    cwe: [],
    fingerprint: fingerprintOf(INVALID_INPUT_RULE, file, 'unreadable'),
  };
}

/**
 * Where JSON text stops being valid (Node 20's JSON.parse does not say): a small iterative
 * scanner, so a deeply nested or huge file cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stack: string[] = [];
  // expect: 'value' | 'key' | 'colon' | 'commaOrEnd'
  let expect = 'value';
  for (;;) {
    ws();
    if (i >= text.length) return expect === 'commaOrEnd' && stack.length === 0 ? undefined : i;
    const c = text[i]!;
    if (expect === 'value' || expect === 'key') {
      if (c === '"') {
        const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i, i + 1_000_000));
        if (!m) return i;
        i += m[0].length;
        expect = expect === 'key' ? 'colon' : 'commaOrEnd';
        continue;
      }
      if (expect === 'key') return i; // keys are strings; `}` right after `{` was handled there
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          expect = 'commaOrEnd';
        } else expect = c === '{' ? 'key' : 'value';
        continue;
      }
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
      if (!m) return i;
      i += m[0].length;
      expect = 'commaOrEnd';
      continue;
    }
    if (expect === 'colon') {
      if (c !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    // commaOrEnd
    const top = stack[stack.length - 1];
    if (!top) return i; // text after the top-level value
    if (c === ',') {
      i++;
      expect = top === '{' ? 'key' : 'value';
      continue;
    }
    if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      stack.pop();
      i++;
      continue;
    }
    return i;
  }
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function toolOf(run: Json): { name: string; slug: string; version?: string } {
  const driver = isObj(run.tool) && isObj(run.tool.driver) ? run.tool.driver : {};
  const name = str(driver.name) ?? 'sarif';
  // "CodeQL" → codeql, "OWASP ZAP" → zap, "Semgrep OSS" → semgrep.
  const lower = name.toLowerCase();
  const known = ['codeql', 'semgrep', 'zap', 'trivy', 'snyk', 'eslint', 'gitleaks', 'checkov', 'grype', 'bandit', 'gosec', 'tfsec', 'kics', 'hadolint', 'bearer', 'njsscan'].find((k) => lower.includes(k));
  const slug = known ?? (lower.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'sarif');
  const version = str(driver.semanticVersion) ?? str(driver.version);
  return { name, slug, ...(version && { version }) };
}

function rulesOf(run: Json): { list: Json[]; byId: Map<string, Json>; extensions: Json[][] } {
  const tool = isObj(run.tool) ? run.tool : {};
  const driver = isObj(tool.driver) ? tool.driver : {};
  const list = (Array.isArray(driver.rules) ? driver.rules : []).filter(isObj);
  const extensions = (Array.isArray(tool.extensions) ? tool.extensions : []).filter(isObj).map((x) => (Array.isArray(x.rules) ? x.rules : []).filter(isObj));
  const byId = new Map<string, Json>();
  for (const r of [...list, ...extensions.flat()]) {
    const id = str(r.id);
    if (id && !byId.has(id)) byId.set(id, r);
  }
  return { list, byId, extensions };
}

function lookupRule(res: Json, t: ReturnType<typeof rulesOf>): Json | undefined {
  const ref = isObj(res.rule) ? res.rule : undefined;
  const index = num(ref?.index) ?? num(res.ruleIndex);
  const component = ref && isObj(ref.toolComponent) ? num(ref.toolComponent.index) : undefined;
  if (index !== undefined) {
    const table = component !== undefined ? t.extensions[component] : t.list;
    const r = table?.[index];
    if (r) return r;
  }
  const id = str(res.ruleId) ?? str(ref?.id);
  return id ? (t.byId.get(id) ?? t.byId.get(id.split('/')[0]!)) : undefined;
}

function isSuppressed(res: Json): boolean {
  if (res.baselineState === 'absent') return true;
  const sup = Array.isArray(res.suppressions) ? res.suppressions : [];
  // A suppression counts unless it is still under review or was rejected.
  return sup.some((s) => isObj(s) && s.status !== 'underReview' && s.status !== 'rejected');
}

function firstPhysical(locations: unknown): Json | undefined {
  if (!Array.isArray(locations)) return undefined;
  for (const l of locations) if (isObj(l) && isObj(l.physicalLocation)) return l.physicalLocation;
  return undefined;
}

/** A SARIF physical location as ours; the path relative to the report root when it is inside it. */
function locationOf(phys: Json | undefined, root: string): Location | undefined {
  if (!phys || !isObj(phys.artifactLocation)) return undefined;
  const art = phys.artifactLocation;
  const uri = str(art.uri);
  if (!uri) return undefined;
  // A path relative to a base id (`%SRCROOT%`) is relative to the scanned checkout: report it as
  // is, wherever that checkout was on the producing machine. Only absolute paths need the root.
  const baseId = str(art.uriBaseId);
  const relativeToBase = !!baseId && !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('/');
  const file = relativeToBase ? pathOf(uri, '\u0000') : pathOf(uri, root);
  const region = isObj(phys.region) ? phys.region : {};
  const startLine = Math.max(1, Math.floor(num(region.startLine) ?? 1));
  const startColumn = Math.max(1, Math.floor(num(region.startColumn) ?? 1));
  const endLine = Math.max(startLine, Math.floor(num(region.endLine) ?? startLine));
  const endColumn = Math.max(1, Math.floor(num(region.endColumn) ?? (endLine === startLine ? startColumn + 1 : 1)));
  return { file, startLine, startColumn, endLine, endColumn };
}

function pathOf(uri: string, root: string): string {
  let p = uri;
  if (/^file:/i.test(p)) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      p = p.replace(/^file:\/*/i, '/');
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(p)) {
    return p; // a URL (ZAP reports pages, not files): kept as written
  } else {
    try {
      p = decodeURIComponent(p);
    } catch {
      // Not percent-encoded after all.
    }
  }
  p = p.replace(/\\/g, '/');
  const base = root.endsWith('/') ? root : `${root}/`;
  if (p.startsWith(base)) p = p.slice(base.length);
  return p.replace(/^\.\//, '');
}

function messageOf(res: Json, rule: Json | undefined): string | undefined {
  const m = isObj(res.message) ? res.message : {};
  let text = str(m.text) ?? str(m.markdown);
  const id = str(m.id);
  if (!text && id && rule && isObj(rule.messageStrings) && isObj(rule.messageStrings[id])) text = str((rule.messageStrings[id] as Json).text);
  if (!text) return undefined;
  const args = Array.isArray(m.arguments) ? m.arguments.map(String) : [];
  return text.replace(/\{(\d+)\}/g, (all, n: string) => args[Number(n)] ?? all);
}

/** Plain one-line text: CodeQL's `[label](1)` links keep their label; control characters go. */
function clean(s: string): string {
  return s
    .replace(/\[([^\]]*)\]\(\d+\)/g, '$1')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 1000);
}

function ruleTitle(rule: Json | undefined, id: string, tool: string): string {
  const short = rule && isObj(rule.shortDescription) ? str(rule.shortDescription.text) : undefined;
  const name = rule ? str(rule.name) : undefined;
  return clean(short ?? name ?? `${tool} ${id}`);
}

function ruleDocs(rule: Json | undefined, id: string, tool: string): string {
  const help = rule && isObj(rule.help) ? (str(rule.help.markdown) ?? str(rule.help.text)) : undefined;
  const full = rule && isObj(rule.fullDescription) ? str(rule.fullDescription.text) : undefined;
  const uri = rule ? str(rule.helpUri) : undefined;
  const parts = [`# ${tool}: ${ruleTitle(rule, id, tool)}`, '', `Imported from ${tool}'s SARIF (rule \`${id}\`).`];
  if (full) parts.push('', full);
  if (help && help !== full) parts.push('', help);
  if (uri) parts.push('', `More: ${uri}`);
  return `${parts.join('\n')}\n`;
}

const LEVEL_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/**
 * `security-severity` (a CVSS-like score CodeQL and Trivy put on rules) when present, else the
 * result's level, else the rule's default level, else SARIF's default (`warning`).
 */
function severityOf(res: Json, rule: Json | undefined): Severity {
  const props = (isObj(res.properties) ? res.properties : undefined) ?? {};
  const rprops = rule && isObj(rule.properties) ? rule.properties : {};
  const score = Number(str(props['security-severity']) ?? str(rprops['security-severity']) ?? num(rprops['security-severity']) ?? NaN);
  if (Number.isFinite(score)) return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'info';
  const def = rule && isObj(rule.defaultConfiguration) ? str(rule.defaultConfiguration.level) : undefined;
  const level = str(res.level) ?? def ?? 'warning';
  return LEVEL_SEVERITY[level] ?? 'medium';
}

/** CodeQL's `precision`, Semgrep's `confidence`; tools that say nothing get medium. */
function confidenceOf(rule: Json | undefined): Confidence {
  const p = rule && isObj(rule.properties) ? rule.properties : {};
  const v = (str(p.precision) ?? str(p.confidence) ?? '').toLowerCase();
  if (v === 'very-high' || v === 'high') return 'high';
  if (v === 'low') return 'low';
  return 'medium';
}

function cwesOf(rule: Json | undefined, res: Json): string[] {
  const tags: string[] = [];
  for (const bag of [rule?.properties, res.properties]) {
    if (!isObj(bag)) continue;
    if (Array.isArray(bag.tags)) for (const t of bag.tags) if (typeof t === 'string') tags.push(t);
    for (const key of ['cwe', 'cweid', 'cwe_id']) {
      const v = bag[key];
      if (typeof v === 'string' || typeof v === 'number') tags.push(`CWE-${v}`);
      if (Array.isArray(v)) for (const x of v) tags.push(`CWE-${String(x)}`);
    }
  }
  // The standard way (ZAP uses it): a relationship to the CWE taxonomy.
  for (const rel of rule && Array.isArray(rule.relationships) ? rule.relationships : []) {
    if (!isObj(rel) || !isObj(rel.target)) continue;
    const comp = isObj(rel.target.toolComponent) ? str(rel.target.toolComponent.name) : undefined;
    const id = str(rel.target.id);
    if (id && comp?.toUpperCase() === 'CWE') tags.push(`CWE-${id}`);
  }
  const out = new Set<string>();
  for (const t of tags) {
    const m = /cwe[-/: ]*0*(\d+)/i.exec(t);
    if (m) out.add(`CWE-${m[1]}`);
  }
  return [...out].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}

/** What the tool itself uses to recognise a result across runs (never a bare line number). */
function stableKey(res: Json): string | undefined {
  for (const bag of [res.fingerprints, res.partialFingerprints]) {
    if (!isObj(bag)) continue;
    const keys = Object.keys(bag).sort();
    const vals = keys.map((k) => `${k}=${String(bag[k])}`);
    if (vals.length) return vals.join('&');
  }
  const guid = str(res.correlationGuid) ?? str(res.guid);
  return guid;
}

function snippetOf(res: Json): string | undefined {
  const phys = firstPhysical(res.locations);
  const region = phys && isObj(phys.region) ? phys.region : undefined;
  return region && isObj(region.snippet) ? str(region.snippet.text)?.trim() : undefined;
}

function flowsOf(res: Json, root: string): FlowStep[][] {
  const out: FlowStep[][] = [];
  for (const cf of Array.isArray(res.codeFlows) ? res.codeFlows : []) {
    if (!isObj(cf)) continue;
    for (const tf of Array.isArray(cf.threadFlows) ? cf.threadFlows : []) {
      if (!isObj(tf) || !Array.isArray(tf.locations)) continue;
      const steps: FlowStep[] = [];
      for (const tl of tf.locations.slice(0, MAX_FLOW_STEPS)) {
        if (!isObj(tl) || !isObj(tl.location)) continue;
        const loc = locationOf(isObj(tl.location.physicalLocation) ? tl.location.physicalLocation : undefined, root);
        if (!loc) continue;
        const msg = isObj(tl.location.message) ? str(tl.location.message.text) : undefined;
        steps.push({ ...loc, message: clean(msg ?? '') || 'step' });
      }
      if (steps.length) out.push(steps);
    }
  }
  return out.slice(0, 10);
}

function relatedOf(res: Json, root: string): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const rl of Array.isArray(res.relatedLocations) ? res.relatedLocations.slice(0, 20) : []) {
    if (!isObj(rl)) continue;
    const loc = locationOf(isObj(rl.physicalLocation) ? rl.physicalLocation : undefined, root);
    if (!loc) continue;
    const msg = isObj(rl.message) ? str(rl.message.text) : undefined;
    out.push({ ...loc, message: clean(msg ?? 'related') || 'related' });
  }
  return out;
}
