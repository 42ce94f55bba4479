import type * as Sarif from 'sarif';
import { severityRank, confidenceRank, hasRegion, type Diagnostic, type Finding, type Location, type Severity } from '../core/finding.js';
import { DOCS_BASE_URL, type RuleMeta } from '../core/rule.js';
import { absoluteFileUri, directoryUri, isAbsolutePath, isUrl, relativeUri } from './paths.js';
import type { ReportContext } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/pipewarden/pipewarden';
const SRCROOT = '%SRCROOT%';
/** Versioned key so a future fingerprint scheme can sit beside this one without breaking baselines. */
const FINGERPRINT_KEY = 'pipewarden/v1';

/** GitHub code scanning ranks alerts by these (>= 9.0 critical, >= 7.0 high, >= 4.0 medium). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

const LEVEL: Record<Severity, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** The subset of RuleMeta a descriptor needs; synthesised for rules that ctx.rules does not list. */
type DescriptorSource = Pick<RuleMeta, 'id' | 'title' | 'severity' | 'confidence' | 'owasp' | 'cwe'> & { known: boolean };

export function renderSarif(findings: readonly Finding[], ctx: ReportContext): string {
  const sources = descriptorSources(findings, ctx.rules);
  const index = new Map(sources.map((s, i) => [s.id, i]));
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'pipewarden',
        version: ctx.toolVersion,
        informationUri: INFORMATION_URI,
        rules: sources.map((s) => descriptor(s, ctx)),
      },
    },
    invocations: [
      {
        // Input that could not be checked (a scan past its time budget, an unreadable git object) is a partial run.
        executionSuccessful: !ctx.diagnostics.some((d) => d.failsGate === true),
        toolExecutionNotifications: ctx.diagnostics.map(notification),
      },
    ],
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(ctx.root) } },
    results: findings.map((f) => result(f, index.get(f.ruleId)!)),
    // Our columns are JavaScript string offsets.
    columnKind: 'utf16CodeUnits',
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Known rules sorted by id, then any rule that only appears in findings (so every ruleIndex resolves). */
function descriptorSources(findings: readonly Finding[], rules: readonly RuleMeta[]): DescriptorSource[] {
  const known = new Map<string, DescriptorSource>();
  for (const r of rules) if (!known.has(r.id)) known.set(r.id, { ...r, known: true });
  const extra = new Map<string, DescriptorSource>();
  for (const f of findings) {
    if (known.has(f.ruleId)) continue;
    const prev = extra.get(f.ruleId);
    if (!prev) {
      extra.set(f.ruleId, { id: f.ruleId, title: f.ruleId, severity: f.severity, confidence: f.confidence, owasp: [...f.owasp], cwe: [...f.cwe], known: false });
      continue;
    }
    // Describe the rule by the worst of its findings.
    if (severityRank(f.severity) > severityRank(prev.severity)) prev.severity = f.severity;
    if (confidenceRank(f.confidence) > confidenceRank(prev.confidence)) prev.confidence = f.confidence;
    prev.owasp = union(prev.owasp, f.owasp);
    prev.cwe = union(prev.cwe, f.cwe);
  }
  const byId = (a: DescriptorSource, b: DescriptorSource) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...[...known.values()].sort(byId), ...[...extra.values()].sort(byId)];
}

function descriptor(s: DescriptorSource, ctx: ReportContext): Sarif.ReportingDescriptor {
  const docs = ctx.docsFor(s.id);
  const summary = (docs && firstParagraph(docs)) || s.title;
  return {
    id: s.id,
    name: pascalCase(s.id),
    shortDescription: { text: s.title },
    fullDescription: { text: summary },
    ...(s.known && { helpUri: `${DOCS_BASE_URL}/${encodeURIComponent(s.id)}.md` }),
    help: docs ? { text: docs, markdown: docs } : { text: `${s.title}. Run \`pipewarden rules ${s.id}\` for details.` },
    defaultConfiguration: { level: LEVEL[s.severity] },
    properties: {
      tags: ['security', ...s.owasp, ...s.cwe.map(cweTag)],
      'security-severity': SECURITY_SEVERITY[s.severity],
      precision: s.confidence,
    },
  };
}

function result(f: Finding, ruleIndex: number): Sarif.Result {
  const properties: Sarif.PropertyBag = { severity: f.severity, confidence: f.confidence };
  for (const key of Object.keys(f.properties ?? {}).sort()) {
    if (!(key in properties)) properties[key] = f.properties![key];
  }
  if (f.occurrences) properties.occurrences = { count: f.occurrences.count, listed: f.occurrences.listed };
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f.location) }],
    ...(f.related.length > 0 && {
      relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r), message: { text: r.message } })),
    }),
    ...(f.codeFlows?.length && { codeFlows: f.codeFlows.map(codeFlow) }),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.fix && { fixes: [fixOf(f.fix)] }),
    properties,
  };
}

function codeFlow(steps: NonNullable<Finding['codeFlows']>[number]): Sarif.CodeFlow {
  return { threadFlows: [{ locations: steps.map((s) => ({ location: { physicalLocation: physical(s), message: { text: s.message } } })) }] };
}

function physical(loc: Location): Sarif.PhysicalLocation {
  if (!hasRegion(loc)) return { artifactLocation: artifact(loc.file) };
  return {
    artifactLocation: artifact(loc.file),
    region: { startLine: loc.startLine, startColumn: loc.startColumn, endLine: loc.endLine, endColumn: loc.endColumn },
  };
}

function artifact(file: string): Sarif.ArtifactLocation {
  if (isUrl(file)) return { uri: file };
  return isAbsolutePath(file) ? { uri: absoluteFileUri(file) } : { uri: relativeUri(file), uriBaseId: SRCROOT };
}

/** TextEdit offsets are UTF-16 offsets into the file, which is what charOffset means under columnKind utf16CodeUnits. */
function fixOf(fix: NonNullable<Finding['fix']>): Sarif.Fix {
  const byFile = new Map<string, Sarif.Replacement[]>();
  for (const e of fix.edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.replacement } });
    byFile.set(e.file, list);
  }
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifact(file), replacements })),
  };
}

function notification(d: Diagnostic): Sarif.Notification {
  const n: Sarif.Notification = { level: d.level, message: { text: d.message }, ...(d.code !== undefined && { descriptor: { id: d.code } }) };
  if (d.file !== undefined) {
    const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifact(d.file) };
    if (d.line !== undefined) physicalLocation.region = { startLine: d.line, ...(d.column !== undefined && { startColumn: d.column }) };
    n.locations = [{ physicalLocation }];
  }
  return n;
}

/** `template-injection` -> `TemplateInjection`; SARIF names are identifiers, ids may carry punctuation. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** GitHub's tag convention: `external/cwe/cwe-94` for CWE-94 (or a bare 94). */
export function cweTag(cwe: string): string {
  return `external/cwe/cwe-${cwe.replace(/^cwe-?/i, '').toLowerCase()}`;
}

/** First prose paragraph of a README: skips headings so fullDescription says what the rule finds. */
export function firstParagraph(markdown: string): string | undefined {
  const paragraphs = markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const p of paragraphs) {
    const text = p
      .split('\n')
      .filter((l) => !/^\s{0,3}#/.test(l))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (text && !text.startsWith('```')) return text;
  }
  return undefined;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
