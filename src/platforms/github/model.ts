import type { Node, Scalar, YAMLMap } from 'yaml';
import type { SourceText } from '../../yaml/load.js';

/** A key/value entry of a YAML mapping, with both nodes for positions. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
  /** The value as text when it is a scalar (numbers and booleans stringified). */
  text?: string;
}

/** A parsed `uses:` reference. */
export type UsesRef =
  | {
      kind: 'local';
      raw: string;
      node: Scalar;
      /** Repository-relative (`./dir`): for `$/dir`, `./dir`. */
      path: string;
      /**
       * `$/dir`: read from this repository at the running commit, not from the workspace, so no
       * checkout (and no pull request's code) decides what runs.
       */
      self?: true;
    }
  | { kind: 'docker'; raw: string; node: Scalar; image: string }
  | {
      kind: 'repo';
      raw: string;
      node: Scalar;
      owner: string;
      repo: string;
      /** Sub-path inside the repo (`owner/repo/path@ref`), '' for the root action. */
      path: string;
      ref: string;
      /** Pinned to a full 40-hex commit SHA. */
      pinnedToSha: boolean;
    }
  | { kind: 'invalid'; raw: string; node: Scalar; reason: string };

export interface Permissions {
  node: Node;
  /** `write-all`, `read-all`, `{}` (none), or a scope map. */
  kind: 'write-all' | 'read-all' | 'none' | 'scopes' | 'invalid';
  scopes: Map<string, { level: 'read' | 'write' | 'none'; node: Node }>;
}

export interface Step {
  /** 0-based position in the steps list. */
  index: number;
  node: YAMLMap;
  id?: string;
  name?: string;
  uses?: UsesRef;
  run?: Scalar;
  shell?: string;
  with: Entry[];
  env: Entry[];
  if?: Scalar;
  workingDirectory?: string;
  continueOnError?: Node;
  /** Human label for messages: name, id, uses or `step N`. */
  label: string;
}

export interface Container {
  node: Node;
  image?: Scalar;
  credentials?: { username?: Node; password?: Node; node: Node };
  env: Entry[];
  options?: Scalar;
}

export interface Job {
  id: string;
  idNode: Scalar;
  node: YAMLMap;
  name?: string;
  permissions?: Permissions;
  runsOn?: Node;
  container?: Container;
  services: Array<{ name: string; container: Container }>;
  steps: Step[];
  /** Reusable workflow call (`jobs.x.uses`). */
  uses?: UsesRef;
  with: Entry[];
  /** `secrets: inherit` or an explicit map. */
  secrets?: { node: Node; inherit: boolean; entries: Entry[] };
  env: Entry[];
  if?: Scalar;
  needs: string[];
  outputs: Entry[];
  environment?: Node;
  /** The matrix mapping (`strategy.matrix`) when present. */
  matrix?: Node;
  defaultsShell?: string;
}

export interface Trigger {
  name: string;
  node: Node;
  /** Configuration under the trigger (types, branches, inputs...), if a mapping. */
  config?: YAMLMap;
}

export interface WorkflowInput {
  name: string;
  node: Node;
  type?: string;
  /** `workflow_call` (caller supplies) or `workflow_dispatch` (user supplies). */
  via: 'workflow_call' | 'workflow_dispatch';
  /** The `default:` value node, when given. */
  default?: Node;
}

export interface Workflow {
  kind: 'workflow';
  source: SourceText;
  /** Path relative to the scanned repository root (what `uses: ./...` resolves against). */
  repoPath: string;
  root: YAMLMap;
  name?: string;
  onNode?: Node;
  triggers: Trigger[];
  triggerNames: Set<string>;
  inputs: WorkflowInput[];
  permissions?: Permissions;
  env: Entry[];
  jobs: Job[];
  defaultsShell?: string;
}

export interface ActionInput {
  name: string;
  node: Node;
  default?: string;
  description?: string;
}

export interface Action {
  kind: 'action';
  source: SourceText;
  root: YAMLMap;
  /** Directory holding the action.yml, relative to the scanned repository root ('' at the root). */
  dir: string;
  name?: string;
  inputs: ActionInput[];
  outputs: Entry[];
  using?: string;
  usingNode?: Node;
  /** Steps of a composite action. */
  steps: Step[];
  /** Image of a docker action (`runs.image`). */
  image?: Scalar;
}

export interface DependabotUpdate {
  node: YAMLMap;
  ecosystem?: string;
  ecosystemNode?: Node;
  directory?: string;
  insecureExternalCodeExecution?: Entry;
  cooldown?: Node;
  registries?: Node;
}

export interface Dependabot {
  kind: 'dependabot';
  source: SourceText;
  root: YAMLMap;
  updates: DependabotUpdate[];
  registries?: YAMLMap;
}

/** Everything the GitHub audits see of one repository (or of the files given). */
export interface GithubModel {
  workflows: Workflow[];
  actions: Action[];
  dependabot: Dependabot[];
  /** Local action by repo-relative directory (for `uses: ./dir`). */
  actionByDir: Map<string, Action>;
  /** Workflow by repository-relative path (for `uses: ./.github/workflows/x.yml`). */
  workflowByPath: Map<string, Workflow>;
}
