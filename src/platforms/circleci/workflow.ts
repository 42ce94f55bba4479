import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { RelatedLocation } from '../../core/finding.js';
import { nodeLocation } from '../../yaml/load.js';
import { parseScript, statementsOf } from '../../shell/script.js';
import { findInterpolations, maskInterpolations } from './interpolate.js';
import type { CircleFile, RefFilter, Workflow, WorkflowJob } from './model.js';
import { expandedSteps, registryOrbOf, resolveJob } from './resolve.js';

/*
 * When does a workflow job run? CircleCI decides per pipeline from the workflow's `when:` /
 * `unless:` condition, the entry's `filters:` (branches run by default, tags only when a tag
 * filter admits them), and the entries it `requires:` (a job whose upstream is filtered out or
 * waits for an approval does not run before that). We ask concrete questions with probe
 * branch names instead of reasoning about regexes symbolically.
 */

/** A branch a pull request from a fork is built on (GitHub OAuth and Bitbucket: `pull/N`). */
export const FORK_BRANCH = 'pull/123';
/** Branch names anyone with push access (or a bot) might create. */
export const ARBITRARY_BRANCHES = ['feature/x-1', 'fix-1', FORK_BRANCH, 'dependabot/npm_and_yarn/x-1.2.3', 'renovate/x'];

const MAX_PATTERN = 300;

/** CircleCI filter values: `/regex/` (must match the whole name) or an exact name. */
export function filterMatches(pattern: string, name: string): boolean {
  if (pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    const body = pattern.slice(1, -1);
    if (body.length > MAX_PATTERN) return false;
    try {
      return new RegExp(`^(?:${body})$`).test(name);
    } catch {
      return false;
    }
  }
  return pattern === name;
}

function admits(f: RefFilter, name: string): boolean {
  const hit = (list: Scalar[]): boolean => list.some((s) => filterMatches(String(s.value ?? ''), name));
  if (f.hasOnly && !hit(f.only)) return false;
  if (f.hasIgnore && hit(f.ignore)) return false;
  return true;
}

/** Does the entry's own filter let it run for a push to `branch`? undefined: cannot tell. */
export function entryRunsOnBranch(job: WorkflowJob, branch: string): boolean | undefined {
  if (job.filters?.expression) return undefined;
  const b = job.filters?.branches;
  return b ? admits(b, branch) : true;
}

/** Does the entry run for some tag pushes? (Without a tags filter, jobs never run for tags.) */
export function entryRunsOnTags(job: WorkflowJob): boolean {
  const t = job.filters?.tags;
  if (!t) return false;
  if (t.hasOnly) return t.only.length > 0;
  return !t.ignore.some((s) => filterMatches(String(s.value ?? ''), 'v1.2.3'));
}

