import type { CircleFile, CircleModel, Command, Definitions, Executor, Job, Orb, Step, Workflow, WorkflowJob } from './model.js';

/*
 * Name resolution as CircleCI does it: `name` is a command/job/executor of the same scope (an
 * inline orb's body, else the file's top level), then of the enclosing scope; `alias/name` is an
 * element of the orb imported as `alias`. Registry orbs are opaque: their elements resolve to
 * undefined, and rules say so rather than guessing.
 */

export function findOrb(defs: Definitions, alias: string): Orb | undefined {
  for (let d: Definitions | undefined = defs; d; d = d.parent) {
    const o = d.orbs.find((x) => x.name === alias);
    if (o) return o;
  }
  return undefined;
}

function resolve<T extends { name: string }>(defs: Definitions, ref: string, pick: (d: Definitions) => T[]): T | undefined {
  const slash = ref.indexOf('/');
  if (slash !== -1) {
    const orb = findOrb(defs, ref.slice(0, slash));
    if (!orb?.inline) return undefined;
    return resolve(orb.inline, ref.slice(slash + 1), pick);
  }
  for (let d: Definitions | undefined = defs; d; d = d.parent) {
    const hit = byName(pick(d)).get(ref);
    if (hit) return hit;
  }
  return undefined;
}

// Each list indexed once (the first of a name wins, as a search would find it): every workflow
// entry resolves its job, and a linear search per entry made 5,000 entries 25 million comparisons.
const INDEX = new WeakMap<object, Map<string, unknown>>();
function byName<T extends { name: string }>(list: T[]): Map<string, T> {
  let index = INDEX.get(list) as Map<string, T> | undefined;
  if (!index) {
    index = new Map();
    for (const x of list) if (!index.has(x.name)) index.set(x.name, x);
    INDEX.set(list, index);
  }
  return index;
}

export function resolveCommand(defs: Definitions, ref: string): Command | undefined {
  return resolve(defs, ref, (d) => d.commands);
}

export function resolveJob(defs: Definitions, ref: string): Job | undefined {
  return resolve(defs, ref, (d) => d.jobs);
}

export function resolveExecutor(defs: Definitions, ref: string): Executor | undefined {
  return resolve(defs, ref, (d) => d.executors);
}

/** The registry orb a reference like `node/install` points at, if any. */
export function registryOrbOf(defs: Definitions, ref: string): Orb | undefined {
  const slash = ref.indexOf('/');
  if (slash === -1) return undefined;
  const orb = findOrb(defs, ref.slice(0, slash));
  return orb?.ref ? orb : undefined;
}

/** The file's top level and every inline orb body, outermost first. */
export function allDefinitions(file: CircleFile): Definitions[] {
  const out: Definitions[] = [];
  const visit = (d: Definitions): void => {
    out.push(d);
    for (const o of d.orbs) if (o.inline) visit(o.inline);
  };
  visit(file.defs);
  return out;
}

/** Route prefix of a definitions scope: '' or `orbs.x.`. */
export function scopeRoute(defs: Definitions): string {
  const parts: string[] = [];
  for (let d: Definitions | undefined = defs; d && d.scope !== ''; d = d.parent) parts.unshift(`orbs.${d.scope}`);
  return parts.length > 0 ? `${parts.join('.')}.` : '';
}

/** Human label: `job "build"`, `command "greet" of inline orb "tools"`. */
export function defLabel(def: Job | Command | Executor): string {
  const orb = def.owner.scope !== '' ? ` of inline orb "${def.owner.scope}"` : '';
  return `${def.kind} "${def.name}"${orb}`;
}

export function defRoute(def: Job | Command | Executor): string {
  return `${scopeRoute(def.owner)}${def.kind === 'job' ? 'jobs' : def.kind === 'command' ? 'commands' : 'executors'}.${def.name}`;
}

/** A step and where it is written. */
export interface StepSite {
  file: CircleFile;
  step: Step;
  /** The job or command whose `steps:` hold it; undefined for workflow pre-/post-steps. */
  def?: Job | Command;
  /** For pre-/post-steps: the workflow job entry. */
  entry?: { workflow: Workflow; job: WorkflowJob };
  /** Stable route: `jobs.build.steps[2]`, `workflows.w.jobs.deploy.pre-steps[0]`. */
  route: string;
  /** `job "build"`, `pre-steps of "deploy" in workflow "main"`. */
  where: string;
}

/** Every step of a file, including `when`/`unless` bodies and steps passed as arguments. */
export function* stepSites(file: CircleFile): Generator<StepSite> {
  for (const defs of allDefinitions(file)) {
    for (const def of [...defs.jobs, ...defs.commands]) {
      yield* walk(file, def.steps, `${defRoute(def)}.steps`, { def, where: defLabel(def) });
    }
  }
  for (const wf of file.workflows) {
    for (const job of wf.jobs) {
      const where = (k: string): string => `${k} of "${job.id}" in workflow "${wf.name}"`;
      yield* walk(file, job.preSteps, `workflows.${wf.name}.jobs.${job.id}.pre-steps`, { entry: { workflow: wf, job }, where: where('pre-steps') });
      yield* walk(file, job.postSteps, `workflows.${wf.name}.jobs.${job.id}.post-steps`, { entry: { workflow: wf, job }, where: where('post-steps') });
    }
  }
}

