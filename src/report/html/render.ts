/**
 * A self-contained HTML report: one file, no network (a strict Content-Security-Policy allows only
 * the page's own inline style and script, by hash), charts as inline SVG, a sortable and
 * filterable table, and for each finding its code frame, related places, fix and rule docs.
 * Every piece of text from a scanned file is HTML-escaped; secrets are masked in code frames.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../../core/finding.js';
import { redactSpans } from '../../secrets/redact.js';
import { codeFrame, splitLines } from '../frame.js';
import { countBySeverity, type SeverityCounts } from '../summary.js';
import type { ReportContext } from '../types.js';
import { categoryOf, countBy, owaspOf, OWASP_CICD } from './facets.js';
import { escapeHtml as esc, renderMarkdown } from './markdown.js';
import { SCRIPT, STYLE } from './assets.js';

/** One earlier (or the current) run, for the trend chart. */
export interface TrendPoint {
  /** ISO date-time of the run. */
  date: string;
  label: string;
  bySeverity: SeverityCounts;
}

export interface HtmlOptions {
  title?: string;
  /** The repository a finding's file belongs to (default: the scanned folder, "."). */
  repositoryOf?(file: string): string;
  /** Runs before this one, oldest first; the current run is added as the last point. */
  trend?: TrendPoint[];
  /** When this report was made (ISO); default now. */
  generatedAt?: string;
}

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#7b1fa2',
  high: '#c62828',
  medium: '#ef6c00',
  low: '#1565c0',
  info: '#607d8b',
};

/** Findings whose location is the credential itself: their span is starred out in frames. */
const CREDENTIAL_RULES = new Set(['hardcoded-credentials', 'hardcoded-secret']);

function isCredential(f: Finding): boolean {
  return f.ruleId.startsWith('secrets/') || CREDENTIAL_RULES.has(f.ruleId);
}

/**
 * Source text with the span of every credential finding masked (shared redactSpans), on top of
 * whatever the scanner's own sourceOf already hides: a frame must never show a whole secret.
 */
export function maskedSources(findings: readonly Finding[], sourceOf: (file: string) => string | undefined): (file: string) => string | undefined {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) if (isCredential(f)) byFile.set(f.location.file, [...(byFile.get(f.location.file) ?? []), f]);
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    const text = sourceOf(file);
    let out = text;
    const hits = byFile.get(file);
    if (text !== undefined && hits) {
      const starts: number[] = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      const offset = (line: number, col: number): number => Math.min(text.length, (starts[line - 1] ?? text.length) + col - 1);
      out = redactSpans(
        text,
        hits.map((f) => ({ start: offset(f.location.startLine, f.location.startColumn), end: offset(f.location.endLine, f.location.endColumn) })),
      );
    }
    cache.set(file, out);
    return out;
  };
}

