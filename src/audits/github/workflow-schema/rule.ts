import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Workflow } from '../../../platforms/github/model.js';
import { loc } from '../util.js';

/**
 * Keys and values GitHub rejects when it loads a workflow ("Invalid workflow file"): a workflow
 * with one of these never runs, so every other finding on it is moot and the author's intent
 * (a guard, a permission, a trigger filter) silently is not what GitHub does. Only what GitHub's
 * workflow syntax documents as allowed is accepted; expressions are not evaluated here.
 */
const TOP_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
const JOB_KEYS = new Set([
  'name', 'needs', 'runs-on', 'permissions', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'if', 'steps',
  'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets', 'snapshot',
]);
const CALL_JOB_KEYS = new Set(['name', 'needs', 'permissions', 'concurrency', 'if', 'strategy', 'uses', 'with', 'secrets']);
const STEP_KEYS = new Set([
  'id', 'if', 'name', 'uses', 'run', 'working-directory', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes',
  // Background steps and waits (2026): `background: true` on a step, `wait:`/`wait-all:`/`cancel:` steps.
  'background', 'wait', 'wait-all', 'cancel',
]);
/** Steps that are not an action or a script: they wait for or cancel background steps. */
const CONTROL_STEP_KEYS = ['wait', 'wait-all', 'cancel'];
const EVENTS = new Set([
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status', 'discussion',
  'discussion_comment', 'fork', 'gollum', 'image_version', 'issue_comment', 'issues', 'label', 'merge_group', 'milestone', 'page_build',
  'project', 'project_card', 'project_column', 'public', 'pull_request', 'pull_request_comment', 'pull_request_review',
  'pull_request_review_comment', 'pull_request_target', 'push', 'registry_package', 'release', 'repository_dispatch', 'schedule',
  'status', 'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run',
]);
const DISPATCH_INPUT_KEYS = new Set(['description', 'required', 'default', 'type', 'options']);
const DISPATCH_TYPES = new Set(['string', 'boolean', 'choice', 'number', 'environment']);
const CALL_INPUT_KEYS = new Set(['description', 'required', 'default', 'type']);
const CALL_TYPES = new Set(['string', 'boolean', 'number']);
/** Filters that exclude each other on one event. */
const EXCLUSIVE_FILTERS: Array<[string, string]> = [['branches', 'branches-ignore'], ['tags', 'tags-ignore'], ['paths', 'paths-ignore']];
const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface Problem {
  node: Node;
  message: string;
  route: string;
}

function keysOf(map: YAMLMap): Array<{ key: string; keyNode: Node; value: unknown }> {
  const out: Array<{ key: string; keyNode: Node; value: unknown }> = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    out.push({ key: String(pair.key.value), keyNode: pair.key, value: pair.value });
  }
  return out;
}

function unknownKeys(map: YAMLMap, allowed: ReadonlySet<string>, what: string, route: string, out: Problem[]): void {
  for (const { key, keyNode } of keysOf(map)) {
    if (allowed.has(key)) continue;
    out.push({ node: keyNode, message: `unexpected key "${key}" in ${what}; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: ${[...allowed].join(', ')}`, route: `${route}:${key}` });
  }
}

function text(v: unknown): string | undefined {
  return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean') ? String(v.value) : undefined;
}

