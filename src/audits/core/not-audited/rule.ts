import type { Finding } from '../../../core/finding.js';
import type { RuleMeta } from '../../../core/rule.js';
import { completeFinding } from '../../../core/engine.js';

/**
 * Not a check over a model: a CI file that pipewarden found but could not read (binary, not
 * decodable, unreadable, over the size limit, a link out of the scanned tree) is reported through
 * this rule, so the gate fails closed instead of passing a file nobody looked at.
 */
export const meta: RuleMeta = {
  id: 'not-audited',
  title: 'CI file could not be read and was not audited',
  platform: 'core',
  severity: 'high',
  confidence: 'high',
  owasp: ['CICD-SEC-10'],
  cwe: ['CWE-636'],
  fixable: false,
  online: false,
  docs: new URL('./README.md', import.meta.url),
};

/**
 * `why` says what stopped the read ("binary file", "cannot read file: permission denied (EACCES)").
 * The fingerprint keeps only its kind (the words before any figure or colon), so a file that grows
 * from 6 to 7 MiB stays the same finding in a baseline.
 */
export function notAuditedFinding(file: string, why: string): Finding {
  const reason = why.replace(/; (?:skipped|not read)$/, '');
  const kind = reason.split(/[:\d]/)[0]!.trim();
  return completeFinding(meta, {
    message: `${reason}; not audited`,
    location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    route: kind,
  });
}
