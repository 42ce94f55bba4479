import type { Rule } from '../../../core/rule.js';
import type { AzureModel } from '../../../platforms/azure/model.js';
import { loggingCommands, scriptSinks } from '../../../platforms/azure/scripts.js';
import { ScalarText } from '../../../shell/script.js';
import { allVariables, loc, stepSites } from '../util.js';

const DEBUG_VARS = /^(?:system\.debug|agent\.diagnostic)$/i;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'debug-enabled',
    title: 'Debug logging switched on in the pipeline definition',
    platform: 'azure',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-10', 'CICD-SEC-6'],
    cwe: ['CWE-532', 'CWE-489'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const pipeline of model.pipelines) {
      for (const v of allVariables(pipeline)) {
        if (v.kind !== 'variable' || !DEBUG_VARS.test(v.name)) continue;
        const value = v.ctx.view.text(v.value);
        if (value === undefined || !/^true$/i.test(value.trim())) continue;
        report({
          message: `variable "${v.name}" is set to true, so every run writes verbose agent and task logs (environment, commands, request traces) readable by everyone who can read the logs; remove it and queue a debug run by hand when needed`,
          location: loc(v.ctx, v.value),
          route: `variables.${v.name.toLowerCase()}`,
        });
      }
    }
    for (const site of stepSites(model)) {
      for (const sink of scriptSinks(site.step, site.job, site.pipeline)) {
        const value = String(sink.scalar.value ?? '');
        for (const cmd of loggingCommands(value)) {
          const name = cmd.props.get('variable');
          if (cmd.command !== 'task.setvariable' || !name || !DEBUG_VARS.test(name)) continue;
          if (!/^\s*true\b/i.test(value.slice(cmd.valueStart, cmd.valueEnd))) continue;
          report({
            message: `step "${site.step.label}" turns on ${name} with ##vso[task.setvariable], so the rest of the job logs verbosely; remove it`,
            location: new ScalarText(site.step.ctx.source, sink.scalar).location(cmd.start, cmd.end),
            route: `${site.route}.${sink.key}:setvariable:${name.toLowerCase()}`,
          });
        }
      }
    }
  },
};
