import { isScalar, type Node, type Scalar } from 'yaml';
import type { RelatedLocation } from '../../core/finding.js';
import { nodeLocation } from '../../yaml/load.js';
import { classifyPipelineValue, findInterpolations, TAINTED_ENV, valueLocation, type Interpolation, type Strength, type ValueClass } from './interpolate.js';
import type { CircleFile, CircleModel, Command, Definitions, Entry, Job, Parameter, RunStep, Step } from './model.js';
import { allDefinitions, defLabel, resolveCommand, resolveExecutor, resolveJob } from './resolve.js';

/** Where an attacker-controlled value comes from, and how it got to a sink. */
export interface Origin {
  /** The pipeline value: `pipeline.git.branch`. */
  path: string;
  strength: Strength;
  what: string;
  /** Hops from the source to the sink's parameter, source first. */
  chain: RelatedLocation[];
}

const MAX_CHAIN = 8;
const MAX_ROUNDS = 32;

export function strengthRank(s: Strength): number {
  return s === 'high' ? 3 : s === 'medium' ? 2 : 1;
}

/** Parameter types whose value is free text (enum, boolean, integer and env_var_name are validated). */
export function isTextParameter(p: Parameter | undefined): boolean {
  return !!p && (p.type === undefined || p.type === 'string');
}

/**
 * Which job and command parameters carry attacker-controlled text. Parameters are substituted
 * at compile time, so `<< parameters.x >>` is as dangerous as the value passed in: a default
 * holding `<< pipeline.git.branch >>`, a workflow job entry passing it, or a command invocation
 * passing a pipeline value or a tainted parameter of the caller. Solved to a fixpoint (bounded)
 * over every file, inline orb, job, command and workflow.
 */
export class ParameterTaint {
  private readonly params = new Map<Job | Command, Map<string, Origin>>();
  private readonly fileOf = new Map<Definitions, CircleFile>();

  constructor(private readonly model: CircleModel) {
    for (const f of model.files) for (const d of allDefinitions(f)) this.fileOf.set(d, f);
    this.solve();
  }

  parameter(def: Job | Command, name: string): Origin | undefined {
    return this.params.get(def)?.get(name);
  }

  /**
   * The origin of one interpolation written in `file`, in the scope of `def` (a job or command
   * whose `parameters.*` it may read; undefined in workflows, where only pipeline values exist).
   */
  originOf(file: CircleFile, expr: string, def: Job | Command | undefined): Origin | undefined {
    if (expr.startsWith('pipeline.')) {
      const c = classifyPipelineValue(expr, file);
      return c ? { path: expr, strength: c.strength, what: c.what, chain: [] } : undefined;
    }
    if (expr.startsWith('parameters.') && def) return this.parameter(def, expr.slice('parameters.'.length));
    return undefined;
  }

  /** Every tainted interpolation in a scalar written in `file` in the scope of `def`. */
  taintedIn(file: CircleFile, scalar: Scalar, def: Job | Command | undefined): Array<{ interp: Interpolation; origin: Origin }> {
    if (typeof scalar.value !== 'string') return [];
    const out: Array<{ interp: Interpolation; origin: Origin }> = [];
    for (const interp of findInterpolations(scalar.value)) {
      const origin = this.originOf(file, interp.expr, def);
      if (origin) out.push({ interp, origin });
    }
    return out;
  }

