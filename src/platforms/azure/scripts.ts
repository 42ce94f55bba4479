import type { Scalar } from 'yaml';
import type { Dialect } from '../../shell/script.js';
import type { Entry, Job, Pipeline, Pool, Step } from './model.js';

/*
 * Where Azure runs text as code: the `script`/`bash`/`pwsh`/`powershell` steps and the inline
 * script inputs of the built-in script tasks. Macros (`$(x)`) and template expressions are
 * substituted into this text before the interpreter sees it.
 */

export interface ScriptSink {
  scalar: Scalar;
  dialect: Dialect;
  /** For messages: `script`, `bash`, `"script" input of Bash@3`... */
  what: string;
  /** Route suffix for fingerprints. */
  key: string;
}

/** Inline script inputs of built-in tasks (lower-case task name → input and how to read the mode). */
const TASK_SCRIPTS: Record<string, { input: string; mode?: { input: string; inline: RegExp; dialect?: Record<string, Dialect> }; dialect: Dialect | 'pool' }> = {
  bash: { input: 'script', mode: { input: 'targettype', inline: /^inline$/i }, dialect: 'bash' },
  cmdline: { input: 'script', dialect: 'pool' },
  powershell: { input: 'script', mode: { input: 'targettype', inline: /^inline$/i }, dialect: 'pwsh' },
  azurepowershell: { input: 'inline', mode: { input: 'scripttype', inline: /^inlinescript$/i }, dialect: 'pwsh' },
  azurecli: {
    input: 'inlinescript',
    mode: { input: 'scriptlocation', inline: /^inlinescript$/i, dialect: { bash: 'bash', ps: 'pwsh', pscore: 'pwsh', batch: 'cmd' } },
    dialect: 'bash',
  },
  pythonscript: { input: 'script', mode: { input: 'scriptsource', inline: /^inline$/i }, dialect: 'other' },
  ssh: { input: 'inline', mode: { input: 'runoptions', inline: /^inline$/i }, dialect: 'bash' },
};

export function input(step: Step, name: string): Entry | undefined {
  const lower = name.toLowerCase();
  return step.inputs.find((i) => i.key.toLowerCase() === lower);
}

export function taskName(step: Step): string | undefined {
  return step.task?.name.toLowerCase();
}

/** The pool a job runs on: its own, its stage's, the pipeline's. */
export function poolOf(job: Job, pipeline: Pipeline): Pool | undefined {
  return job.pool ?? job.stage.pool ?? pipeline.pool;
}

/** `script:` runs cmd.exe on Windows agents and bash elsewhere. */
function poolDialect(job: Job | undefined, pipeline: Pipeline | undefined): Dialect {
  const pool = job && pipeline ? poolOf(job, pipeline) : undefined;
  return pool?.vmImage && /win/i.test(pool.vmImage) ? 'cmd' : 'bash';
}

export function scriptSinks(step: Step, job?: Job, pipeline?: Pipeline): ScriptSink[] {
  if (step.script) {
    const dialect: Dialect = step.kind === 'bash' ? 'bash' : step.kind === 'pwsh' || step.kind === 'powershell' ? 'pwsh' : poolDialect(job, pipeline);
    return [{ scalar: step.script, dialect, what: 'script', key: step.kind }];
  }
  const name = taskName(step);
  const spec = name ? TASK_SCRIPTS[name] : undefined;
  if (!spec || !step.task) return [];
  const inp = input(step, spec.input);
  if (!inp || !inp.value || typeof (inp.value as Scalar).value !== 'string') return [];
  let dialect: Dialect = spec.dialect === 'pool' ? poolDialect(job, pipeline) : spec.dialect;
  if (spec.mode) {
    const mode = input(step, spec.mode.input)?.text;
    // An explicit file mode means the inline input is ignored by the task.
    if (mode !== undefined && !spec.mode.inline.test(mode.trim()) && !/\$\(|\$\{\{/.test(mode)) return [];
    if (name === 'azurecli') {
      const t = input(step, 'scripttype')?.text?.trim().toLowerCase();
      if (t && spec.mode.dialect?.[t]) dialect = spec.mode.dialect[t]!;
    }
  }
  return [{ scalar: inp.value as Scalar, dialect, what: `"${inp.key}" input of ${step.task.raw}`, key: `inputs.${inp.key}` }];
}

/** A `##vso[...]` logging command written by a script line. */
export interface LoggingCommand {
  command: string;
  /** Lower-cased property names → values. */
  props: Map<string, string>;
  /** Offsets into the script value: the whole command text and the message part after `]`. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Every `##vso[area.action props]message` in a script. The message runs to the end of the line,
 * without a closing quote of the echo that prints it.
 */
export function loggingCommands(value: string): LoggingCommand[] {
  const out: LoggingCommand[] = [];
  const re = /##vso\[([A-Za-z]+\.[A-Za-z]+)([^\]\n]*)\]([^\n]*)/g;
  for (const m of value.matchAll(re)) {
    const props = new Map<string, string>();
    for (const part of m[2]!.split(';')) {
      const eq = part.indexOf('=');
      if (eq === -1) continue;
      props.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
    const start = m.index;
    const valueStart = start + m[0].length - m[3]!.length;
    // The message ends at the quote that closes the echo, else at a command separator.
    const msg = m[3]!;
    const cut = /["']|\s*(?:;|&&|\|\|?)/.exec(msg);
    const valueEnd = valueStart + (cut ? cut.index : msg.replace(/\s+$/, '').length);
    out.push({ command: m[1]!.toLowerCase(), props, start, end: valueEnd, valueStart, valueEnd });
  }
  return out;
}

/** Variable names the statement reads from the environment (bash `$X`, pwsh `$env:X`, cmd `%X%`). */
export function envNamesIn(code: string, dialect: Dialect): Array<{ name: string; index: number }> {
  const out: Array<{ name: string; index: number }> = [];
  if (dialect === 'pwsh') for (const m of code.matchAll(/\$\{?env:([A-Za-z_][A-Za-z0-9_]*)\}?/gi)) out.push({ name: m[1]!, index: m.index });
  else if (dialect === 'cmd') for (const m of code.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)) out.push({ name: m[1]!, index: m.index });
  else for (const m of code.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) out.push({ name: m[1]!, index: m.index });
  return out;
}
