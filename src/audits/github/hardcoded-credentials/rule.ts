import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import { RuleOptionsError, type RawFinding, type Rule } from '../../../core/rule.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import type { Container, Entry, GithubModel, Step } from '../../../platforms/github/model.js';
import { commandWordLists } from '../../../shell/commands.js';
import { detectSecrets } from '../../../secrets/detect.js';
import { DETECTORS } from '../../../secrets/detectors/index.js';
import { maskSecret } from '../../../secrets/mask.js';
import type { SecretMatch } from '../../../secrets/types.js';
import type { SourceText } from '../../../yaml/load.js';
import { placeInFile } from '../../../analysis/secret-location.js';
import { loc, stepKey } from '../util.js';
import { COMMAND_LINE_DETECTORS, passwordArgs, releaseHeld, type HeldFinding } from '../../login-passwords.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'hardcoded-credentials',
    title: 'Credential written in plain text in a workflow or action',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-798'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
    // Every finding points at the credential itself: reports star it out (src/report/mask.ts).
    locationIsSecret: true,
  },
  check(model, report, options) {
    allowList = readAllow(options);
    for (const wf of model.workflows) {
      const src = wf.source;
      scanEntries(src, wf.env, 'env', 'workflow env', 'env', report);
      for (const job of wf.jobs) {
        const base = `jobs.${job.id}`;
        const jobLabel = `job "${job.id}"`;
        scanEntries(src, job.env, 'env', `${jobLabel} env`, `${base}.env`, report);
        scanEntries(src, job.with, 'with', `${jobLabel} input`, `${base}.with`, report);
        if (job.secrets && !job.secrets.inherit) scanEntries(src, job.secrets.entries, 'with', `${jobLabel} secret`, `${base}.secrets`, report);
        if (job.container) checkContainer(src, job.container, `the container of ${jobLabel}`, `${base}.container`, report);
        for (const s of job.services) checkContainer(src, s.container, `service "${s.name}" of ${jobLabel}`, `${base}.services.${s.name}`, report);
        for (const step of job.steps) checkStep(src, step, `${base}.steps[${stepKey(step)}]`, report);
      }
    }
    for (const action of model.actions) {
      const src = action.source;
      for (const step of action.steps) checkStep(src, step, `runs.steps[${stepKey(step)}]`, report);
      const inputs = isMap(action.root.get('inputs', true)) ? (action.root.get('inputs', true) as Node) : undefined;
      for (const input of action.inputs) {
        const def = inputs && isMap(inputs) ? (inputs.getIn([input.name, 'default'], true) as unknown) : undefined;
        if (isScalar(def)) scanScalar(src, def, `${input.name}: `, `the default of input "${input.name}"`, `inputs.${input.name}.default`, 'any', report);
      }
    }
  },
};

type Report = (f: RawFinding) => void;

/**
 * The config's `secrets.allow` patterns (the engine passes them as the `secrets-allow` option),
 * so a value allowed for `pipewarden secrets` is allowed here too. Set once per check().
 */
let allowList: RegExp[] = [];

function readAllow(options: Readonly<Record<string, unknown>>): RegExp[] {
  const v = options['secrets-allow'];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new RuleOptionsError('"secrets-allow" must be a list of regular expressions');
  return (v as string[]).map((src) => new RegExp(src));
}

const TITLES = new Map<string, { title: string; family: string }>(DETECTORS.map((d) => [d.id, { title: d.title, family: d.family }]));

/** Literal text of a scalar (no expression references); undefined when it holds none worth scanning. */
function literal(s: Scalar | null | undefined): string | undefined {
  if (!s || typeof s.value !== 'string' || s.value.trim() === '') return undefined;
  return s.value;
}

