import type { Rule } from '../../../core/rule.js';
import type { Entry, GithubModel } from '../../../platforms/github/model.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { fileCommandWrites } from '../../../platforms/github/file-commands.js';
import { parseScript, ScalarText } from '../../../shell/script.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import { loc, stepSites } from '../util.js';
import type { SourceText } from '../../../yaml/load.js';

/**
 * Variables that turn on debug logging. ACTIONS_STEP_DEBUG / ACTIONS_RUNNER_DEBUG are the
 * documented switches (as secrets or variables); RUNNER_DEBUG=1 is what the runner exports when
 * debug is on, and what @actions/core's isDebug() and most actions read.
 */
const DEBUG_VARS: Record<string, RegExp> = {
  ACTIONS_STEP_DEBUG: /^\s*["']?true["']?\s*$/i,
  ACTIONS_RUNNER_DEBUG: /^\s*["']?true["']?\s*$/i,
  RUNNER_DEBUG: /^\s*["']?(?:1|true)["']?\s*$/i,
};

/**
 * RUNNER_DEBUG=1 certainly switches actions built on @actions/core into debug mode. GitHub
 * documents ACTIONS_STEP_DEBUG / ACTIONS_RUNNER_DEBUG as secrets or configuration variables;
 * set in `env:` they show the intent to log debug output, but whether the runner honours them
 * there depends on the runner and the action, hence medium confidence.
 */
function confidenceOf(name: string): 'high' | 'medium' {
  return name.toUpperCase() === 'RUNNER_DEBUG' ? 'high' : 'medium';
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'debug-enabled',
    title: 'Debug logging switched on in the workflow',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-10', 'CICD-SEC-6'],
    cwe: ['CWE-532'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const checkEnv = (source: SourceText, entries: Entry[], where: string, route: string): void => {
      for (const e of entries) {
        const on = DEBUG_VARS[e.key];
        if (!on || e.text === undefined || !on.test(e.text)) continue;
        report({
          message: `${where} sets ${e.key}=${e.text.trim()}, which turns on debug logs that print inputs, outputs and environment derived from secrets to anyone who can read the logs; remove it and turn on debug logging for a single re-run when needed`,
          location: loc(source, e.keyNode),
          confidence: confidenceOf(e.key),
          route: `${route}.env.${e.key}`,
        });
      }
    };
    for (const wf of model.workflows) {
      checkEnv(wf.source, wf.env, `workflow "${wf.name ?? wf.source.path}"`, 'workflow');
      for (const job of wf.jobs) checkEnv(wf.source, job.env, `job "${job.id}"`, `jobs.${job.id}`);
    }
    for (const site of stepSites(model)) {
      const { step } = site;
      const who = `${stepName(step)}${site.job ? ` of job "${site.job.id}"` : ''}`;
      checkEnv(site.source, step.env, who, site.route);
      if (!step.run || typeof step.run.value !== 'string') continue;
      const dialect = dialectOf(step, site.job, site.workflow);
      if (dialect === 'other') continue;
      let text: ScalarText | undefined;
      for (const w of fileCommandWrites(parseScript(step.run.value, dialect))) {
        if (w.file !== 'GITHUB_ENV') continue;
        for (const p of w.payload) {
          const m = /\b(ACTIONS_STEP_DEBUG|ACTIONS_RUNNER_DEBUG|RUNNER_DEBUG)=["']?(true|1)\b/i.exec(p.code);
          if (!m || (m[1]!.toUpperCase() !== 'RUNNER_DEBUG' && m[2] === '1')) continue;
          text ??= new ScalarText(site.source, step.run);
          const name = m[1]!.toUpperCase();
          report({
            message: `${who} writes ${name}=${m[2]} to $GITHUB_ENV, which turns on debug output for every later step of the job, printing data derived from secrets to anyone who can read the logs; remove it`,
            location: text.location(p.start + m.index, p.start + m.index + m[0].length),
            confidence: confidenceOf(name),
            route: `${site.route}.run:GITHUB_ENV:${name}`,
          });
        }
      }
    }
  },
};
