import type { Finding } from '../core/finding.js';
import { renderGithub } from './github.js';
import { maskedSourceOf, maskReportTexts } from './mask.js';
import { renderGitlab } from './gitlab.js';
import { renderGitlabSecurity } from './gitlab-security.js';
import { renderHtml } from './html/render.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Format, ReportContext } from './types.js';

export type { Format, ReportContext } from './types.js';
export { FORMATS } from './types.js';
export { renderDiagnosticsText } from './text.js';

/**
 * Renders findings (already sorted by compareFindings) in one format; output is a complete
 * document. Every renderer gets texts and sources with the secrets starred out (mask.ts).
 */
export function renderReport(all: Finding[], format: Format, raw: ReportContext): string {
  const safe = maskReportTexts(all, raw.diagnostics);
  const findings = safe.findings;
  const ctx: ReportContext = {
    ...raw,
    diagnostics: safe.diagnostics,
    sourceOf: maskedSourceOf(raw.sourceOf, [...all, ...(raw.hidden ?? [])], raw.rules),
  };
  switch (format) {
    case 'text':
      return renderText(findings, ctx);
    case 'json':
      return renderJson(findings, ctx);
    case 'sarif':
      return renderSarif(findings, ctx);
    case 'github':
      return renderGithub(findings);
    case 'gitlab':
      return renderGitlab(findings);
    case 'gitlab-sast':
      return renderGitlabSecurity(findings, 'sast', ctx);
    case 'gitlab-secrets':
      return renderGitlabSecurity(findings, 'secret_detection', ctx);
    case 'html':
      return renderHtml(findings, ctx);
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}
