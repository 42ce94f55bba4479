/** How the HTML report groups findings: category, OWASP CI/CD risk, repository. */
import type { Finding } from '../../core/finding.js';

/** OWASP Top 10 CI/CD Security Risks. */
export const OWASP_CICD: Record<string, string> = {
  'CICD-SEC-1': 'Insufficient Flow Control Mechanisms',
  'CICD-SEC-2': 'Inadequate Identity and Access Management',
  'CICD-SEC-3': 'Dependency Chain Abuse',
  'CICD-SEC-4': 'Poisoned Pipeline Execution',
  'CICD-SEC-5': 'Insufficient PBAC (Pipeline-Based Access Controls)',
  'CICD-SEC-6': 'Insufficient Credential Hygiene',
  'CICD-SEC-7': 'Insecure System Configuration',
  'CICD-SEC-8': 'Ungoverned Usage of 3rd Party Services',
  'CICD-SEC-9': 'Improper Artifact Integrity Validation',
  'CICD-SEC-10': 'Insufficient Logging and Visibility',
};

/**
 * The scanner a finding comes from: its rule's platform when the rule is known, else the prefix
 * of its id (secrets/github-pat, ...). A new scanner only needs a line here.
 */
const CATEGORY: Record<string, string> = {
  github: 'Pipeline definitions',
  gitlab: 'Pipeline definitions',
  azure: 'Pipeline definitions',
  circleci: 'Pipeline definitions',
  bitbucket: 'Pipeline definitions',
  core: 'Pipeline definitions',
  secrets: 'Secrets',
  deps: 'Dependencies',
  sast: 'Code',
  sarif: 'Code',
  posture: 'Access posture',
};

export type PlatformOf = (ruleId: string) => string | undefined;

export function categoryOf(f: Finding, platformOf: PlatformOf = () => undefined): string {
  const slash = f.ruleId.indexOf('/');
  const key = platformOf(f.ruleId) ?? (slash === -1 ? '' : f.ruleId.slice(0, slash));
  return Object.hasOwn(CATEGORY, key) ? CATEGORY[key]! : 'Other';
}

export function owaspOf(f: Finding): string[] {
  return f.owasp.length > 0 ? f.owasp : ['none'];
}

/** Counts of `key(f)` values, most frequent first, ties by name; `order` fixes the order instead. */
export function countBy(findings: readonly Finding[], key: (f: Finding) => string | string[], order?: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const k = key(f);
    for (const one of Array.isArray(k) ? k : [k]) counts.set(one, (counts.get(one) ?? 0) + 1);
  }
  if (order) return order.filter((k) => counts.has(k)).map((k) => [k, counts.get(k)!]);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
