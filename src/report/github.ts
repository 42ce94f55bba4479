import { hasRegion, type Finding, type Severity } from '../core/finding.js';
import { escapeControlsKeepNewlines } from './escape.js';
import { isUrl, toPosixPath } from './paths.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * GitHub Actions workflow commands, one annotation per finding. Escaping follows @actions/core
 * (command.ts) so a hostile message cannot end the command early or start a new one; other
 * control characters are made visible because the log viewer renders ANSI sequences.
 */
export function renderGithub(findings: readonly Finding[]): string {
  return findings.map((f) => annotation(f) + '\n').join('');
}

function annotation(f: Finding): string {
  const l = f.location;
  // A URL (a repository checked through the API) is not a file in the checkout: no file/line, the URL leads the message.
  if (isUrl(l.file)) {
    const where = hasRegion(l) ? `${l.file}#L${l.startLine}` : l.file;
    return `::${COMMAND[f.severity]} title=${escapeProperty(f.ruleId)}::${escapeData(`${where}: ${f.message}`)}`;
  }
  if (!hasRegion(l)) return `::${COMMAND[f.severity]} file=${escapeProperty(toPosixPath(l.file))},title=${escapeProperty(f.ruleId)}::${escapeData(f.message)}`;
  const props = [
    `file=${escapeProperty(toPosixPath(l.file))}`,
    `line=${l.startLine}`,
    `col=${l.startColumn}`,
    `endLine=${l.endLine}`,
    `endColumn=${l.endColumn}`,
    `title=${escapeProperty(f.ruleId)}`,
  ];
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
}

export function escapeData(text: string): string {
  return escapeControlsKeepNewlines(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
