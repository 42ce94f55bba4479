import type { Scalar } from 'yaml';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { BitbucketModel, Entry, ImageRef } from '../../../platforms/bitbucket/model.js';
import { commandWordLists } from '../../../shell/commands.js';
import { detectSecrets } from '../../../secrets/detect.js';
import { DETECTORS } from '../../../secrets/detectors/index.js';
import { maskSecret } from '../../../secrets/mask.js';
import type { SourceText } from '../../../yaml/load.js';
import { isVariableValue, loc, placeInScalar, stepRoute, uniqueSteps } from '../util.js';
import { COMMAND_LINE_DETECTORS, LOGIN_PASSWORD_FLAGS, passwordArgs, releaseHeld, type HeldFinding, type PasswordFlagSpec } from '../../login-passwords.js';

type Report = (f: RawFinding) => void;

const TITLES = new Map<string, { title: string; family: string }>(DETECTORS.map((d) => [d.id, { title: d.title, family: d.family }]));
const ADVICE = 'revoke it, store it as a secured repository or deployment variable and reference $NAME instead';
const SECRET_KEY = /(?:^|_)(?:PASSWORD|PASSWD|PASS|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CLIENT_SECRET|ACCESS_KEY)$/i;

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'hardcoded-credentials',
    title: 'Credential written in plain text in bitbucket-pipelines.yml',
    platform: 'bitbucket',
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
    for (const file of model.files) {
      checkImage(file.source, file.image, 'the default image', 'image', report);
      for (const s of file.services) {
        checkImage(file.source, s.image, `service "${s.name}" image`, `definitions.services.${s.name}.image`, report);
        // Service variables often hold throwaway database passwords: only shaped provider tokens count.
        scanEntries(file.source, s.variables, `service "${s.name}" variable`, `definitions.services.${s.name}.variables`, 'provider', report);
      }
    }
    for (const { step } of uniqueSteps(model)) {
      const base = stepRoute(step);
      checkImage(step.source, step.image, `the image of step "${step.label}"`, `${base}.image`, report);
      for (const item of [...step.script, ...step.afterScript]) {
        if (item.kind === 'pipe') {
          const hits = scanEntries(step.source, item.variables, `pipe ${item.ref.replace(/:.*$/, '')} variable`, `${base}.pipe.${item.ref}`, 'any', report);
          for (const e of item.variables) {
            if (hits.has(e.key) || !SECRET_KEY.test(e.key) || !isStringScalar(e.value)) continue;
            const v = (e.value as Scalar<string>).value;
            if (isVariableValue(v) || v.includes('$')) continue;
            report({
              message: `step "${step.label}" passes a hardcoded value to the ${e.key} variable of pipe ${item.ref.replace(/:.*$/, '')}; ${ADVICE}`,
              location: loc(step.source, e.value),
              confidence: 'medium',
              route: `${base}.pipe.${item.ref}.${e.key}:literal`,
            });
          }
        } else {
          const held: Array<HeldFinding<RawFinding>> = [];
          const hits = scanScalar(step.source, item.scalar, '', `the script of step "${step.label}"`, `${base}.script`, 'any', report, held);
          releaseHeld(held, checkPasswordArgs(step.source, item.scalar, item.text, step.label, `${base}.script`, hits, report), report);
        }
      }
    }
  },
};

function isStringScalar(n: unknown): boolean {
  return !!n && typeof (n as Scalar).value === 'string';
}

function checkImage(src: SourceText, image: ImageRef | undefined, what: string, route: string, report: Report): void {
  if (!image) return;
  for (const [node, label] of [
    [image.password, 'registry password'],
    [image.awsSecretKey, 'AWS secret key'],
    [image.awsAccessKey, 'AWS access key id'],
  ] as const) {
    if (!node || typeof node.value !== 'string' || isVariableValue(node.value) || node.value.includes('$')) continue;
    report({
      message: `${what} is pulled with a hardcoded ${label}; ${ADVICE}`,
      location: loc(src, node),
      route: `${route}:${label}`,
    });
  }
}

