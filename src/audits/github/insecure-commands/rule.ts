import type { Confidence, Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { Entry, GithubModel } from '../../../platforms/github/model.js';
import { evaluate, UNKNOWN } from '../../../platforms/github/expressions/evaluate.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import { commandLines, parseScript, ScalarText } from '../../../shell/script.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { fileCommandWrites } from '../../../platforms/github/file-commands.js';
import type { SourceText } from '../../../yaml/load.js';
import { loc, stepSites } from '../util.js';

const VAR = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'insecure-commands',
    title: 'Deprecated set-env/add-path workflow commands enabled or used',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-77'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      checkEnv(wf.source, wf.env, 'every job of the workflow', 'env', report);
      for (const job of wf.jobs) checkEnv(wf.source, job.env, `job "${job.id}"`, `jobs.${job.id}.env`, report);
    }
    for (const site of stepSites(model)) {
      const { step } = site;
      checkEnv(site.source, step.env, `step "${step.label}"`, `${site.route}.env`, report);
      if (!step.run || typeof step.run.value !== 'string') continue;
      const script = parseScript(step.run.value, dialectOf(step, site.job, site.workflow));
      if (script.dialect === 'other') continue;
      const text = new ScalarText(site.source, step.run);
      for (const line of commandLines(script)) {
        for (const m of line.code.matchAll(/::(set-env|add-path)(?=[\s:])/g)) {
          const start = line.start + m.index;
          report({
            message: `step "${step.label}" uses the deprecated ::${m[1]} workflow command; ${m[1] === 'set-env' ? 'append "NAME=value" to $GITHUB_ENV' : 'append the directory to $GITHUB_PATH'} instead`,
            location: text.location(start, start + m[0].length),
            severity: 'medium',
            confidence: 'high',
            route: `${site.route}.run:${m[1]}:${line.text.trim().replace(/\s+/g, ' ')}`,
          });
        }
      }
      for (const w of fileCommandWrites(script)) {
        if (w.file !== 'GITHUB_ENV') continue;
        for (const part of w.payload) {
          const m = new RegExp(`\\b${VAR}\\s*=\\s*["']?\\s*true\\b`, 'i').exec(part.code);
          if (!m) continue;
          const start = part.start + m.index;
          report({
            message: `step "${step.label}" writes ${VAR}=true to $GITHUB_ENV, enabling the deprecated set-env and add-path workflow commands for the rest of the job; remove it and use $GITHUB_ENV and $GITHUB_PATH directly`,
            location: text.location(start, start + m[0].length),
            route: `${site.route}.run:GITHUB_ENV:${VAR}`,
          });
        }
      }
    }
  },
};

function checkEnv(source: SourceText, env: Entry[], scope: string, route: string, report: (f: RawFinding) => void): void {
  for (const e of env) {
    if (e.key.toUpperCase() !== VAR) continue;
    const verdict = enables(e.text);
    if (!verdict) continue;
    report({
      message:
        verdict.confidence === 'high'
          ? `${VAR} is true for ${scope}, re-enabling the set-env and add-path workflow commands, so any step that prints attacker-controlled text can set environment variables or PATH; remove it`
          : `${VAR} is set from an expression for ${scope} and may re-enable the set-env and add-path workflow commands; remove it`,
      location: loc(source, e.keyNode),
      severity: verdict.severity,
      confidence: verdict.confidence,
      route: `${route}.${VAR}`,
    });
  }
}

/**
 * The runner reads the variable with .NET bool.TryParse: only "true" (any case, surrounding
 * whitespace allowed) enables the commands; "yes", "1" and "on" do not.
 */
function enables(text: string | undefined): { severity: Severity; confidence: Confidence } | undefined {
  if (text === undefined) return undefined;
  const templates = findTemplates(text);
  if (templates.length === 0) return isTrue(text) ? { severity: 'high', confidence: 'high' } : undefined;
  const only = templates[0]!;
  if (templates.length === 1 && only.start === 0 && only.end === text.length && only.ast) {
    const v = evaluate(only.ast);
    if (v !== UNKNOWN) return v !== null && isTrue(String(v)) ? { severity: 'high', confidence: 'high' } : undefined;
  }
  // Text around the templates that cannot be part of "true" makes the value never true.
  let rest = text;
  for (const t of [...templates].reverse()) rest = rest.slice(0, t.start) + rest.slice(t.end);
  if (!/^\s*[truTRUE]*\s*$/.test(rest)) return undefined;
  return { severity: 'medium', confidence: 'low' };
}

function isTrue(s: string): boolean {
  return /^\s*true\s*$/i.test(s);
}