/** Evaluates a `when:` condition for a push to `branch`: true, false, or undefined (unknown). */
export function evalCondition(file: CircleFile, node: Node | null | undefined, branch: string, depth = 0): boolean | undefined {
  const v = file.view;
  const n = v.deref(node);
  if (n === null || depth > 16) return n === null ? false : undefined;
  if (isScalar(n)) {
    if (typeof n.value === 'boolean') return n.value;
    if (n.value === null) return false;
    const text = substitute(file, String(n.value), branch);
    if (text === undefined) return undefined;
    if (text === 'true') return true;
    if (text === 'false' || text === '' || text === '0') return false;
    return undefined;
  }
  if (isMap(n)) {
    const pairs = v.pairs(n);
    if (pairs.length !== 1) return undefined;
    const { key, value } = pairs[0]!;
    const args = v.items(value);
    switch (key) {
      case 'and': {
        const r = args.map((a) => evalCondition(file, a, branch, depth + 1));
        if (r.includes(false)) return false;
        return r.every((x) => x === true) ? true : undefined;
      }
      case 'or': {
        const r = args.map((a) => evalCondition(file, a, branch, depth + 1));
        if (r.includes(true)) return true;
        return r.every((x) => x === false) ? false : undefined;
      }
      case 'not': {
        const r = evalCondition(file, value, branch, depth + 1);
        return r === undefined ? undefined : !r;
      }
      case 'equal': {
        const vals = args.map((a) => (isScalar(a) ? substitute(file, String(a.value ?? ''), branch) : undefined));
        if (vals.some((x) => x === undefined) || vals.length < 2) return undefined;
        return vals.every((x) => x === vals[0]);
      }
      case 'matches': {
        const pattern = v.str(v.get(value, 'pattern'));
        const val = v.str(v.get(value, 'value'));
        const s = val === undefined ? undefined : substitute(file, val, branch);
        if (pattern === undefined || s === undefined || pattern.length > MAX_PATTERN) return undefined;
        try {
          return new RegExp(`^(?:${pattern.replace(/^\^/, '').replace(/\$$/, '')})$`).test(s);
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
  if (isSeq(n)) return undefined;
  return undefined;
}

/** Replaces `<< pipeline.git.branch >>`, `.tag` and pipeline parameters (at their defaults). */
function substitute(file: CircleFile, text: string, branch: string): string | undefined {
  let out = '';
  let last = 0;
  for (const i of findInterpolations(text)) {
    out += text.slice(last, i.start);
    last = i.end;
    if (i.expr === 'pipeline.git.branch') out += branch;
    else if (i.expr === 'pipeline.git.tag') out += '';
    else if (i.expr.startsWith('pipeline.parameters.')) {
      const p = file.pipelineParameters.find((x) => x.name === i.expr.slice('pipeline.parameters.'.length));
      const d = p?.default === undefined ? undefined : file.view.deref(p.default);
      if (!isScalar(d)) return undefined;
      out += String(d.value ?? '');
    } else return undefined;
  }
  return out + text.slice(last);
}

export interface Gate {
  kind: 'approval' | 'filter' | 'condition' | 'schedule';
  message: string;
  location: RelatedLocation;
}

/**
 * Why an entry does not run unreviewed for a push to `branch`, or undefined when it does: a
 * workflow condition or schedule, its own filters, or an upstream entry (transitively) that is
 * an approval job or is itself held back.
 */
export function gateFor(file: CircleFile, wf: Workflow, job: WorkflowJob, branch: string, seen = new Set<WorkflowJob>()): Gate | undefined {
  const rel = (node: Node | null | undefined, message: string): RelatedLocation => ({ ...nodeLocation(file.source, node), message });
  if (wf.triggers) return { kind: 'schedule', message: 'runs on a schedule', location: rel(wf.triggers, `workflow "${wf.name}" runs on a schedule`) };
  if (wf.when !== undefined && evalCondition(file, wf.when, branch) !== true) return { kind: 'condition', message: 'the workflow has a when: condition', location: rel(wf.when, `workflow "${wf.name}" only runs when this condition holds`) };
  if (wf.unless !== undefined && evalCondition(file, wf.unless, branch) !== false) return { kind: 'condition', message: 'the workflow has an unless: condition', location: rel(wf.unless, `workflow "${wf.name}" is skipped when this condition holds`) };
  if (job.type && String(job.type.value) === 'approval') return { kind: 'approval', message: 'it is an approval job', location: rel(job.type, 'approval job') };
  if (entryRunsOnBranch(job, branch) !== true) return { kind: 'filter', message: 'its filters exclude such branches', location: rel(job.filters?.node, `filters of "${job.id}"`) };
  if (seen.has(job)) return undefined;
  // Memoised per workflow and branch, with the entries indexed by id: asking for every entry of a
  // long requires chain walked the chain (and scanned all entries per link) each time: cubic.
  const memo = gateMemo(wf, branch);
  const known = memo.get(job);
  if (known !== undefined) return known ?? undefined;
  seen.add(job);
  let gate: Gate | undefined;
  outer: for (const r of job.requires) {
    const name = String(r.value ?? '');
    for (const up of entriesNamed(wf, name)) {
      if (up.type && String(up.type.value) === 'approval') {
        gate = { kind: 'approval', message: `it requires the approval job "${up.id}"`, location: rel(up.refNode, `approval job "${up.id}"`) };
        break outer;
      }
      gate = gateFor(file, wf, up, branch, seen);
      if (gate) break outer;
    }
  }
  memo.set(job, gate ?? null);
  return gate;
}

const GATES = new WeakMap<Workflow, Map<string, Map<WorkflowJob, Gate | null>>>();
const ENTRIES = new WeakMap<Workflow, Map<string, WorkflowJob[]>>();

function gateMemo(wf: Workflow, branch: string): Map<WorkflowJob, Gate | null> {
  let byBranch = GATES.get(wf);
  if (!byBranch) GATES.set(wf, (byBranch = new Map()));
  let memo = byBranch.get(branch);
  if (!memo) byBranch.set(branch, (memo = new Map()));
  return memo;
}

/** The workflow's entries with this id, from an index built once per workflow. */
function entriesNamed(wf: Workflow, id: string): WorkflowJob[] {
  let index = ENTRIES.get(wf);
  if (!index) {
    index = new Map();
    for (const j of wf.jobs) {
      const list = index.get(j.id);
      if (list) list.push(j);
      else index.set(j.id, [j]);
    }
    ENTRIES.set(wf, index);
  }
  return index.get(id) ?? [];
}

/** A gate that holds for every probe branch (the entry never runs unreviewed on an arbitrary branch). */
export function gateForArbitraryBranch(file: CircleFile, wf: Workflow, job: WorkflowJob): Gate | undefined {
  let first: Gate | undefined;
  for (const b of ARBITRARY_BRANCHES) {
    const g = gateFor(file, wf, job, b);
    if (!g) return undefined;
    first ??= g;
  }
  return first;
}

const DEPLOY_NAME = /(?:^|[-_/.\s])(?:deploy(?:ment)?s?|release|publish|promote|prod|production|rollout|ship)(?:$|[-_/.\s])/i;
const DEPLOY_ORB_COMMAND = /(?:^|[-_])(?:deploy|publish|release|push|rollout|promote|upload)(?:$|[-_])/i;
const DEPLOY_COMMANDS =
  /\b(?:(?:npm|yarn|pnpm)\s+publish|docker\s+push|twine\s+upload|gem\s+push|cargo\s+publish|helm\s+(?:upgrade|push)|kubectl\s+(?:apply|set\s+image|rollout\s+restart)|terraform\s+apply|gh\s+release\s+create|firebase\s+deploy|(?:serverless|sls)\s+deploy|cdk\s+deploy|goreleaser\s+release|fly(?:ctl)?\s+deploy|aws\s+s3\s+(?:sync|cp)\s+\S+\s+s3:\/\/|mvn\s+(?:\S+\s+)*deploy|\.\/gradlew\s+(?:\S+\s+)*publish)\b/;

export interface Deployment {
  /** What makes it a deployment, for messages. */
  reason: string;
  confidence: 'high' | 'medium' | 'low';
  /** Where that is visible. */
  location: RelatedLocation;
}

/**
 * Is this entry a deployment or release? By what it runs (publishing commands, orb commands
 * named deploy/publish/push...), else by its name (`deploy-prod`, `release`).
 */
export function deploymentOf(file: CircleFile, job: WorkflowJob): Deployment | undefined {
  const rel = (node: Node | null | undefined, message: string): RelatedLocation => ({ ...nodeLocation(file.source, node), message });
  const orbJob = registryOrbOf(file.defs, job.ref);
  if (orbJob && DEPLOY_ORB_COMMAND.test(job.ref.slice(job.ref.indexOf('/') + 1))) {
    return { reason: `runs the orb job "${job.ref}"`, confidence: 'medium', location: rel(job.refNode, `orb job "${job.ref}"`) };
  }
  const def = resolveJob(file.defs, job.ref);
  if (def) {
    for (const { step } of expandedSteps(def.owner, def.steps)) {
      if (step.type === 'run' && step.command && typeof step.command.value === 'string') {
        const script = parseScript(maskInterpolations(step.command.value), 'bash');
        for (const st of statementsOf(script)) {
          const m = DEPLOY_COMMANDS.exec(st.code);
          if (m) return { reason: `runs "${m[0].replace(/\s+/g, ' ')}"`, confidence: 'medium', location: rel(step.command, `publishes here`) };
        }
      } else if (step.type === 'call' && registryOrbOf(def.owner, step.ref) && DEPLOY_ORB_COMMAND.test(step.ref.slice(step.ref.indexOf('/') + 1))) {
        return { reason: `runs the orb command "${step.ref}"`, confidence: 'medium', location: rel(step.keyNode, `orb command "${step.ref}"`) };
      }
    }
  }
  if (DEPLOY_NAME.test(job.id) || DEPLOY_NAME.test(job.ref)) {
    return { reason: `is named "${job.id}"`, confidence: 'low', location: rel(job.refNode, `job "${job.id}"`) };
  }
  return undefined;
}

/** Does the job check out the repository (directly or through local commands)? */
export function checksOut(file: CircleFile, job: WorkflowJob): boolean {
  const def = resolveJob(file.defs, job.ref);
  if (!def) return false;
  for (const { step } of expandedSteps(def.owner, def.steps)) if (step.type === 'checkout') return true;
  for (const { step } of expandedSteps(file.defs, job.preSteps)) if (step.type === 'checkout') return true;
  return false;
}
