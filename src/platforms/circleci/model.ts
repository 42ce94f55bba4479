import type { Node, Scalar, YAMLMap } from 'yaml';
import type { SourceText } from '../../yaml/load.js';
import type { MergeView } from './view.js';

/*
 * Typed model of CircleCI configuration (2.0 and 2.1). Every node keeps its YAML node, so rules
 * compute exact locations with nodeLocation(). Nothing is expanded: orb, command and executor
 * references stay references, and rules resolve them through resolve.ts. YAML merge keys
 * (`<<: *defaults`, very common in CircleCI configs) are read through MergeView.
 */

export interface CircleModel {
  files: CircleFile[];
}

/** A key/value pair of a map (environment, parameters passed to a job or command...). */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

export interface CircleFile {
  /** Display path. */
  path: string;
  /** Repository-relative path. */
  repoPath: string;
  source: SourceText;
  view: MergeView;
  root: YAMLMap;
  /** `config`: an entry file; `continuation`: reached from a `setup: true` config. */
  kind: 'config' | 'continuation';
  version?: string;
  versionNode?: Scalar;
  /** `setup: true`: a dynamic-configuration setup file. */
  setup: boolean;
  setupNode?: Scalar;
  /** Top-level `parameters:` (pipeline parameters). */
  pipelineParameters: Parameter[];
  /** Top-level orbs, executors, commands and jobs. */
  defs: Definitions;
  workflows: Workflow[];
  /** Continuation configs this setup file hands over to (continuation / path-filtering orbs). */
  continuations: ContinuationRef[];
  /** When this is a continuation: the setup file and reference that led here. */
  parent?: { file: CircleFile; ref: ContinuationRef };
}

/** A set of reusable elements: the file's top level, or the body of an inline orb. */
export interface Definitions {
  /** '' for the file's top level, else the inline orb's name. */
  scope: string;
  /** The enclosing definitions (the top level, for an inline orb). */
  parent?: Definitions;
  orbs: Orb[];
  executors: Executor[];
  commands: Command[];
  jobs: Job[];
}

export interface Orb {
  name: string;
  nameNode: Scalar;
  node: Node | null;
  /** `ns/orb@version` (registry orb) or a URL orb. */
  ref?: OrbRef;
  /** An inline orb (a map with its own commands, jobs, executors, orbs). */
  inline?: Definitions;
}

export interface OrbRef {
  text: string;
  node: Scalar;
  kind: 'registry' | 'url';
  namespace?: string;
  orb?: string;
  /** Text after `@` (`1.2.3`, `1`, `volatile`, `dev:alpha`); undefined without `@`. */
  version?: string;
}

export interface Parameter {
  name: string;
  nameNode: Scalar;
  node: Node | null;
  type?: string;
  typeNode?: Scalar;
  default?: Node | null;
  /** `enum` values, when declared. */
  enum?: string[];
}

export interface Image {
  node: Node;
  image?: Scalar;
  /** `auth:` map (username/password). */
  auth: Entry[];
  /** `aws_auth:` map. */
  awsAuth: Entry[];
  environment: Entry[];
}

/** What jobs and executors share: where the steps run. */
export interface ExecutionSpec {
  images: Image[];
  machine?: Node | null;
  macos?: Node | null;
  resourceClass?: Scalar;
  environment: Entry[];
  shell?: Scalar;
  workingDirectory?: Scalar;
  /** `executor: name` or `executor: {name: x, ...args}`. */
  executorRef?: { name: string; node: Scalar; args: Entry[] };
}

export interface Executor extends ExecutionSpec {
  kind: 'executor';
  name: string;
  nameNode: Scalar;
  node: Node | null;
  parameters: Parameter[];
  owner: Definitions;
}

export interface Command {
  kind: 'command';
  name: string;
  nameNode: Scalar;
  node: Node | null;
  parameters: Parameter[];
  steps: Step[];
  owner: Definitions;
}