export function renderHtml(findings: readonly Finding[], ctx: ReportContext, opts: HtmlOptions = {}): string {
  const title = opts.title ?? 'pipewarden report';
  const generatedAt = opts.generatedAt ?? (ctx.time?.end ?? new Date()).toISOString();
  const repositoryOf = opts.repositoryOf ?? (() => '.');
  const sourceOf = maskedSources(findings, ctx.sourceOf);
  const titles = new Map(ctx.rules.map((r) => [r.id, r.title]));
  const platforms = new Map<string, string>(ctx.rules.map((r) => [r.id, r.platform]));
  const category = (f: Finding): string => categoryOf(f, (id) => platforms.get(id));
  const counts = countBySeverity(findings);
  const sorted = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : a.location.startLine - b.location.startLine));
  const trend = [...(opts.trend ?? []), { date: generatedAt, label: 'this run', bySeverity: counts }];
  const ruleIds = [...new Set(sorted.map((f) => f.ruleId))].sort();

  const body = [
    `<header><h1>${esc(title)}</h1><p class="meta">pipewarden ${esc(ctx.toolVersion)} · ${esc(generatedAt.replace('T', ' ').slice(0, 19))} UTC</p></header>`,
    summarySection(findings, counts, ctx),
    '<section class="charts" aria-label="charts">',
    chart('By severity', countBy(findings, (f) => f.severity, SEVERITIES).map(([k, n]) => ({ label: k, value: n, color: SEVERITY_COLOR[k as Severity] }))),
    chart('By category', countBy(findings, category).map(([k, n]) => ({ label: k, value: n }))),
    chart(
      'By OWASP CI/CD risk',
      countBy(findings, owaspOf, [...Object.keys(OWASP_CICD), 'none']).map(([k, n]) => ({ label: k, value: n, title: OWASP_CICD[k] ?? 'no OWASP CI/CD risk' })),
    ),
    chart('By repository', countBy(findings, (f) => repositoryOf(f.location.file)).map(([k, n]) => ({ label: k, value: n }))),
    trendChart(trend),
    '</section>',
    filters(sorted, repositoryOf, category),
    table(sorted, { titles, sourceOf, repositoryOf, category }),
    rulesSection(ruleIds, ctx, titles),
    `<footer>Made by pipewarden. Findings hidden by ignores or the baseline: ${ctx.suppressedCount}. Nothing in this page loads anything from the network.</footer>`,
  ].join('\n');

  const csp = [
    "default-src 'none'",
    `style-src '${sha256(STYLE)}'`,
    `script-src '${sha256(SCRIPT)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function summarySection(findings: readonly Finding[], counts: SeverityCounts, ctx: ReportContext): string {
  const cards = [`<div class="card total"><span class="n">${findings.length}</span><span>finding${findings.length === 1 ? '' : 's'}</span></div>`];
  for (const s of SEVERITIES) cards.push(`<div class="card sev-${s}"><span class="n">${counts[s]}</span><span>${s}</span></div>`);
  const notes: string[] = [];
  if (ctx.newOnly) notes.push(`Only findings not at the merge base ${esc(ctx.newOnly.mergeBase.slice(0, 12))} of ${esc(ctx.newOnly.ref)}; ${ctx.newOnly.preExisting} older ones are not shown.`);
  const errors = ctx.diagnostics.filter((d) => d.level === 'error');
  if (errors.length > 0) notes.push(`${errors.length} input${errors.length === 1 ? '' : 's'} could not be scanned: ${errors.slice(0, 5).map((d) => esc(`${d.file ?? ''} ${d.message}`.trim())).join('; ')}.`);
  return `<section class="summary" aria-label="summary"><div class="cards">${cards.join('')}</div>${notes.map((n) => `<p class="note">${n}</p>`).join('')}</section>`;
}

interface Bar {
  label: string;
  value: number;
  color?: string;
  title?: string;
}

/** A horizontal bar chart as inline SVG. */
function chart(title: string, bars: Bar[]): string {
  const rowH = 22;
  const labelW = 170;
  const barW = 220;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = Math.max(rowH, bars.length * rowH);
  const rows = bars.map((b, i) => {
    const w = Math.max(2, Math.round((b.value / max) * barW));
    const y = i * rowH;
    const label = b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label;
    return (
      `<g><title>${esc(b.title ? `${b.label}: ${b.title}` : b.label)} (${b.value})</title>` +
      `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(label)}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 8}" fill="${b.color ?? '#455a64'}"></rect>` +
      `<text x="${labelW + w + 4}" y="${y + 15}">${b.value}</text></g>`
    );
  });
  const empty = bars.length === 0 ? '<text x="0" y="15">no findings</text>' : '';
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${labelW + barW + 40} ${h}" width="${labelW + barW + 40}" height="${h}">${rows.join('')}${empty}</svg></figure>`;
}

/** Stacked columns by severity, one per run, oldest first. */
function trendChart(points: TrendPoint[]): string {
  const shown = points.slice(-20);
  const colW = 34;
  const h = 140;
  const max = Math.max(1, ...shown.map((p) => SEVERITIES.reduce((a, s) => a + p.bySeverity[s], 0)));
  const cols = shown.map((p, i) => {
    let y = h - 20;
    const total = SEVERITIES.reduce((a, s) => a + p.bySeverity[s], 0);
    const rects = SEVERITIES.map((s) => {
      const hh = Math.round((p.bySeverity[s] / max) * (h - 40));
      y -= hh;
      return hh > 0 ? `<rect x="${i * colW + 6}" y="${y}" width="${colW - 12}" height="${hh}" fill="${SEVERITY_COLOR[s]}"></rect>` : '';
    }).join('');
    const label = i === shown.length - 1 ? 'now' : p.date.slice(5, 10);
    return `<g><title>${esc(p.label)} ${esc(p.date.slice(0, 10))}: ${total}</title>${rects}<text x="${i * colW + colW / 2}" y="${h - 6}" text-anchor="middle">${esc(label)}</text><text x="${i * colW + colW / 2}" y="${y - 3}" text-anchor="middle">${total}</text></g>`;
  });
  const w = Math.max(200, shown.length * colW);
  return `<figure class="chart trend"><figcaption>Trend (${shown.length} run${shown.length === 1 ? '' : 's'})</figcaption><svg role="img" aria-label="Trend" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${cols.join('')}</svg></figure>`;
}

function options(values: string[], all: string): string {
  return [`<option value="">${esc(all)}</option>`, ...values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)].join('');
}

