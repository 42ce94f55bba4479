import type { Document, Node, Scalar } from 'yaml';
import type { Location } from '../../core/finding.js';
import type { SourceText } from '../../yaml/load.js';
import type { YamlView } from '../../yaml/nodes.js';

/*
 * GitLab CI model. GitLab builds a pipeline in this order (lib/gitlab/ci/config.rb): parse the
 * YAML, merge `include:`d files (deep merge, the including file wins), resolve `extends:`
 * (reverse deep merge: hashes merge, arrays and scalars are replaced), then resolve `!reference`
 * tags. The model follows the same order. Every value keeps the YAML node it was written as and
 * the file it was written in (`Origin`), so a finding about a merged job still points at the line
 * a person must change, in whichever file that line is.
 */

/** One parsed YAML file (the entry `.gitlab-ci.yml`, a local include or a child pipeline file). */
export interface GitlabFile {
  /** Display path. */
  path: string;
  /** Path inside the repository (what `include: local:` resolves against). */
  repoPath: string;
  /** Positions are computed against the whole file, header document included. */
  source: SourceText;
  /** The configuration document (the second one when the file has a `spec:` header). */
  doc?: Document.Parsed;
  view?: YamlView;
  /** `spec:` header (the first YAML document of a file that declares inputs). */
  spec?: Spec;
}

/** `spec: inputs:` of a file: the values `$[[ inputs.x ]]` is replaced with. */
export interface Spec {
  node: Node;
  inputs: SpecInput[];
}

export interface SpecInput {
  name: string;
  keyNode: Scalar;
  /** `string` (default), `number`, `boolean` or `array`. */
  type: string;
  /** `options:` restrict a string input to fixed values. */
  options?: string[];
  /** `regex:` a string input must match (GitLab checks it before interpolation). */
  regex?: { pattern: string; node: Scalar };
  default?: Scalar;
}

/** Where a value is written. */
export interface Origin {
  file: GitlabFile;
  node: Node;
}

export type Val = MapVal | SeqVal | ScalarVal;

export interface MapEntry {
  key: string;
  keyAt: Origin;
  value: Val;
}

export interface MapVal {
  kind: 'map';
  at: Origin;
  entries: Map<string, MapEntry>;
}

export interface SeqVal {
  kind: 'seq';
  at: Origin;
  items: Val[];
  /** An unresolved `!reference [a, b, ...]` (only before resolution, or when it could not be resolved). */
  reference?: string[];
}

export interface ScalarVal {
  kind: 'scalar';
  at: Origin;
  scalar: Scalar;
  value: string | number | boolean | null;
}

/** An `include:` entry. Only `local` ones are read; the others are recorded for `unpinned-uses`. */
export interface Include {
  kind: 'local' | 'remote' | 'project' | 'template' | 'component' | 'artifact' | 'invalid';
  /** The file the `include:` is written in. */
  from: GitlabFile;
  /** The entry node (string or map). */
  node: Node;
  /** The node naming the target (the string, or the `local:`/`remote:`/... value). */
  target: Scalar | undefined;
  /** Target as written (path, URL, project path or component reference). */
  value: string;
  /** `project:` includes: the `ref:` node, when given. */
  ref?: Scalar;
  /** `project:` includes: the `file:` value(s). */
  files?: Scalar[];
  /** `remote:` includes: `integrity:` (GitLab 17.9+ checks the SHA-256 of the fetched file). */
  integrity?: Scalar;
  /** `inputs:` given to the included file. */
  inputs: MapEntry[];
  /** Read and merged (local includes that were found). */
  resolved?: GitlabFile;
  /** `trigger: include:` of a job: the file is a child pipeline, not merged into this one. */
  child?: boolean;
}

/** A variable as a job sees it: global `variables:` overridden by the job's own. */
export interface Variable {
  name: string;
  keyAt: Origin;
  /** The value scalar (`NAME: value` or `NAME: { value: ... }`); undefined when not a scalar. */
  value?: ScalarVal;
  scope: 'global' | 'job' | 'rule' | 'service';
  /** `expand: false` keeps `$X` literal. */
  expand: boolean;
}

/** One line (entry) of `before_script:`, `script:` or `after_script:`; nested lists are flattened. */
export interface ScriptLine {
  section: 'before_script' | 'script' | 'after_script';
  value: ScalarVal;
  /** Inherited from `default:` (or a legacy top-level `before_script:`). */
  fromDefault: boolean;
}

export interface ImageRef {
  /** The image name scalar (`image: x` or `image: { name: x }`). */
  name: ScalarVal;
  fromDefault: boolean;
  /** The service or image map, when written as one (for `alias:`, `command:`, `variables:`). */
  config?: MapVal;
}

export interface CacheSpec {
  at: Origin;
  config?: MapVal;
  /** `key:` as written (string, or a map with `files:`/`prefix:`); undefined means the key `default`. */
  key?: Val;
  /** `pull`, `push` or `pull-push` (the default). */
  policy: string;
  /** `unprotect: true` shares the cache between protected and unprotected branches. */
  unprotect?: ScalarVal;
  fromDefault: boolean;
}

export interface Job {
  name: string;
  /** The job's key in the file that defines it (the including file when a job is merged). */
  keyAt: Origin;
  /** `.name` keys: templates for `extends:` and `!reference`, never run. */
  hidden: boolean;
  pipeline: Pipeline;
  /** Effective configuration after `extends:` and `!reference`, without defaults. */
  config: MapVal;
  /** `extends:` targets, nearest first (after resolution). */
  extendsChain: string[];
  scripts: ScriptLine[];
  image?: ImageRef;
  services: ImageRef[];
  /** Effective variables (global then job); later entries win. */
  variables: Variable[];
  tags: ScalarVal[];
  cache: CacheSpec[];
  artifacts?: MapVal;
  environment?: Environment;
  rules?: SeqVal;
  only?: Val;
  except?: Val;
  trigger?: Val;
  idTokens?: MapVal;
  secrets?: MapVal;
  when?: string;
}

export interface Environment {
  at: Origin;
  name?: ScalarVal;
  action?: string;
  tier?: ScalarVal;
}

export interface Pipeline {
  kind: 'root' | 'child';
  entry: GitlabFile;
  /** For child pipelines: the job with `trigger: include:`. */
  parentJob?: Job;
  /** The merged top-level configuration. */
  root: MapVal;
  /** Every include written in this pipeline's files, resolved or not. */
  includes: Include[];
  /** Non-hidden jobs, in file order. */
  jobs: Job[];
  /** Hidden jobs (`.name`), resolved the same way. */
  templates: Job[];
  /** Global `variables:`. */
  variables: Variable[];
  default?: MapVal;
  workflowRules?: SeqVal;
}

export interface GitlabModel {
  files: GitlabFile[];
  pipelines: Pipeline[];
}

export interface GitlabProblem {
  message: string;
  location: Location;
}
