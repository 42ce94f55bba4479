import { type Node, type Scalar, type YAMLMap } from 'yaml';
import type { LoadedYaml, YamlProblem } from '../../yaml/load.js';
import { nodeLocation } from '../../yaml/load.js';
import { YamlView } from '../../yaml/nodes.js';
import type {
  Action, ActionInput, Container, Dependabot, DependabotUpdate, Entry, Job, Permissions, Step, Trigger, UsesRef, Workflow, WorkflowInput,
} from './model.js';

export type ParseResult<T> = { value?: T; problems: YamlProblem[] };

const SHA_RE = /^[0-9a-f]{40}$/i;

export function parseUses(node: Scalar, raw: string): UsesRef {
  const value = raw.trim();
  if (value.startsWith('./') || value.startsWith('../') || value === '.') {
    return { kind: 'local', raw, node, path: value };
  }
  // Self-repository syntax: this repository's own action or workflow at the commit that is running.
  if (value.startsWith('$/')) return { kind: 'local', raw, node, path: `./${value.slice(2)}`, self: true };
  if (value.startsWith('docker://')) return { kind: 'docker', raw, node, image: value.slice('docker://'.length) };
  const at = value.lastIndexOf('@');
  if (at <= 0) return { kind: 'invalid', raw, node, reason: 'missing @ref' };
  const target = value.slice(0, at);
  const ref = value.slice(at + 1);
  const parts = target.split('/');
  if (parts.length < 2 || parts.some((p) => p === '') || ref === '') return { kind: 'invalid', raw, node, reason: 'expected owner/repo[/path]@ref' };
  return {
    kind: 'repo',
    raw,
    node,
    owner: parts[0]!,
    repo: parts[1]!,
    path: parts.slice(2).join('/'),
    ref,
    pinnedToSha: SHA_RE.test(ref),
  };
}

class Builder {
  readonly problems: YamlProblem[] = [];
  constructor(readonly y: YamlView, readonly loaded: LoadedYaml) {}

  problem(node: Node | null | undefined, message: string): void {
    this.problems.push({ message, location: nodeLocation(this.loaded.source, node) });
  }

  entries(node: unknown): Entry[] {
    return this.y.pairs(node).map((p) => ({ key: p.key, keyNode: p.keyNode, value: p.value, text: this.y.text(p.value) }));
  }

  permissions(node: Node | null): Permissions | undefined {
    if (!node) return undefined;
    const text = this.y.text(node);
    const scopes: Permissions['scopes'] = new Map();
    if (text !== undefined) {
      if (text === 'write-all' || text === 'read-all') return { node, kind: text, scopes };
      this.problem(node, `unknown permissions value "${text}"`);
      return { node, kind: 'invalid', scopes };
    }
    const map = this.y.map(node);
    if (!map) return { node, kind: 'invalid', scopes };
    for (const p of this.y.pairs(map)) {
      const level = this.y.text(p.value);
      if (level === 'read' || level === 'write' || level === 'none') scopes.set(p.key, { level, node: p.value ?? p.keyNode });
    }
    return { node, kind: map.items.length === 0 ? 'none' : 'scopes', scopes };
  }

  uses(node: Node | null): UsesRef | undefined {
    const s = this.y.scalar(node);
    const text = this.y.text(node);
    if (!s || text === undefined) return undefined;
    return parseUses(s, text);
  }

  /**
   * The steps in run order. A `parallel:` group (steps that run side by side, then wait) is
   * flattened in place: its steps run in the job like any other, and rules must see them.
   */
  steps(node: Node | null): Step[] {
    const out: Step[] = [];
    let index = 0;
    const visit = (items: Node[], depth: number): void => {
      for (const n of items) {
        const map = this.y.map(n);
        const group = map && depth < 8 ? this.y.seq(this.y.get(map, 'parallel')) : undefined;
        if (group) {
          visit(group.items as Node[], depth + 1);
          continue;
        }
        const step = this.step(n, index++);
        if (step) out.push(step);
      }
    };
    visit(this.y.items(node), 0);
    return out;
  }