function isPlaceholderValue(v: string): boolean {
  const t = v.trim();
  return t === '' || /^\$\{?[A-Za-z_]|^<[^>]*>$|^\*+$|^x+$/i.test(t) || /\$\{\{/.test(t);
}

function checkContainer(src: SourceText, c: Container, what: string, route: string, report: Report): void {
  const pw = c.credentials?.password;
  if (pw && isScalar(pw)) {
    const v = literal(pw);
    if (v !== undefined && findTemplates(v).length === 0 && !allowList.some((re) => re.test(v))) {
      report({
        message: `${what} pulls its image with a hardcoded registry password; store it as a secret and write \${{ secrets.NAME }} instead`,
        location: loc(src, pw),
        severity: 'high',
        confidence: 'high',
        route: `${route}.credentials.password`,
      });
    }
  }
  // Service env often holds throwaway database passwords (POSTGRES_PASSWORD: postgres): only shaped provider tokens count.
  scanEntries(src, c.env, 'env', `${what} env`, `${route}.env`, report, 'provider');
}

function checkStep(src: SourceText, step: Step, route: string, report: Report): void {
  const label = `step "${step.label}"`;
  scanEntries(src, step.env, 'env', `${label} env`, `${route}.env`, report);
  const engineHits = scanEntries(src, step.with, 'with', `${label} input`, `${route}.with`, report);
  for (const w of step.with) {
    if (engineHits.has(w.key)) continue; // the secrets engine already reported this value
    // A literal password input (docker/login-action, a deploy action...) is a credential whatever its shape.
    if (!/(?:^|[-_])(?:password|passwd)$/i.test(w.key) || !isScalar(w.value)) continue;
    const v = literal(w.value);
    if (v === undefined || isPlaceholderValue(v) || findTemplates(v).length > 0) continue;
    if (namesAnEnvironmentVariable(step, w.key, v)) continue;
    report({
      message: `${label} passes a hardcoded value to its "${w.key}" input; store it as a secret and pass \${{ secrets.NAME }} instead`,
      location: loc(src, w.value),
      severity: 'high',
      confidence: 'medium',
      route: `${route}.with.${w.key}:literal-password`,
    });
  }
  if (step.run) {
    const held: Array<HeldFinding<RawFinding>> = [];
    const hits = scanScalar(src, step.run, '', `the run: script of ${label}`, `${route}.run`, 'any', report, held);
    releaseHeld(held, checkPasswordArgs(src, step.run, label, `${route}.run`, hits, report), report);
  }
}

/**
 * Inputs whose value is the *name* of an environment variable that holds the credential at run
 * time (actions/setup-java writes `${env.MAVEN_PASSWORD}` into settings.xml), not the credential.
 */
const ENV_NAME_INPUTS: Record<string, ReadonlySet<string>> = {
  'actions/setup-java': new Set(['server-username', 'server-password', 'gpg-passphrase']),
};

function namesAnEnvironmentVariable(step: Step, key: string, value: string): boolean {
  const name = step.uses?.kind === 'repo' ? `${step.uses.owner}/${step.uses.repo}`.toLowerCase() : undefined;
  return name !== undefined && ENV_NAME_INPUTS[name]?.has(key.toLowerCase()) === true && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.trim());
}

/** Scans each entry's literal value; returns the keys that had a hit. */
function scanEntries(src: SourceText, entries: Entry[], kind: 'env' | 'with', what: string, route: string, report: Report, families: 'any' | 'provider' = 'any'): Set<string> {
  const hit = new Set<string>();
  for (const e of entries) {
    if (!isScalar(e.value)) continue;
    const prefix = kind === 'env' ? `${e.key}=` : `${e.key}: `;
    if (scanScalar(src, e.value, prefix, `${what} ${e.key}`, `${route}.${e.key}`, families, report).length > 0) hit.add(e.key);
  }
  return hit;
}

/**
 * Runs the secrets engine over a scalar's value (with `prefix`, e.g. `KEY=`, so key-based
 * detectors see the name) and reports each hit outside `${{ }}` at its place in the file.
 */
function scanScalar(
  src: SourceText,
  s: Scalar,
  prefix: string,
  what: string,
  route: string,
  families: 'any' | 'provider',
  report: Report,
  held?: Array<HeldFinding<RawFinding>>,
): Array<[number, number]> {
  const value = literal(s);
  if (value === undefined) return [];
  const text = prefix + value;
  const templates = findTemplates(value).map((t) => [t.start + prefix.length, t.end + prefix.length] as const);
  const spans: Array<[number, number]> = [];
  for (const m of detectSecrets(text, { allow: allowList })) {
    if (m.start < prefix.length) continue;
    if (templates.some(([a, b]) => m.start < b && m.end > a)) continue;
    const meta = TITLES.get(m.detectorId);
    if (families === 'provider' && (meta?.family ?? 'generic') === 'generic') continue;
    const start = m.start - prefix.length;
    const finding = secretFinding(src, s, value, start, m, what, route, meta?.title);
    if (held && COMMAND_LINE_DETECTORS.has(m.detectorId)) {
      held.push({ span: [start, start + m.secret.length], finding });
      continue;
    }
    spans.push([start, start + m.secret.length]);
    report(finding);
  }
  return spans;
}

function secretFinding(src: SourceText, s: Scalar, value: string, start: number, m: SecretMatch, what: string, route: string, title: string | undefined): RawFinding {
  const masked = maskSecret(m.secret);
  return {
    message: `${what} contains a hardcoded ${(title ?? m.detectorId).replace(/^hard-?coded\s+/i, '')} "${masked}"; revoke it, store it as a secret and reference \${{ secrets.NAME }} instead`,
    location: placeInFile(src, s, value, start, m.secret),
    severity: m.severity,
    confidence: m.confidence,
    route: `${route}:${m.detectorId}:${masked}`,
    properties: { secret: masked, detector: m.detectorId },
  };
}

/** Reports hardcoded login passwords in a run: script; returns the spans it reported. */
function checkPasswordArgs(src: SourceText, run: Scalar, label: string, route: string, known: Array<[number, number]>, report: Report): Array<[number, number]> {
  const reported: Array<[number, number]> = [];
  const script = literal(run);
  if (script === undefined) return reported;
  for (const words of commandWordLists(script)) {
    const [cmd, ...args] = words as [string, ...string[]];
    for (const { secret, spec } of passwordArgs(cmd, args)) {
      if (secret.length < 4 || isPlaceholderValue(secret) || secret.includes('$')) continue;
      const start = script.indexOf(secret);
      if (start === -1 || known.some(([s, e]) => start < e && start + secret.length > s)) continue;
      const masked = maskSecret(secret);
      reported.push([start, start + secret.length]);
      report({
        message: `the run: script of ${label} passes a hardcoded password to "${cmd}${spec.sub ? ` ${spec.sub}` : ''} ${spec.flags[0]}" (${masked}); read it from a secret through env:${spec.sub ? ' and use --password-stdin' : ''}`,
        location: placeInFile(src, run, script, start, secret),
        severity: 'high',
        confidence: 'medium',
        route: `${route}:${cmd}-password:${masked}`,
        properties: { secret: masked },
      });
    }
  }
  return reported;
}
