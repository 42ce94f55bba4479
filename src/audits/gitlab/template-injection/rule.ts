import type { Confidence, Location, RelatedLocation, Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import { UNTRUSTED_VARS } from '../../../platforms/gitlab/contexts.js';
import type { GitlabFile, GitlabModel, Job, SpecInput } from '../../../platforms/gitlab/model.js';
import { inputRefLocation, inputRefs, reparseSinks, scriptEntries, varRefs, yamlTaint, type InputRef, type Sink } from '../../../platforms/gitlab/script.js';
import { jobsLabel, jobsOf, loc, uniqueScriptLines } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'template-injection',
    title: 'Attacker-controlled value turned into script code',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-94', 'CWE-78'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    checkReparse(model, report);
    checkInputs(model, report);
  },
};

type Report = (f: RawFinding) => void;

/** `eval "$CI_COMMIT_MESSAGE"`, `sh -c "echo $CI_MERGE_REQUEST_TITLE"`: one finding per place, whichever jobs share it. */
function checkReparse(model: GitlabModel, report: Report): void {
  const byPlace = new Map<string, { sink: Sink; jobs: Job[] }>();
  for (const job of jobsOf(model)) {
    const taint = yamlTaint(job);
    for (const sink of reparseSinks(job, scriptEntries(job), taint)) {
      const l = sink.location;
      const k = `${l.file}:${l.startLine}:${l.startColumn}:${sink.variable}`;
      const hit = byPlace.get(k);
      if (hit) hit.jobs.push(job);
      else byPlace.set(k, { sink, jobs: [job] });
    }
  }
  for (const { sink, jobs } of byPlace.values()) {
    const t = sink.taint;
    const direct = t.chain.length === 0;
    const what = direct ? `"$${sink.variable}" (${t.info.what})` : `"$${sink.variable}" (carrying ${t.info.what}${t.source !== 'git log' ? ` from ${t.source}` : ''})`;
    report({
      message: `${what} is attacker-controlled and the shell expands it into code that ${sink.kind} parses again, in ${jobsLabel(jobs)}; keep it data: single-quote the code so the inner shell reads "$${sink.variable}" from the environment, or drop ${sink.kind}`,
      location: sink.location,
      related: t.chain,
      severity: t.info.strength === 'high' ? 'high' : 'medium',
      confidence: t.viaShell ? 'medium' : 'high',
      route: `${sink.entry.line.value.at.file.repoPath}:${sink.kind}:${sink.statement.text.replace(/\s+/g, ' ')}:${sink.variable}`,
    });
  }
}

interface Risk {
  why: string;
  severity: Severity;
  confidence: Confidence;
  related: RelatedLocation[];
}

/** `$[[ inputs.x ]]` in a script: the value is pasted into the script text when the pipeline is created. */
function checkInputs(model: GitlabModel, report: Report): void {
  for (const { line, jobs } of uniqueScriptLines(model)) {
    const value = line.value;
    if (typeof value.value !== 'string' || !value.value.includes('$[[')) continue;
    const text = value.value;
    for (const ref of inputRefs(text)) {
      const risk = inputRisk(model, value.at.file, ref, new Set());
      if (!risk) continue;
      const k = countBefore(text, ref.start);
      const location: Location = inputRefLocation(value, k);
      report({
        message: `"$[[ inputs.${ref.name} ]]" is pasted into the ${line.section} of ${jobsLabel(jobs)} before the shell runs, and ${risk.why}; pass it through variables: (VAR: $[[ inputs.${ref.name} ]]) and read "$VAR" in the script, or restrict the input with options: or an anchored regex:`,
        location,
        related: risk.related,
        severity: risk.severity,
        confidence: risk.confidence,
        route: `${value.at.file.repoPath}:${line.section}:inputs.${ref.name}:${text.replace(/\s+/g, ' ').slice(0, 120)}`,
      });
    }
  }
}

function countBefore(text: string, at: number): number {
  let k = 0;
  for (let i = text.indexOf('$[['); i !== -1 && i < at; i = text.indexOf('$[[', i + 3)) k++;
  return k;
}

/** A string input that takes any text: not boolean/number, no `options:`, no anchored `regex:`. */
function unconstrained(input: SpecInput): boolean {
  if (input.type === 'boolean' || input.type === 'number') return false;
  if (input.options) return false;
  if (input.regex && /^(?:\^|\\A)/.test(input.regex.pattern) && /(?:\$|\\z|\\Z)$/.test(input.regex.pattern) && !/\.\*|\.\+|\\S|\[\^/.test(input.regex.pattern)) return false;
  return true;
}

/** Can someone outside the people who edit this file choose the text of this input? */
function inputRisk(model: GitlabModel, file: GitlabFile, ref: InputRef, seen: Set<string>): Risk | undefined {
  const key = `${file.repoPath}:${ref.name}`;
  if (seen.has(key) || seen.size > 20) return undefined;
  seen.add(key);
  const input = file.spec?.inputs.find((i) => i.name === ref.name);
  if (!input || !unconstrained(input)) return undefined;
  const declared: RelatedLocation = { ...inputLocation(file, input), message: `input "${input.name}" is declared here without options: or an anchored regex:` };
  // 1. The entry file of a pipeline: whoever runs the pipeline sets its inputs.
  if (model.pipelines.some((p) => p.kind === 'root' && p.entry === file)) {
    return {
      why: 'whoever runs the pipeline (Run pipeline form, API, trigger token, schedule) chooses its text',
      severity: 'medium',
      confidence: 'medium',
      related: [declared],
    };
  }
  // 2. A file included (or triggered as a child pipeline) with `inputs:`: follow what the includer passes.
  for (const p of model.pipelines) {
    for (const inc of p.includes) {
      if (inc.resolved !== file) continue;
      const given = inc.inputs.find((e) => e.key === ref.name);
      if (!given || given.value.kind !== 'scalar' || typeof given.value.value !== 'string') continue; // the default or a non-text value
      const passed = given.value.value;
      const hop: RelatedLocation = { ...loc(given.value.at), message: `${inc.child ? 'the trigger job' : inc.from.repoPath} passes input "${ref.name}" here` };
      for (const up of inputRefs(passed)) {
        const r = inputRisk(model, inc.from, up, seen);
        if (r) return { ...r, why: `${r.why} (through input "${up.name}" of ${inc.from.repoPath})`, related: [hop, ...r.related] };
      }
      if (ref.functions.includes('expand_vars')) {
        const bad = varRefs(passed).find((v) => UNTRUSTED_VARS[v]);
        if (bad) {
          return {
            why: `expand_vars expands $${bad} (${UNTRUSTED_VARS[bad]!.what}) into it`,
            severity: UNTRUSTED_VARS[bad]!.strength === 'high' ? 'high' : 'medium',
            confidence: 'high',
            related: [hop, declared],
          };
        }
      }
    }
  }
  return undefined;
}

function inputLocation(file: GitlabFile, input: SpecInput): Location {
  return loc({ file, node: input.keyNode });
}