  step(node: Node, index: number): Step | undefined {
    const map = this.y.map(node);
    if (!map) {
      this.problem(node, `step ${index + 1} is not a mapping`);
      return undefined;
    }
    const y = this.y;
    const id = y.text(y.get(map, 'id'));
    const name = y.text(y.get(map, 'name'));
    const uses = this.uses(y.get(map, 'uses'));
    const runNode = y.get(map, 'run');
    const run = y.scalar(runNode);
    const label = name ?? id ?? uses?.raw ?? `step ${index + 1}`;
    return {
      index,
      node: map,
      id,
      name,
      uses,
      run: run && run.value !== null ? run : undefined,
      shell: y.text(y.get(map, 'shell')),
      with: this.entries(y.get(map, 'with')),
      env: this.entries(y.get(map, 'env')),
      if: y.scalar(y.get(map, 'if')),
      workingDirectory: y.text(y.get(map, 'working-directory')),
      continueOnError: y.get(map, 'continue-on-error') ?? undefined,
      label,
    };
  }

  container(node: Node | null): Container | undefined {
    if (!node) return undefined;
    const y = this.y;
    const asText = y.scalar(node);
    if (asText) return { node, image: asText, env: [] };
    const map = y.map(node);
    if (!map) return undefined;
    const credNode = y.get(map, 'credentials');
    return {
      node,
      image: y.scalar(y.get(map, 'image')),
      credentials: credNode ? { node: credNode, username: y.get(credNode, 'username') ?? undefined, password: y.get(credNode, 'password') ?? undefined } : undefined,
      env: this.entries(y.get(map, 'env')),
      options: y.scalar(y.get(map, 'options')),
    };
  }

  job(id: string, idNode: Scalar, node: Node | null): Job | undefined {
    const y = this.y;
    const map = y.map(node);
    if (!map) {
      this.problem(idNode, `job "${id}" is not a mapping`);
      return undefined;
    }
    const needsNode = y.get(map, 'needs');
    const needsText = y.text(needsNode);
    const needs = needsText !== undefined ? [needsText] : y.items(needsNode).map((n) => y.text(n)).filter((t): t is string => t !== undefined);
    const secretsNode = y.get(map, 'secrets');
    const strategy = y.get(map, 'strategy');
    return {
      id,
      idNode,
      node: map,
      name: y.text(y.get(map, 'name')),
      permissions: this.permissions(y.get(map, 'permissions')),
      runsOn: y.get(map, 'runs-on') ?? undefined,
      container: this.container(y.get(map, 'container')),
      services: y.pairs(y.get(map, 'services')).flatMap((p) => {
        const c = this.container(p.value);
        return c ? [{ name: p.key, container: c }] : [];
      }),
      steps: this.steps(y.get(map, 'steps')),
      uses: this.uses(y.get(map, 'uses')),
      with: this.entries(y.get(map, 'with')),
      secrets: secretsNode
        ? { node: secretsNode, inherit: y.text(secretsNode) === 'inherit', entries: this.entries(secretsNode) }
        : undefined,
      env: this.entries(y.get(map, 'env')),
      if: y.scalar(y.get(map, 'if')),
      needs,
      outputs: this.entries(y.get(map, 'outputs')),
      environment: y.get(map, 'environment') ?? undefined,
      matrix: strategy ? (y.get(strategy, 'matrix') ?? undefined) : undefined,
      defaultsShell: y.text(y.get(y.get(y.get(map, 'defaults'), 'run'), 'shell')),
    };
  }
}

function rootMap(loaded: LoadedYaml, what: string): { b: Builder; root: YAMLMap } | { problems: YamlProblem[] } {
  if (!loaded.doc) return { problems: loaded.problems };
  const y = new YamlView(loaded.doc);
  const b = new Builder(y, loaded);
  const root = y.map(loaded.doc.contents);
  if (!root) {
    b.problem(loaded.doc.contents, `${what} must be a YAML mapping`);
    return { problems: b.problems };
  }
  return { b, root };
}

