import { isScalar, type Scalar } from 'yaml';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { CircleFile, CircleModel, Entry, Parameter } from '../../../platforms/circleci/model.js';
import { findInterpolations } from '../../../platforms/circleci/interpolate.js';
import { allDefinitions, defLabel, defRoute, stepSites } from '../../../platforms/circleci/resolve.js';
import { detectSecrets } from '../../../secrets/detect.js';
import { DETECTORS } from '../../../secrets/detectors/index.js';
import { maskSecret } from '../../../secrets/mask.js';
import { placeInFile } from '../../../analysis/secret-location.js';
import { loc, runLabel, type Report } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'hardcoded-credentials',
    title: 'Credential written in plain text in a CircleCI config',
    platform: 'circleci',
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
      scanParameters(file, file.pipelineParameters, 'pipeline parameter', 'parameters', report);
      for (const defs of allDefinitions(file)) {
        for (const def of [...defs.jobs, ...defs.executors, ...defs.commands]) {
          const label = defLabel(def);
          const route = defRoute(def);
          scanParameters(file, def.parameters, `${label} parameter`, `${route}.parameters`, report);
          if (def.kind === 'command') continue;
          scanEntries(file, def.environment, `${label} environment`, `${route}.environment`, 'any', report);
          def.images.forEach((img, i) => {
            const what = i === 0 ? `the primary container of ${label}` : `service container ${i + 1} of ${label}`;
            // Service containers often hold throwaway database passwords (POSTGRES_PASSWORD: postgres): only shaped provider tokens count.
            scanEntries(file, img.environment, `${what} environment`, `${route}.docker[${i}].environment`, i === 0 ? 'any' : 'provider', report);
            for (const [entries, key, kind] of [
              [img.auth, 'password', 'auth'],
              [img.awsAuth, 'aws_secret_access_key', 'aws_auth'],
            ] as const) {
              const e = entries.find((x) => x.key === key);
              if (!e || !isScalar(e.value)) continue;
              const v = literal(e.value);
              if (v === undefined || isReference(v)) continue;
              report({
                message: `${what} pulls its image with a hardcoded ${kind}.${key}; store it in a context or project environment variable and write $NAME instead`,
                location: loc(file, e.value),
                severity: 'high',
                confidence: 'high',
                route: `${route}.docker[${i}].${kind}.${key}`,
                properties: { secret: maskSecret(v) },
              });
            }
          });
        }
      }
      for (const site of stepSites(file)) {
        const s = site.step;
        if (s.type === 'run') {
          scanEntries(file, s.environment, `the environment of ${runLabel(s)} in ${site.where}`, `${site.route}.environment`, 'any', report);
          if (s.command) scanScalar(file, s.command, '', `the command of ${runLabel(s)} in ${site.where}`, `${site.route}.run`, 'any', report);
        } else if (s.type === 'call') {
          scanEntries(file, s.args.filter((a) => isScalar(a.value)), `the "${s.ref}" step in ${site.where}, argument`, `${site.route}.${s.ref}`, 'any', report, ': ');
        }
      }
      for (const wf of file.workflows) {
        for (const job of wf.jobs) scanEntries(file, job.args, `job "${job.id}" in workflow "${wf.name}", argument`, `workflows.${wf.name}.jobs.${job.id}`, 'any', report, ': ');
      }
    }
  },
};

const TITLES = new Map<string, { title: string; family: string }>(DETECTORS.map((d) => [d.id, { title: d.title, family: d.family }]));

function literal(s: Scalar | null | undefined): string | undefined {
  if (!s || typeof s.value !== 'string' || s.value.trim() === '') return undefined;
  return s.value;
}

/** `$VAR`, `${VAR}` (expanded from the environment at run time) or a `<< >>` parameter. */
function isReference(v: string): boolean {
  const t = v.trim();
  return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(t) || /^<<[^>]*>>$/.test(t) || /^<[^>]*>$|^\*+$|^x+$/i.test(t);
}

function scanParameters(file: CircleFile, params: Parameter[], what: string, route: string, report: Report): void {
  for (const p of params) {
    if (p.default && isScalar(p.default)) scanScalar(file, p.default, `${p.name}: `, `the default of ${what} "${p.name}"`, `${route}.${p.name}.default`, 'any', report);
  }
}

function scanEntries(file: CircleFile, entries: Entry[], what: string, route: string, families: 'any' | 'provider', report: Report, sep = '='): void {
  for (const e of entries) {
    if (!isScalar(e.value) || e.value === e.keyNode) {
      // `KEY=value` list items: the item is both key and value.
      if (isScalar(e.value) && e.value === e.keyNode && typeof e.value.value === 'string') scanScalar(file, e.value, '', `${what} ${e.key}`, `${route}.${e.key}`, families, report);
      continue;
    }
    scanScalar(file, e.value, `${e.key}${sep}`, `${what} ${e.key}`, `${route}.${e.key}`, families, report);
  }
}

/** Runs the secrets engine over `prefix + value` and reports hits outside `<< >>` where they are in the file. */
function scanScalar(file: CircleFile, s: Scalar, prefix: string, what: string, route: string, families: 'any' | 'provider', report: Report): void {
  const value = literal(s);
  if (value === undefined) return;
  const text = prefix + value;
  const interps = findInterpolations(value).map((i) => [i.start + prefix.length, i.end + prefix.length] as const);
  for (const m of detectSecrets(text)) {
    if (m.start < prefix.length) continue;
    if (interps.some(([a, b]) => m.start < b && m.end > a)) continue;
    if (/^\$\{?[A-Za-z_]/.test(m.secret)) continue;
    const meta = TITLES.get(m.detectorId);
    if (families === 'provider' && (meta?.family ?? 'generic') === 'generic') continue;
    const start = m.start - prefix.length;
    const masked = maskSecret(m.secret);
    const finding: RawFinding = {
      message: `${what} contains a hardcoded ${(meta?.title ?? m.detectorId).replace(/^hard-?coded\s+/i, '')} "${masked}"; revoke it, store it in a context or project environment variable and read $NAME instead`,
      location: placeInFile(file.source, s, value, start, m.secret),
      severity: m.severity,
      confidence: m.confidence,
      route: `${route}:${m.detectorId}:${masked}`,
      properties: { secret: masked, detector: m.detectorId },
    };
    report(finding);
  }
}