  private solve(): void {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = false;
      const set = (target: Job | Command, p: Parameter | undefined, origin: Origin, hop: RelatedLocation): void => {
        if (!p || !isTextParameter(p)) return;
        let m = this.params.get(target);
        if (!m) this.params.set(target, (m = new Map()));
        const old = m.get(p.name);
        if (old && strengthRank(old.strength) >= strengthRank(origin.strength)) return;
        m.set(p.name, { ...origin, chain: [...origin.chain, hop].slice(-MAX_CHAIN) });
        changed = true;
      };
      const passArgs = (file: CircleFile, target: Job | Command, args: Entry[], scope: Job | Command | undefined): void => {
        for (const a of args) {
          const p = target.parameters.find((x) => x.name === a.key);
          if (!isTextParameter(p) || !isScalar(a.value)) continue;
          for (const { interp, origin } of this.taintedIn(file, a.value, scope)) {
            set(target, p, origin, { ...valueLocation(file.source, a.value, interp.start, interp.end), message: `parameter "${a.key}" of ${defLabel(target)} is set from ${origin.path} here` });
          }
        }
      };
      const calls = (file: CircleFile, defs: Definitions, steps: Step[], scope: Job | Command | undefined, depth = 0): void => {
        if (depth > 32) return;
        for (const s of steps) {
          if (s.type === 'when' || s.type === 'unless') calls(file, defs, s.steps, scope, depth + 1);
          if (s.type !== 'call') continue;
          for (const a of s.stepArgs) calls(file, defs, a.steps, scope, depth + 1);
          const cmd = resolveCommand(defs, s.ref);
          if (cmd) passArgs(file, cmd, s.args, scope);
        }
      };
      for (const file of this.model.files) {
        for (const defs of allDefinitions(file)) {
          for (const def of [...defs.jobs, ...defs.commands]) {
            for (const p of def.parameters) {
              if (!isTextParameter(p) || !p.default || !isScalar(p.default)) continue;
              const dflt: Node = p.default;
              for (const { interp, origin } of this.taintedIn(file, dflt as Scalar, def)) {
                set(def, p, origin, { ...valueLocation(file.source, dflt as Scalar, interp.start, interp.end), message: `parameter "${p.name}" of ${defLabel(def)} defaults to ${origin.path}` });
              }
            }
            calls(file, defs, def.steps, def);
          }
        }
        for (const wf of file.workflows) {
          for (const entry of wf.jobs) {
            calls(file, file.defs, entry.preSteps, undefined);
            calls(file, file.defs, entry.postSteps, undefined);
            const job = resolveJob(file.defs, entry.ref);
            if (!job) continue;
            passArgs(file, job, entry.args, undefined);
            const matrixParams = file.view.get(entry.matrix, 'parameters');
            for (const mp of file.view.pairs(matrixParams)) {
              const p = job.parameters.find((x) => x.name === mp.key);
              for (const item of file.view.items(mp.value)) {
                if (!isScalar(item)) continue;
                for (const { interp, origin } of this.taintedIn(file, item, undefined)) {
                  set(job, p, origin, { ...valueLocation(file.source, item, interp.start, interp.end), message: `matrix parameter "${mp.key}" of ${defLabel(job)} is set from ${origin.path} here` });
                }
              }
            }
          }
        }
      }
      if (!changed) return;
    }
  }
}

export function nodeRelated(file: CircleFile, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(file.source, node), message };
}

/** An environment variable holding attacker-controlled text, and where it was set. */
export type EnvTaint = ValueClass & { related?: RelatedLocation };

/**
 * Environment variables a run step sees that hold attacker-controlled text: the built-in
 * CIRCLE_BRANCH / CIRCLE_TAG, and environment: entries (executor, primary container, job, step;
 * inner scopes override outer ones, as in CircleCI) whose value holds a tainted `<< >>`.
 */
export function taintedEnvironment(taint: ParameterTaint, file: CircleFile, step: RunStep, def: Job | Command | undefined): Map<string, EnvTaint> {
  const out = new Map<string, EnvTaint>(Object.entries(TAINTED_ENV));
  const add = (entries: Entry[], scope: Job | Command | undefined, what: string): void => {
    for (const e of entries) {
      if (!isScalar(e.value)) continue;
      const found = taint.taintedIn(file, e.value, scope)[0];
      if (!found) {
        out.delete(e.key); // an inner scope redefining the variable with safe text wins
        continue;
      }
      out.set(e.key, {
        strength: found.origin.strength,
        what: `set from ${found.origin.path}, ${found.origin.what}`,
        related: { ...valueLocation(file.source, e.value, found.interp.start, found.interp.end), message: `${what} ${e.key} is set from ${found.origin.path} here` },
      });
    }
  };
  if (def?.kind === 'job') {
    if (def.executorRef) {
      const ex = resolveExecutor(def.owner, def.executorRef.name);
      if (ex) add(ex.environment, undefined, 'executor environment');
    }
    if (def.images[0]) add(def.images[0].environment, def, 'container environment');
    add(def.environment, def, 'job environment');
  }
  add(step.environment, def, 'step environment');
  return out;
}