export function parseWorkflow(loaded: LoadedYaml, repoPath: string = loaded.source.path): ParseResult<Workflow> {
  const r = rootMap(loaded, 'a workflow');
  if ('problems' in r) return { problems: r.problems };
  const { b, root } = r;
  const y = b.y;
  const onNode = y.get(root, 'on') ?? undefined;
  const triggers: Trigger[] = [];
  if (onNode) {
    const single = y.text(onNode);
    if (single !== undefined) triggers.push({ name: single, node: onNode });
    else if (y.seq(onNode)) {
      for (const item of y.items(onNode)) {
        const t = y.text(item);
        if (t !== undefined) triggers.push({ name: t, node: item });
      }
    } else {
      for (const p of y.pairs(onNode)) triggers.push({ name: p.key, node: p.keyNode, config: y.map(p.value) });
    }
  } else {
    b.problem(root, 'workflow has no "on:" triggers');
  }
  const inputs: WorkflowInput[] = [];
  for (const t of triggers) {
    if ((t.name === 'workflow_call' || t.name === 'workflow_dispatch') && t.config) {
      for (const p of y.pairs(y.get(t.config, 'inputs'))) {
        const def = y.get(p.value, 'default');
        inputs.push({ name: p.key, node: p.keyNode, type: y.text(y.get(p.value, 'type')), via: t.name, ...(def ? { default: def } : {}) });
      }
    }
  }
  const jobsNode = y.get(root, 'jobs');
  const jobs: Job[] = [];
  if (!jobsNode) b.problem(root, 'workflow has no "jobs:"');
  for (const p of y.pairs(jobsNode)) {
    const job = b.job(p.key, p.keyNode, p.value);
    if (job) jobs.push(job);
  }
  return {
    value: {
      kind: 'workflow',
      source: loaded.source,
      repoPath,
      root,
      name: y.text(y.get(root, 'name')),
      onNode,
      triggers,
      triggerNames: new Set(triggers.map((t) => t.name)),
      inputs,
      permissions: b.permissions(y.get(root, 'permissions')),
      env: b.entries(y.get(root, 'env')),
      jobs,
      defaultsShell: y.text(y.get(y.get(y.get(root, 'defaults'), 'run'), 'shell')),
    },
    problems: b.problems,
  };
}

export function parseAction(loaded: LoadedYaml, dir: string): ParseResult<Action> {
  const r = rootMap(loaded, 'an action');
  if ('problems' in r) return { problems: r.problems };
  const { b, root } = r;
  const y = b.y;
  const runs = y.get(root, 'runs');
  const inputs: ActionInput[] = y.pairs(y.get(root, 'inputs')).map((p) => ({
    name: p.key,
    node: p.keyNode,
    default: y.text(y.get(p.value, 'default')),
    description: y.text(y.get(p.value, 'description')),
  }));
  const usingNode = y.get(runs, 'using') ?? undefined;
  return {
    value: {
      kind: 'action',
      source: loaded.source,
      root,
      dir,
      name: y.text(y.get(root, 'name')),
      inputs,
      outputs: b.entries(y.get(root, 'outputs')),
      using: y.text(usingNode),
      usingNode,
      steps: b.steps(y.get(runs, 'steps')),
      image: y.scalar(y.get(runs, 'image')),
    },
    problems: b.problems,
  };
}

export function parseDependabot(loaded: LoadedYaml): ParseResult<Dependabot> {
  const r = rootMap(loaded, 'dependabot.yml');
  if ('problems' in r) return { problems: r.problems };
  const { b, root } = r;
  const y = b.y;
  const updates: DependabotUpdate[] = [];
  for (const n of y.items(y.get(root, 'updates'))) {
    const map = y.map(n);
    if (!map) continue;
    const iece = y.getPair(map, 'insecure-external-code-execution');
    const ecosystemNode = y.get(map, 'package-ecosystem') ?? undefined;
    updates.push({
      node: map,
      ecosystem: y.text(ecosystemNode),
      ecosystemNode,
      directory: y.text(y.get(map, 'directory')),
      insecureExternalCodeExecution: iece ? { key: 'insecure-external-code-execution', keyNode: iece.keyNode, value: iece.value, text: y.text(iece.value) } : undefined,
      cooldown: y.get(map, 'cooldown') ?? undefined,
      registries: y.get(map, 'registries') ?? undefined,
    });
  }
  return { value: { kind: 'dependabot', source: loaded.source, root, updates, registries: y.map(y.get(root, 'registries')) }, problems: b.problems };
}

