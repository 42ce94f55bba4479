import { isScalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { CircleModel, Command, Entry, Job } from '../../../platforms/circleci/model.js';
import { continuationOrbKind } from '../../../platforms/circleci/parse.js';
import { maskInterpolations, valueLocation } from '../../../platforms/circleci/interpolate.js';
import { stepSites } from '../../../platforms/circleci/resolve.js';
import { ParameterTaint, taintedEnvironment } from '../../../platforms/circleci/taint.js';
import { blankSingleQuoted, commandName, envReads, parseScript, ScalarText, splitCode, statementsOf } from '../../../shell/script.js';
import { runLabel } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'dynamic-config-injection',
    title: 'Setup workflow builds the continuation config or parameters from attacker-controlled text',
    platform: 'circleci',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-116'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const taint = new ParameterTaint(model);
    for (const file of model.files) {
      if (!file.setup) continue;
      const targets = new Set<string>();
      const continueCalls: Array<{ args: Entry[]; def: Job | Command | undefined; route: string; where: string }> = [];
      for (const site of stepSites(file)) {
        if (site.step.type === 'call' && continuationOrbKind(file, site.step.ref)) continueCalls.push({ args: site.step.args, def: site.def, route: site.route, where: site.where });
      }
      for (const wf of file.workflows) {
        for (const j of wf.jobs) if (continuationOrbKind(file, j.ref)) continueCalls.push({ args: j.args, def: undefined, route: `workflows.${wf.name}.jobs.${j.id}`, where: `job "${j.id}" in workflow "${wf.name}"` });
      }
      for (const call of continueCalls) {
        for (const a of call.args) {
          if (!isScalar(a.value) || typeof a.value.value !== 'string') continue;
          if (a.key === 'configuration_path' || a.key === 'config-path') targets.add(basename(a.value.value));
          if (a.key !== 'parameters') continue;
          const tainted = taint.taintedIn(file, a.value, call.def);
          if (tainted.length === 0 && !a.value.value.includes('{')) targets.add(basename(a.value.value));
          for (const { interp, origin } of tainted) {
            report({
              message: `"<< ${interp.expr} >>" (${origin.chain.length > 0 ? `carrying ${origin.path}, ` : ''}${origin.what}) is written into the pipeline parameters JSON that ${call.where} hands to the continuation; a value with a quote can add or override parameters of the continued pipeline; compute parameters from trusted data only`,
              location: valueLocation(file.source, a.value, interp.start, interp.end),
              related: origin.chain,
              severity: origin.strength,
              confidence: 'high',
              route: `${call.route}.parameters:${interp.expr}`,
            });
          }
        }
      }
      for (const site of stepSites(file)) {
        const step = site.step;
        if (step.type !== 'run' || !step.command || typeof step.command.value !== 'string') continue;
        const env = taintedEnvironment(taint, file, step, site.def);
        const script = parseScript(maskInterpolations(step.command.value), 'bash');
        let text: ScalarText | undefined;
        for (const st of statementsOf(script)) {
          const target = writtenFile(st.code, targets);
          if (!target) continue;
          // jq --arg / --argjson encode their values: a segment run by jq is not pasting text.
          const segments = splitCode(st.code, 'pipeline').map((sp) => st.code.slice(sp.start, sp.end)).filter((seg) => commandName(seg) !== 'jq');
          const parts = [...segments.map(blankSingleQuoted), ...script.lines.filter((l) => l.heredoc?.opener === st.lineIndex && l.heredoc.expands && !l.heredoc.terminator).map((l) => l.text)];
          const hit = parts.flatMap((p) => envReads(p, 'bash')).find((n) => env.has(n));
          if (!hit) continue;
          const c = env.get(hit)!;
          text ??= new ScalarText(file.source, step.command);
          report({
            message: `${runLabel(step)} in ${site.where} writes "$${hit}" (${c.what}) into ${target}, which the setup workflow hands to the continuation; a crafted value can add jobs or parameters to the continued pipeline; build it from trusted data or encode it (jq --arg) instead of pasting text`,
            location: text.location(st.start, st.end),
            severity: c.strength,
            confidence: 'medium',
            route: `${site.route}.run:${target}:${hit}`,
          });
        }
      }
    }
  },
};

function basename(p: string): string {
  return p.trim().replace(/^.*\//, '');
}

const CONFIG_FILE = /\.(?:ya?ml|json)$/i;

/** The file a statement writes with `>`/`>>` or `tee`, when it is a continuation input. */
function writtenFile(code: string, targets: ReadonlySet<string>): string | undefined {
  const words: string[] = [];
  for (const m of code.matchAll(/(?:^|[^<>&0-9])>>?\s*(["']?)([^\s"';|&<>]+)\1/g)) words.push(m[2]!);
  for (const m of code.matchAll(/\btee\s+(?:-a\s+)?(["']?)([^\s"';|&<>]+)\1/g)) words.push(m[2]!);
  return words.find((w) => targets.has(basename(w)) || CONFIG_FILE.test(w));
}
