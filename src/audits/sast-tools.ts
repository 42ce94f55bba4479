import { RuleOptionsError, type Platform, type RuleMeta } from '../core/rule.js';

/**
 * What counts as running static analysis (SAST), for every platform's `missing-sast` rule: the
 * rule's metadata, shell commands of the common scanners, and the rule's options.
 */

/** The rule's metadata, the same on every platform; each platform adds its name and its README. */
export function missingSastMeta(platform: Platform, docs: URL): RuleMeta {
  return {
    id: 'missing-sast',
    title: 'No static analysis (SAST) of the code in the pipeline',
    platform,
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-1068'],
    fixable: false,
    online: false,
    docs,
  };
}

/** Shell commands that run SAST: the command word, then (when given) the subcommand. */
const SAST_COMMANDS: Array<[RegExp, string]> = [
  [/\bsemgrep\b(?:\s+(?:ci|scan)\b|\s+--config\b)/, 'semgrep'],
  [/\bcodeql\s+database\s+analyze\b/, 'codeql'],
  [/\bpipewarden(?:\.js)?\s+(?:sast|scan)\b/, 'pipewarden sast'],
  [/\bnode\s+\S*main\.js\s+(?:sast|scan)\b/, 'pipewarden sast'],
  [/\bsnyk\s+code\s+test\b/, 'snyk code'],
  [/\bnjsscan\b/, 'njsscan'],
  [/\bbearer\s+scan\b/, 'bearer'],
  [/\bsonar-scanner\b/, 'sonar-scanner'],
  [/\bgosec\b/, 'gosec'],
  [/\bbandit\s+-r\b/, 'bandit'],
  [/\bbrakeman\b/, 'brakeman'],
];

/** The SAST tool a script runs, if any; `extra` are the config's own tool names (lower case). */
export function sastCommandIn(script: string, extra: readonly string[] = []): string | undefined {
  for (const [re, tool] of SAST_COMMANDS) if (re.test(script)) return tool;
  const lower = script.toLowerCase();
  return extra.find((t) => lower.includes(t));
}

/** The configured tool (lower case) a task, orb, pipe or image name contains, if any. */
export function configuredTool(name: string, extra: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  return extra.find((t) => lower.includes(t));
}

/** The end of the finding's message: the configured tools, when there are any. */
export function orConfigured(opts: MissingSastOptions): string {
  return opts.tools.length ? ` (or one of: ${opts.tools.join(', ')})` : '';
}

export interface MissingSastOptions {
  tools: string[];
}

/** The rule's options; undefined while the config does not require SAST (the rule is then off). */
export function missingSastOptions(options: Readonly<Record<string, unknown>>): MissingSastOptions | undefined {
  for (const key of Object.keys(options)) {
    if (key !== 'require' && key !== 'tools') throw new RuleOptionsError(`unknown option "${key}"; expected "require" or "tools"`);
  }
  if (options.require !== undefined && typeof options.require !== 'boolean') throw new RuleOptionsError('"require" must be true or false');
  const tools = options.tools ?? [];
  if (!Array.isArray(tools) || !tools.every((t) => typeof t === 'string' && t.trim() !== '')) throw new RuleOptionsError('"tools" must be a list of action names or commands');
  if (options.require !== true) return undefined;
  return { tools: (tools as string[]).map((t) => t.trim().toLowerCase()) };
}
