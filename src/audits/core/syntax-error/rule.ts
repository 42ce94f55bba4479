import type { Finding, Location } from '../../../core/finding.js';
import type { RuleMeta } from '../../../core/rule.js';
import { completeFinding } from '../../../core/engine.js';

/**
 * Not a check over a model: the loaders report files they could not parse (or parsed only
 * partly) through this rule, so a broken file is visible in every format and in the gate.
 * High by default: what could not be parsed was not audited, and the default gate
 * (`--fail-on high`) must fail closed on it. Configurable like any rule's severity.
 */
export const meta: RuleMeta = {
  id: 'syntax-error',
  title: 'File could not be parsed and was not (fully) audited',
  platform: 'core',
  severity: 'high',
  confidence: 'high',
  owasp: ['CICD-SEC-10'],
  cwe: ['CWE-1284'],
  fixable: false,
  online: false,
  docs: new URL('./README.md', import.meta.url),
};

export function syntaxErrorFinding(message: string, location: Location): Finding {
  return completeFinding(meta, { message, location, route: `${message}` });
}