function filters(findings: readonly Finding[], repositoryOf: (file: string) => string, category: (f: Finding) => string): string {
  const cats = countBy(findings, category).map(([k]) => k);
  const owasp = countBy(findings, owaspOf, [...Object.keys(OWASP_CICD), 'none']).map(([k]) => k);
  const repos = countBy(findings, (f) => repositoryOf(f.location.file)).map(([k]) => k);
  const sev = SEVERITIES.map((s) => `<label class="sev-${s}"><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`).join(' ');
  return `<section class="filters" aria-label="filters">
<input type="search" id="q" placeholder="Filter by rule, file or message" aria-label="filter text">
<span class="sevs">${sev}</span>
<select id="category" aria-label="category">${options(cats, 'every category')}</select>
<select id="owasp" aria-label="OWASP risk">${options(owasp, 'every OWASP risk')}</select>
<select id="repository" aria-label="repository">${options(repos, 'every repository')}</select>
<span id="shown" aria-live="polite">${findings.length} of ${findings.length} shown</span>
</section>`;
}

interface RowContext {
  titles: Map<string, string>;
  sourceOf(file: string): string | undefined;
  repositoryOf(file: string): string;
  category(f: Finding): string;
}

function table(findings: readonly Finding[], rc: RowContext): string {
  const lineCache = new Map<string, string[] | undefined>();
  const rows = findings.map((f, i) => {
    if (!lineCache.has(f.location.file)) {
      const src = rc.sourceOf(f.location.file);
      lineCache.set(f.location.file, src === undefined ? undefined : splitLines(src));
    }
    const lines = lineCache.get(f.location.file);
    const frame = lines ? codeFrame(lines, f.location) : [];
    const where = `${f.location.file}:${f.location.startLine}:${f.location.startColumn}`;
    const details = [
      frame.length > 0 ? `<pre class="frame">${esc(frame.join('\n'))}</pre>` : '<p class="muted">(source not available)</p>',
      ...f.related.map((r) => `<p class="related">note: ${esc(`${r.file}:${r.startLine}:${r.startColumn}`)}: ${esc(r.message)}</p>`),
      ...Object.keys(f.properties ?? {})
        .sort()
        .map((k) => `<p class="prop">${esc(k)}: ${esc(String(f.properties![k]))}</p>`),
      f.fix ? `<p class="fix"><strong>Fix:</strong> ${esc(f.fix.description)} (<code>pipewarden fix${f.fix.safety === 'unsafe' ? ' --unsafe' : ''}</code>)</p>` : '',
      `<p class="docs"><a href="#rule-${esc(anchor(f.ruleId))}">How ${esc(f.ruleId)} works and how to fix it</a> · OWASP ${esc(f.owasp.join(', ') || 'none')} · ${esc(f.cwe.join(', ') || 'no CWE')} · confidence ${f.confidence}</p>`,
    ].join('');
    const attrs = [
      `data-order="${i}"`,
      `data-severity="${f.severity}"`,
      `data-rank="${severityRank(f.severity)}"`,
      `data-rule="${esc(f.ruleId)}"`,
      `data-file="${esc(where)}"`,
      `data-category="${esc(rc.category(f))}"`,
      `data-owasp="${esc(owaspOf(f).join(' '))}"`,
      `data-repository="${esc(rc.repositoryOf(f.location.file))}"`,
    ].join(' ');
    return `<tr class="finding" ${attrs}><td><span class="badge sev-${f.severity}">${f.severity}</span></td><td><code>${esc(f.ruleId)}</code><div class="muted">${esc(rc.titles.get(f.ruleId) ?? '')}</div></td><td class="where">${esc(where)}</td><td><div class="message">${esc(f.message)}</div><details><summary>details</summary>${details}</details></td></tr>`;
  });
  return `<section class="findings" aria-label="findings"><table id="findings"><thead><tr>
<th data-sort="rank" aria-sort="descending"><button type="button">Severity</button></th>
<th data-sort="rule"><button type="button">Rule</button></th>
<th data-sort="file"><button type="button">Location</button></th>
<th data-sort="message"><button type="button">Message</button></th>
</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>${findings.length === 0 ? '<p class="empty">No findings.</p>' : ''}</section>`;
}

function anchor(ruleId: string): string {
  return ruleId.replace(/[^\w-]/g, '_');
}

function rulesSection(ruleIds: string[], ctx: ReportContext, titles: Map<string, string>): string {
  if (ruleIds.length === 0) return '';
  const items = ruleIds.map((id) => {
    const docs = ctx.docsFor(id);
    return `<details class="rule" id="rule-${esc(anchor(id))}"><summary><code>${esc(id)}</code> ${esc(titles.get(id) ?? '')}</summary>${docs ? renderMarkdown(docs) : `<p>Run <code>pipewarden rules ${esc(id)}</code>.</p>`}</details>`;
  });
  return `<section class="rules" aria-label="rules"><h2>Rules</h2>${items.join('\n')}</section>`;
}