function checkTriggers(wf: Workflow, out: Problem[]): void {
  for (const t of wf.triggers) {
    if (!EVENTS.has(t.name)) {
      out.push({ node: t.node, message: `unknown event "${t.name}" in on:; GitHub rejects the workflow and runs none of it`, route: `on:${t.name}` });
      continue;
    }
    const config = t.config;
    if (!config) continue;
    const keys = new Set(keysOf(config).map((k) => k.key));
    for (const [a, b] of EXCLUSIVE_FILTERS) {
      if (keys.has(a) && keys.has(b)) out.push({ node: t.node, message: `on.${t.name} has both "${a}" and "${b}"; GitHub rejects the workflow (use one, with "!" patterns to exclude)`, route: `on:${t.name}:${a}` });
    }
    if (t.name !== 'workflow_dispatch' && t.name !== 'workflow_call') continue;
    const inputs = config.get('inputs', true);
    if (!isMap(inputs)) continue;
    const allowedKeys = t.name === 'workflow_dispatch' ? DISPATCH_INPUT_KEYS : CALL_INPUT_KEYS;
    const types = t.name === 'workflow_dispatch' ? DISPATCH_TYPES : CALL_TYPES;
    for (const input of keysOf(inputs)) {
      if (!isMap(input.value)) continue;
      unknownKeys(input.value, allowedKeys, `on.${t.name}.inputs.${input.key}`, `on:${t.name}:inputs:${input.key}`, out);
      const typeNode = input.value.get('type', true);
      const type = text(typeNode);
      if (t.name === 'workflow_call' && type === undefined) {
        out.push({ node: input.keyNode, message: `on.workflow_call.inputs.${input.key} has no "type" (string, boolean or number); GitHub rejects the workflow`, route: `on:${t.name}:inputs:${input.key}:type` });
      } else if (type !== undefined && !types.has(type)) {
        out.push({ node: typeNode as Node, message: `on.${t.name}.inputs.${input.key} has type "${type}"; GitHub accepts only ${[...types].join(', ')} and rejects the workflow`, route: `on:${t.name}:inputs:${input.key}:type` });
      }
      if (type === 'choice') {
        const options = input.value.get('options', true);
        if (!isSeq(options) || options.items.length === 0) out.push({ node: input.keyNode, message: `on.workflow_dispatch.inputs.${input.key} is a choice without "options"; GitHub rejects the workflow`, route: `on:${t.name}:inputs:${input.key}:options` });
      }
    }
  }
}

export function schemaProblems(wf: Workflow): Problem[] {
  const out: Problem[] = [];
  unknownKeys(wf.root, TOP_KEYS, 'the workflow', 'workflow', out);
  if (!wf.root.has('on')) out.push({ node: wf.root, message: 'the workflow has no "on:" trigger; GitHub rejects it', route: 'workflow:on' });
  checkTriggers(wf, out);
  for (const job of wf.jobs) {
    const route = `jobs.${job.id}`;
    if (!JOB_ID.test(job.id)) out.push({ node: job.idNode, message: `job id "${job.id}" must start with a letter or "_" and contain only letters, digits, "-" and "_"; GitHub rejects the workflow`, route: `${route}:id` });
    const calls = job.node.has('uses');
    unknownKeys(job.node, calls ? CALL_JOB_KEYS : JOB_KEYS, calls ? `job "${job.id}" (a reusable workflow call)` : `job "${job.id}"`, route, out);
    if (!calls && !job.node.has('runs-on')) out.push({ node: job.idNode, message: `job "${job.id}" has neither "runs-on" nor "uses"; GitHub rejects the workflow`, route: `${route}:runs-on` });
    if (!calls && !job.node.has('steps')) out.push({ node: job.idNode, message: `job "${job.id}" has no "steps"; GitHub rejects the workflow`, route: `${route}:steps` });
    for (const step of job.steps) {
      const stepRoute = `${route}.steps[${step.index}]`;
      unknownKeys(step.node, STEP_KEYS, `step ${step.index + 1} of job "${job.id}"`, stepRoute, out);
      const hasUses = step.node.has('uses');
      const hasRun = step.node.has('run');
      if (hasUses && hasRun) out.push({ node: step.node, message: `step ${step.index + 1} of job "${job.id}" has both "uses" and "run"; GitHub rejects the workflow`, route: `${stepRoute}:uses-run` });
      if (!hasUses && !hasRun && !CONTROL_STEP_KEYS.some((k) => step.node.has(k))) out.push({ node: step.node, message: `step ${step.index + 1} of job "${job.id}" has neither "uses" nor "run"; GitHub rejects the workflow`, route: `${stepRoute}:uses-run` });
    }
  }
  return out;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'workflow-schema',
    title: 'Workflow that GitHub rejects as invalid',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-1068'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      for (const p of schemaProblems(wf)) report({ message: p.message, location: loc(wf.source, p.node), route: p.route });
    }
  },
};
