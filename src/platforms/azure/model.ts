import type { Node, Scalar, YAMLMap } from 'yaml';
import type { SourceText } from '../../yaml/load.js';
import type { YamlView } from '../../yaml/nodes.js';

/*
 * Azure Pipelines model. Templates are expanded while parsing: a step, job, stage or variable
 * that came from `template: x.yml` keeps the SourceText of the file it is written in, and the
 * `Context` it was expanded in (template chain, `${{ parameters }}` bindings and enclosing
 * `${{ if }}` guards), so rules report at the line a person must change and taint can follow a
 * value from the caller's `parameters:` into the template's script.
 */

/** A key/value entry of a YAML mapping, with both nodes for positions. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
  /** The value as text when it is a scalar (numbers and booleans stringified). */
  text?: string;
}

/** A `template:` reference (steps, jobs, stages, variables or `extends:`). */
export interface TemplateRef {
  /** The `template:` value node, in the including file. */
  node: Scalar;
  source: SourceText;
  raw: string;
  kind: 'local' | 'external';
  /** For `file@alias` references: the `resources.repositories` alias. */
  repoAlias?: string;
  /** Repository-relative path of a local template (resolved against the including file). */
  repoPath?: string;
  /** `parameters:` passed at the reference. */
  args: Entry[];
  /** What the template provides. */
  role: 'steps' | 'jobs' | 'stages' | 'variables' | 'extends';
}

/** A declared template or pipeline parameter. */
export interface Parameter {
  name: string;
  node: Node;
  nameNode: Node;
  source: SourceText;
  /** `string` when not declared (Azure's default). */
  type: string;
  /** Has a `values:` allow-list. */
  restricted: boolean;
  default?: Node | null;
}

/**
 * One binding of `${{ parameters.X }}`: the argument written at a template call site (with the
 * caller's context, for chained parameters), or the template's declared default.
 */
export interface ParamBinding {
  param?: Parameter;
  /** The argument node (call site) or default node (declaration). */
  value: Node | null;
  /** Context the value was written in (the caller's for arguments, the template's for defaults). */
  ctx: Context;
  kind: 'argument' | 'default' | 'queue-time';
}

/** Where a node was expanded: file, template chain, parameter bindings, guards. */
export interface Context {
  source: SourceText;
  /** Accessors for the document the node belongs to (aliases resolve per document). */
  view: YamlView;
  repoPath: string;
  /** Template references from the entry file down to this file (outermost first). */
  via: TemplateRef[];
  /** `${{ parameters.X }}` bindings of this file, by lower-cased name. */
  params: Map<string, ParamBinding>;
  /** True in the entry file: its parameters are set by whoever queues the run. */
  root: boolean;
  /** Texts of the enclosing `${{ if ... }}` / `${{ elseif }}` / `${{ else }}` insertions. */
  guards: string[];
}

export type VariableEntry =
  | { kind: 'variable'; name: string; nameNode: Node; value: Node | null; node: Node; ctx: Context; readonly?: boolean }
  | { kind: 'group'; name: string; node: Node; ctx: Context };

export interface Pool {
  node: Node;
  ctx: Context;
  name?: string;
  vmImage?: string;
  /** A named pool other than the Microsoft-hosted "Azure Pipelines" pool. */
  selfHosted: boolean;
}

export interface ContainerResource {
  alias: string;
  node: Node;
  ctx: Context;
  image?: Scalar;
  endpoint?: string;
}

export interface RepositoryResource {
  alias: string;
  aliasNode: Node;
  node: Node;
  ctx: Context;
  type?: string;
  name?: string;
  ref?: Scalar;
  endpoint?: string;
}

export interface Trigger {
  /** `default`: the key is absent (Azure builds every branch / every PR for GitHub and Bitbucket repos). */
  kind: 'default' | 'none' | 'filtered';
  node?: Node;
  /** Branch include patterns (`*` wildcards allowed); empty for "all". */
  branches: string[];
  /** Tags are included (`tags:` with includes, or a `refs/tags/` branch pattern). */
  tags: boolean;
}

export type StepKind = 'script' | 'bash' | 'pwsh' | 'powershell' | 'task' | 'checkout' | 'download' | 'publish' | 'getPackage' | 'reviewApp' | 'unknown';

export interface TaskRef {
  node: Scalar;
  raw: string;
  /** Task name without version (`Bash`, `publisher.extension.Task`, a GUID). */
  name: string;
  version?: string;
}

export interface Checkout {
  node: Scalar;
  /** `self`, `none`, or a repository alias. */
  target: string;
  persistCredentials?: Node | null;
  clean?: Node | null;
}

export interface Step {
  /** 0-based position in the job's expanded step list. */
  index: number;
  node: YAMLMap;
  ctx: Context;
  kind: StepKind;
  /** The inline script of `script`/`bash`/`pwsh`/`powershell` steps. */
  script?: Scalar;
  task?: TaskRef;
  inputs: Entry[];
  env: Entry[];
  checkout?: Checkout;
  /** `publish:` / `download:` shortcut value. */
  value?: Scalar;
  name?: string;
  displayName?: string;
  condition?: Scalar;
  /** Human label for messages. */
  label: string;
}

export interface Job {
  id: string;
  node: YAMLMap;
  ctx: Context;
  kind: 'job' | 'deployment';
  steps: Step[];
  variables: VariableEntry[];
  pool?: Pool;
  /** `container:` of the job: an image reference or a container resource alias. */
  container?: Scalar;
  /** `services:` values (aliases or images). */
  services: Entry[];
  environment?: { name: string; node: Node };
  condition?: Scalar;
  /** `workspace: clean: all|outputs|resources`. */
  workspaceClean?: string;
  /** For deployment jobs: the strategy name (runOnce, rolling, canary). */
  strategy?: string;
  stage: Stage;
  /** A job template from another repository: not fetched, so its content is unknown. */
  external?: TemplateRef;
}

export interface Stage {
  id: string;
  /** Undefined for the implicit stage of a pipeline with top-level `jobs:`/`steps:`. */
  node?: YAMLMap;
  ctx: Context;
  jobs: Job[];
  variables: VariableEntry[];
  pool?: Pool;
  condition?: Scalar;
}

export interface Pipeline {
  source: SourceText;
  repoPath: string;
  root: YAMLMap;
  ctx: Context;
  trigger: Trigger;
  pr: Trigger;
  parameters: Parameter[];
  variables: VariableEntry[];
  repositories: RepositoryResource[];
  containers: ContainerResource[];
  pool?: Pool;
  stages: Stage[];
  extends?: TemplateRef;
  /** Every template reference met while expanding (local and external). */
  templates: TemplateRef[];
}

export interface AzureModel {
  pipelines: Pipeline[];
}
