import type { Scalar } from 'yaml';
import { nodeLocation, type SourceText, type YamlProblem } from '../../yaml/load.js';
import type { GithubModel } from './model.js';
import { normalizeLocalPath } from './callers.js';

/**
 * Nesting limits, in calls: GitHub documents ten levels of workflows (a caller and nine reusable
 * ones). For composite actions pipewarden applies the same bound (deeper chains are not followed).
 */
export const GITHUB_CALL_LIMITS = { workflowCalls: 9, compositeCalls: 9 };

interface Edge {
  to: string;
  node: Scalar;
  source: SourceText;
}

/**
 * Cycles and over-deep chains of local reusable workflows (`jobs.x.uses: ./...`) and local
 * composite actions (`uses: ./dir` inside a composite), which GitHub rejects at run time and the
 * taint passes stop following. Each node is visited once, iteratively (no recursion however long
 * the chain); a chain past the limit is reported where it first crosses it, a cycle where it closes.
 */
export function callGraphProblems(model: GithubModel): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const workflowEdges = new Map<string, Edge[]>();
  for (const wf of model.workflows) {
    const out: Edge[] = [];
    for (const job of wf.jobs) {
      if (job.uses?.kind !== 'local') continue;
      const to = normalizeLocalPath(job.uses.path);
      if (model.workflowByPath.has(to)) out.push({ to, node: job.uses.node, source: wf.source });
    }
    workflowEdges.set(normalizeLocalPath(wf.repoPath), out);
  }
  const actionEdges = new Map<string, Edge[]>();
  for (const action of model.actions) {
    const out: Edge[] = [];
    for (const step of action.steps) {
      if (step.uses?.kind !== 'local') continue;
      const to = normalizeLocalPath(step.uses.path);
      if (model.actionByDir.has(to)) out.push({ to, node: step.uses.node, source: action.source });
    }
    actionEdges.set(normalizeLocalPath(action.dir), out);
  }
  check(workflowEdges, GITHUB_CALL_LIMITS.workflowCalls, 'reusable workflow', "GitHub's limit", problems);
  check(actionEdges, GITHUB_CALL_LIMITS.compositeCalls, 'composite action', "pipewarden's limit", problems);
  return problems;
}

function check(edges: Map<string, Edge[]>, cap: number, what: string, whose: string, problems: YamlProblem[]): void {
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  for (const start of [...edges.keys()].sort()) {
    if (levels.has(start)) continue;
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    visiting.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = edges.get(top.name) ?? [];
      if (top.next < out.length) {
        const e = out[top.next++]!;
        if (levels.has(e.to)) continue;
        if (visiting.has(e.to)) {
          const from = stack.findIndex((f) => f.name === e.to);
          const cycle = [...stack.slice(from).map((f) => f.name), e.to];
          problems.push({ message: `${what} cycle: ${cycle.join(' -> ')}; it can never run, and it was not followed`, location: nodeLocation(e.source, e.node) });
          continue;
        }
        visiting.add(e.to);
        stack.push({ name: e.to, next: 0 });
        continue;
      }
      stack.pop();
      visiting.delete(top.name);
      const done = out.filter((e) => levels.has(e.to)).map((e) => ({ e, level: levels.get(e.to)! }));
      const level = done.reduce((m, d) => Math.max(m, d.level + 1), 0);
      if (level > cap && done.every((d) => d.level <= cap)) {
        const at = done.find((d) => d.level === cap)!;
        problems.push({ message: `${what}s nested ${level + 1} levels deep through "${at.e.to}", past ${whose} of ${cap + 1} levels; not followed further`, location: nodeLocation(at.e.source, at.e.node) });
      }
      levels.set(top.name, level);
    }
  }
}
