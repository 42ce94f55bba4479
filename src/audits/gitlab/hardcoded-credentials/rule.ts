import type { RawFinding, Rule } from '../../../core/rule.js';
import type { GitlabModel, ScalarVal } from '../../../platforms/gitlab/model.js';
import { get, placeKeyOf } from './helpers.js';
import { detectSecrets } from '../../../secrets/detect.js';
import { DETECTORS } from '../../../secrets/detectors/index.js';
import { maskSecret } from '../../../secrets/mask.js';
import { parseScript, statementsOf } from '../../../shell/script.js';
import { jobsLabel, jobsOf, placeInFile, uniqueScriptLines, uniqueVariables, variableLabel } from '../util.js';
import { COMMAND_LINE_DETECTORS, passwordArgs as loginPasswords, releaseHeld, type HeldFinding } from '../../login-passwords.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'hardcoded-credentials',
    title: 'Credential written in plain text in the pipeline configuration',
    platform: 'gitlab',
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
  check(model, report) {
    for (const { variable, jobs } of uniqueVariables(model)) {
      if (!variable.value || typeof variable.value.value !== 'string') continue;
      scan(variable.value, `${variable.name}=`, variableLabel(variable, jobs), `variables.${variable.name}`, 'any', report);
    }
    // Service containers often get throwaway database passwords (POSTGRES_PASSWORD: postgres): provider tokens only.
    const seen = new Set<string>();
    for (const job of jobsOf(model)) {
      for (const svc of job.services) {
        const vars = get(svc.config, 'variables');
        if (vars?.kind !== 'map') continue;
        for (const e of vars.entries.values()) {
          if (e.value.kind !== 'scalar' || typeof e.value.value !== 'string') continue;
          const k = placeKeyOf(e.value);
          if (seen.has(k)) continue;
          seen.add(k);
          scan(e.value, `${e.key}=`, `variable ${e.key} of service "${String(svc.name.value)}"`, `services.${String(svc.name.value)}.variables.${e.key}`, 'provider', report);
        }
      }
    }
    for (const { line, jobs } of uniqueScriptLines(model)) {
      const what = `the ${line.section} of ${jobsLabel(jobs)}`;
      const held: Array<HeldFinding<RawFinding>> = [];
      const spans = scan(line.value, '', what, `${line.section}`, 'any', report, held);
      releaseHeld(held, passwordArgs(line.value, what, spans, report), report);
    }
  },
};

type Report = (f: RawFinding) => void;

const TITLES = new Map<string, { title: string; family: string }>(DETECTORS.map((d) => [d.id, { title: d.title, family: d.family }]));

/** Runs the secrets engine over a value (with `prefix`, e.g. `KEY=`, so key-based detectors see the name). */
function scan(
  value: ScalarVal,
  prefix: string,
  what: string,
  route: string,
  families: 'any' | 'provider',
  report: Report,
  held?: Array<HeldFinding<RawFinding>>,
): Array<[number, number]> {
  const text = String(value.value);
  const spans: Array<[number, number]> = [];
  for (const m of detectSecrets(prefix + text)) {
    if (m.start < prefix.length || m.secret.includes('$')) continue; // `$VAR` and `$[[ inputs ]]` are references, not secrets
    const meta = TITLES.get(m.detectorId);
    if (families === 'provider' && (meta?.family ?? 'generic') === 'generic') continue;
    const start = m.start - prefix.length;
    const masked = maskSecret(m.secret);
    const finding: RawFinding = {
      message: `${what} contains a hardcoded ${(meta?.title ?? m.detectorId).replace(/^hard-?coded\s+/i, '')} "${masked}"; revoke it, store it as a masked and protected CI/CD variable (Settings > CI/CD > Variables) and reference $NAME instead`,
      location: placeInFile(value, start, m.secret),
      severity: m.severity,
      confidence: m.confidence,
      route: `${value.at.file.repoPath}:${route}:${m.detectorId}:${masked}`,
      properties: { secret: masked, detector: m.detectorId },
    };
    // A curl/wget password in a script: the login-password check below reports it more precisely.
    if (held && COMMAND_LINE_DETECTORS.has(m.detectorId)) {
      held.push({ span: [start, start + m.secret.length], finding });
      continue;
    }
    spans.push([start, start + m.secret.length]);
    report(finding);
  }
  return spans;
}


/** Reports hardcoded login passwords in a script line; returns the spans it reported. */
function passwordArgs(value: ScalarVal, what: string, known: Array<[number, number]>, report: Report): Array<[number, number]> {
  const reported: Array<[number, number]> = [];
  const text = String(value.value);
  for (const st of statementsOf(parseScript(text, 'bash'))) {
    const words = st.code.trim().split(/\s+/);
    while (words.length > 0 && (/^[A-Za-z_]\w*=/.test(words[0]!) || ['sudo', 'env', 'time', 'exec'].includes(words[0]!))) words.shift();
    const [cmd, ...args] = words;
    if (!cmd) continue;
    for (const { secret, spec } of loginPasswords(cmd, args)) {
      if (secret.length < 4 || secret.includes('$') || /^<[^>]*>$|^\*+$|^x+$/i.test(secret)) continue;
      const start = text.indexOf(secret, st.start);
      if (start === -1 || known.some(([s, e]) => start < e && start + secret.length > s)) continue;
      const masked = maskSecret(secret);
      reported.push([start, start + secret.length]);
      report({
        message: `${what} passes a hardcoded password to "${cmd}${spec.sub ? ` ${spec.sub}` : ''} ${spec.flags[0]}" (${masked}); store it as a masked CI/CD variable${spec.sub ? ' and pipe it to --password-stdin' : ''}`,
        location: placeInFile(value, start, secret),
        severity: 'high',
        confidence: 'medium',
        route: `${value.at.file.repoPath}:${cmd}-password:${masked}`,
        properties: { secret: masked },
      });
    }
  }
  return reported;
}