function* walk(file: CircleFile, steps: Step[], route: string, ctx: Pick<StepSite, 'def' | 'entry' | 'where'>, depth = 0): Generator<StepSite> {
  if (depth > 32) return;
  for (const step of steps) {
    const r = `${route}[${step.index}]`;
    yield { file, step, route: r, ...ctx };
    if (step.type === 'when' || step.type === 'unless') yield* walk(file, step.steps, `${r}.steps`, ctx, depth + 1);
    else if (step.type === 'call') for (const a of step.stepArgs) yield* walk(file, a.steps, `${r}.${a.key}`, ctx, depth + 1);
  }
}

/** Steps visited per expansion of a job (commands followed into their bodies). */
const MAX_EXPANDED = 20_000;

/**
 * Steps a job runs, following local commands (and inline-orb commands) into their bodies, in
 * order. Registry-orb commands are opaque and appear as their call step.
 */
export function* expandedSteps(defs: Definitions, steps: Step[], depth = 0, seen = new Set<Command>(), budget = { left: MAX_EXPANDED }): Generator<{ step: Step; via: Command[] }> {
  if (depth > 16) return;
  for (const step of steps) {
    // Commands invoking commands several times each could expand exponentially: cap the walk.
    if (--budget.left < 0) return;
    yield { step, via: [] };
    if (step.type === 'when' || step.type === 'unless') {
      yield* expandedSteps(defs, step.steps, depth + 1, seen, budget);
    } else if (step.type === 'call') {
      for (const a of step.stepArgs) yield* expandedSteps(defs, a.steps, depth + 1, seen, budget);
      const cmd = resolveCommand(defs, step.ref);
      if (cmd && !seen.has(cmd)) {
        seen.add(cmd);
        for (const inner of expandedSteps(cmd.owner, cmd.steps, depth + 1, seen, budget)) yield { step: inner.step, via: [cmd, ...inner.via] };
        seen.delete(cmd);
      }
    }
  }
}

/** Every workflow job entry of the model with its file and workflow. */
export function* workflowEntries(model: CircleModel): Generator<{ file: CircleFile; workflow: Workflow; job: WorkflowJob }> {
  for (const file of model.files) for (const workflow of file.workflows) for (const job of workflow.jobs) yield { file, workflow, job };
}

/** How deep commands may call commands before expandedSteps stops following them. */
export const MAX_COMMAND_DEPTH = 16;

export interface CommandProblem {
  file: CircleFile;
  node: Step['keyNode'];
  message: string;
}

/**
 * What expandedSteps skips silently, said once each: a command that (through others) calls itself
 * (CircleCI cannot expand it), commands nested deeper than MAX_COMMAND_DEPTH, and a job whose
 * commands expand to more than MAX_EXPANDED steps (the rules saw only the first ones). Heights and
 * sizes are memoised per command, so commands each calling the previous two twice cost linear time.
 */
export function commandProblems(model: CircleModel): CommandProblem[] {
  const out: CommandProblem[] = [];
  const seen = new Set<string>();
  const report = (file: CircleFile, node: Step['keyNode'], message: string): void => {
    const key = `${file.path}:${node.range?.[0] ?? 0}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ file, node, message });
  };
  const fileOf = new Map<Definitions, CircleFile>();
  for (const file of model.files) for (const d of allDefinitions(file)) fileOf.set(d, file);
  const info = new Map<Command, { height: number; size: number }>();
  const stack: Command[] = [];
  const stepsInfo = (defs: Definitions, steps: Step[], depth: number): { height: number; size: number } => {
    let height = 0;
    let size = 0;
    for (const step of steps) {
      size += 1;
      const inner: Array<{ defs: Definitions; steps: Step[] }> = [];
      if (step.type === 'when' || step.type === 'unless') inner.push({ defs, steps: step.steps });
      if (step.type === 'call') for (const a of step.stepArgs) inner.push({ defs, steps: a.steps });
      // when/unless and steps arguments are bounded by the YAML nesting limit.
      if (depth < 64) {
        for (const i of inner) {
          const r = stepsInfo(i.defs, i.steps, depth + 1);
          height = Math.max(height, r.height);
          size = Math.min(size + r.size, Number.MAX_SAFE_INTEGER);
        }
      }
      if (step.type !== 'call') continue;
      const cmd = resolveCommand(defs, step.ref);
      if (!cmd) continue;
      const file = fileOf.get(defs);
      if (stack.includes(cmd)) {
        if (file) report(file, step.keyNode, `command cycle: ${[...stack.slice(stack.indexOf(cmd)).map((c) => c.name), cmd.name].join(' -> ')}; CircleCI cannot expand it and it was not audited past the cycle`);
        continue;
      }
      let got = info.get(cmd);
      if (!got) {
        if (stack.length >= MAX_COMMAND_DEPTH) {
          if (file) report(file, step.keyNode, `commands nested deeper than ${MAX_COMMAND_DEPTH} levels at "${step.ref}"; the steps below were not audited`);
          continue;
        }
        stack.push(cmd);
        got = stepsInfo(cmd.owner, cmd.steps, depth + 1);
        got = { height: got.height + 1, size: got.size };
        stack.pop();
        info.set(cmd, got);
      }
      height = Math.max(height, got.height);
      size = Math.min(size + got.size, Number.MAX_SAFE_INTEGER);
    }
    return { height, size };
  };
  for (const file of model.files) {
    for (const defs of allDefinitions(file)) {
      for (const job of defs.jobs) {
        const { size } = stepsInfo(job.owner, job.steps, 0);
        if (size > MAX_EXPANDED) report(file, job.nameNode, `job "${job.name}" expands to ${size > 1e15 ? 'more than 10^15' : size.toLocaleString('en-US')} steps through its commands; only the first ${MAX_EXPANDED.toLocaleString('en-US')} were audited`);
      }
    }
  }
  return out;
}