export interface Job extends ExecutionSpec {
  kind: 'job';
  name: string;
  nameNode: Scalar;
  node: Node | null;
  parameters: Parameter[];
  steps: Step[];
  owner: Definitions;
  /** `type: approval` (or `type: release`...) declared on the job itself. */
  type?: Scalar;
}

export type Definition = Command | Job | Executor;

interface StepBase {
  /** Position in its list (0-based). */
  index: number;
  node: Node;
  /** The step's key (`run`, `checkout`, `node/install`...) or the scalar step itself. */
  keyNode: Scalar;
}

export interface RunStep extends StepBase {
  type: 'run';
  /** The command text (`run: cmd` or `run: {command: cmd}`). */
  command?: Scalar;
  name?: string;
  shell?: Scalar;
  environment: Entry[];
  /** `deploy:` (deprecated) behaves like `run:`. */
  deprecatedDeploy: boolean;
}

export interface CheckoutStep extends StepBase {
  type: 'checkout';
  path?: Scalar;
}

export interface SaveCacheStep extends StepBase {
  type: 'save_cache';
  key?: Scalar;
  paths: Scalar[];
}

export interface RestoreCacheStep extends StepBase {
  type: 'restore_cache';
  /** `key:` then `keys:` entries, in the order CircleCI tries them. */
  keys: Scalar[];
}

export interface PersistStep extends StepBase {
  type: 'persist_to_workspace';
  root?: Scalar;
  paths: Scalar[];
}

export interface ArtifactStep extends StepBase {
  type: 'store_artifacts';
  path?: Scalar;
  destination?: Scalar;
}

export interface ConditionalStep extends StepBase {
  type: 'when' | 'unless';
  condition: Node | null;
  steps: Step[];
}

/** A reusable command (`greet`) or orb command (`node/install`) invocation. */
export interface CallStep extends StepBase {
  type: 'call';
  ref: string;
  args: Entry[];
  /** Arguments whose value is a list of steps (`steps` parameters), parsed. */
  stepArgs: Array<{ key: string; steps: Step[] }>;
}

/** attach_workspace, store_test_results, setup_remote_docker, add_ssh_keys, ... */
export interface OtherStep extends StepBase {
  type: 'other';
  name: string;
}

export type Step = RunStep | CheckoutStep | SaveCacheStep | RestoreCacheStep | PersistStep | ArtifactStep | ConditionalStep | CallStep | OtherStep;

export interface Workflow {
  name: string;
  nameNode: Scalar;
  node: Node | null;
  jobs: WorkflowJob[];
  when?: Node | null;
  unless?: Node | null;
  /** 2.0 `triggers:` (schedules). */
  triggers?: Node | null;
}

export interface RefFilter {
  node: Node | null;
  only: Scalar[];
  ignore: Scalar[];
  hasOnly: boolean;
  hasIgnore: boolean;
}

export interface Filters {
  node: Node | null;
  branches?: RefFilter;
  tags?: RefFilter;
  /** Expression-based filter (`filters: pipeline.git.branch == "main"`), not evaluated. */
  expression?: Scalar;
}

export interface WorkflowJob {
  /** The job (or orb job, `aws-ecr/build-and-push-image`) it runs. */
  ref: string;
  refNode: Scalar;
  node: Node | null;
  /** `name:` override; other entries `requires:` this name. */
  alias?: string;
  /** alias ?? ref. */
  id: string;
  requires: Scalar[];
  filters?: Filters;
  contexts: Scalar[];
  /** `type: approval`. */
  type?: Scalar;
  matrix?: Node | null;
  /** Parameters passed to the job. */
  args: Entry[];
  preSteps: Step[];
  postSteps: Step[];
}

export interface ContinuationRef {
  /** Repository-relative path of the continuation config. */
  path: string;
  node: Scalar;
  via: string;
  file?: CircleFile;
}
