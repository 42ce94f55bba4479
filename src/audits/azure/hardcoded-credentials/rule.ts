import type { Scalar } from 'yaml';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { AzureModel, Context, Entry } from '../../../platforms/azure/model.js';
import { scriptSinks } from '../../../platforms/azure/scripts.js';
import { detectSecrets } from '../../../secrets/detect.js';
import { DETECTORS } from '../../../secrets/detectors/index.js';
import { maskSecret } from '../../../secrets/mask.js';
import { placeInFile } from '../../../analysis/secret-location.js';
import { allVariables, loc, stepSites, type Report } from '../util.js';

const TITLES = new Map<string, string>(DETECTORS.map((d) => [d.id, d.title]));
const PASSWORD_INPUT = /(?:^|[-_])(?:password|passwd|pwd)$|^(?:password|passwd|secret|apitoken|accesstoken|token|clientsecret|serviceprincipalkey)$/i;
const ADVICE = 'revoke it, store it as a secret variable (or in a variable group / Key Vault) and reference $(NAME) or map it through env:';

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'hardcoded-credentials',
    title: 'Credential written in plain text in a pipeline',
    platform: 'azure',
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
    for (const pipeline of model.pipelines) {
      for (const v of allVariables(pipeline)) {
        if (v.kind !== 'variable') continue;
        const s = v.ctx.view.scalar(v.value);
        if (s) scan(v.ctx, s, `${v.name}=`, `variable "${v.name}"`, `variables.${v.name}`, report);
      }
    }
    for (const site of stepSites(model)) {
      const { step } = site;
      const label = `step "${step.label}"`;
      for (const e of step.env) scanEntry(step.ctx, e, `${e.key}=`, `${label} env ${e.key}`, `${site.route}.env.${e.key}`, report);
      for (const i of step.inputs) {
        const hits = scanEntry(step.ctx, i, `${i.key}: `, `${label} input "${i.key}"`, `${site.route}.inputs.${i.key}`, report);
        if (hits > 0 || !PASSWORD_INPUT.test(i.key) || i.text === undefined) continue;
        const v = i.text.trim();
        if (v === '' || /\$\(|\$\{\{|\$\[/.test(v) || /^<[^>]*>$|^\*+$/.test(v)) continue;
        report({
          message: `${label} passes a hardcoded value to its "${i.key}" input (${maskSecret(v)}); ${ADVICE}`,
          location: loc(step.ctx, i.value),
          confidence: 'medium',
          route: `${site.route}.inputs.${i.key}:literal`,
          properties: { secret: maskSecret(v) },
        });
      }
      for (const sink of scriptSinks(step, site.job, site.pipeline)) scan(step.ctx, sink.scalar, '', `the ${sink.what} of ${label}`, `${site.route}.${sink.key}`, report);
    }
  },
};

function scanEntry(ctx: Context, e: Entry, prefix: string, what: string, route: string, report: Report): number {
  const s = ctx.view.scalar(e.value);
  return s ? scan(ctx, s, prefix, what, route, report) : 0;
}

/** Runs the secrets engine over a literal value (`KEY=` prefix lets key-based detectors see the name). */
function scan(ctx: Context, s: Scalar, prefix: string, what: string, route: string, report: Report): number {
  if (typeof s.value !== 'string' || s.value.trim() === '') return 0;
  const value = s.value;
  const text = prefix + value;
  // Macro and template references are names, not secrets.
  const refs = [...value.matchAll(/\$\([^)]*\)|\$\{\{[\s\S]*?\}\}|\$\[[\s\S]*?\]/g)].map((m) => [m.index + prefix.length, m.index + prefix.length + m[0].length] as const);
  let n = 0;
  for (const m of detectSecrets(text)) {
    if (m.start < prefix.length) continue;
    if (refs.some(([a, b]) => m.start < b && m.end > a)) continue;
    const masked = maskSecret(m.secret);
    const start = m.start - prefix.length;
    n++;
    const f: RawFinding = {
      message: `${what} contains a hardcoded ${(TITLES.get(m.detectorId) ?? m.detectorId).replace(/^hard-?coded\s+/i, '')} "${masked}"; ${ADVICE}`,
      location: placeInFile(ctx.source, s, value, start, m.secret),
      severity: m.severity,
      confidence: m.confidence,
      route: `${route}:${m.detectorId}:${masked}`,
      properties: { secret: masked, detector: m.detectorId },
    };
    report(f);
  }
  return n;
}