function scanEntries(src: SourceText, entries: Entry[], what: string, route: string, families: 'any' | 'provider', report: Report): Set<string> {
  const hit = new Set<string>();
  for (const e of entries) {
    if (!isStringScalar(e.value)) continue;
    if (scanScalar(src, e.value as Scalar, `${e.key}=`, `${what} ${e.key}`, `${route}.${e.key}`, families, report).length > 0) hit.add(e.key);
  }
  return hit;
}

/** Runs the secrets engine over a scalar (prefixed with `KEY=` so key-based detectors see the name). */
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
  if (typeof s.value !== 'string' || s.value.trim() === '') return [];
  const value = s.value;
  const spans: Array<[number, number]> = [];
  for (const m of detectSecrets(prefix + value)) {
    if (m.start < prefix.length) continue;
    if (m.secret.includes('$')) continue;
    const meta = TITLES.get(m.detectorId);
    if (families === 'provider' && (meta?.family ?? 'generic') === 'generic') continue;
    const start = m.start - prefix.length;
    const masked = maskSecret(m.secret);
    const finding: RawFinding = {
      message: `${what} contains a hardcoded ${(meta?.title ?? m.detectorId).replace(/^hard-?coded\s+/i, '')} "${masked}"; ${ADVICE}`,
      location: placeInScalar(src, s, value, start, m.secret),
      severity: m.severity,
      confidence: m.confidence,
      route: `${route}:${m.detectorId}:${masked}`,
      properties: { secret: masked, detector: m.detectorId },
    };
    // A curl/wget password in a script: the login-password check reports it more precisely.
    if (held && COMMAND_LINE_DETECTORS.has(m.detectorId)) {
      held.push({ span: [start, start + m.secret.length], finding });
      continue;
    }
    spans.push([start, start + m.secret.length]);
    report(finding);
  }
  return spans;
}

/** Bitbucket's check reads fewer tools and no glued `-pX` form (kept as it was written). */
const PASSWORD_FLAGS: Readonly<Record<string, PasswordFlagSpec>> = {
  docker: LOGIN_PASSWORD_FLAGS.docker!,
  podman: LOGIN_PASSWORD_FLAGS.podman!,
  helm: LOGIN_PASSWORD_FLAGS.helm!,
  curl: LOGIN_PASSWORD_FLAGS.curl!,
  sshpass: LOGIN_PASSWORD_FLAGS.sshpass!,
};

/** Reports hardcoded login passwords in a script; returns the spans it reported. */
function checkPasswordArgs(src: SourceText, scalar: Scalar, script: string, label: string, route: string, known: Array<[number, number]>, report: Report): Array<[number, number]> {
  const reported: Array<[number, number]> = [];
  for (const words of commandWordLists(script)) {
    const [cmd, ...args] = words as [string, ...string[]];
    for (const { secret, spec } of passwordArgs(cmd, args, PASSWORD_FLAGS, false)) {
      if (secret.length < 4 || isVariableValue(secret) || secret.includes('$')) continue;
      const start = script.indexOf(secret);
      if (start === -1 || known.some(([s, e]) => start < e && start + secret.length > s)) continue;
      const masked = maskSecret(secret);
      reported.push([start, start + secret.length]);
      report({
        message: `the script of step "${label}" passes a hardcoded password to "${cmd}${spec.sub ? ` ${spec.sub}` : ''} ${spec.flags[0]}" (${masked}); ${ADVICE}${spec.sub ? ', and use --password-stdin' : ''}`,
        location: placeInScalar(src, scalar, script, start, secret),
        confidence: 'medium',
        route: `${route}:${cmd}-password:${masked}`,
        properties: { secret: masked },
      });
    }
  }
  return reported;
}
