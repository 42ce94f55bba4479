import type { Node, Scalar, YAMLMap } from 'yaml';
import type { Location } from '../../core/finding.js';
import type { SourceText } from '../../yaml/load.js';
import type { YamlView } from '../../yaml/nodes.js';

/*
 * Bitbucket Pipelines, as Bitbucket Cloud reads `bitbucket-pipelines.yml`.
 *
 * Every node keeps its YAML node (for exact positions) and the source it came from. Steps and
 * pipelines reached through anchors/aliases (`- step: *build`) or merge keys (`<<: *build`) point
 * at the YAML that defines them, so findings land on the line a person edits, once.
 *
 * Trust model (documented in the audits' READMEs):
 * - Bitbucket Cloud does not run the destination repository's pipelines for pull requests from
 *   forks (BCLOUD-13162, still open). `pull-requests:` pipelines therefore run for branches of the
 *   same repository: code pushed by someone with write access, not yet reviewed.
 * - The pipeline definition used is the one in the commit being built, so a pusher can rewrite it.
 *   What the committed file controls is what *reviewed* configuration does with values other
 *   people choose: branch and tag names, commit messages (merge commits carry PR titles and
 *   descriptions), custom-pipeline variables, and which pipelines receive deployment variables,
 *   self-hosted runners, OIDC tokens and repository-wide caches.
 */

/** `shared`: `definitions.pipelines` of a file with `export: true`, run by importing repositories. */
export type PipelineKind = 'default' | 'branches' | 'pull-requests' | 'tags' | 'bookmarks' | 'custom' | 'shared';

/**
 * Who can make a pipeline run code that has not been reviewed:
 * - `unreviewed`: any branch push or pull request (`default`, `pull-requests`, broad branch globs),
 *   or a manual run on any branch (`custom`);
 * - `protected`: named branches (`main`, `release/*`), tags and bookmarks.
 */
export type Trust = 'unreviewed' | 'protected';

export interface Entry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

export interface ImageRef {
  /** The `image:` value node (scalar, or map with `name:`). */
  node: Node;
  /** The image reference, when written literally. */
  name?: string;
  nameNode?: Scalar;
  username?: Scalar;
  password?: Scalar;
  /** `aws: { access-key, secret-key, oidc-role }` */
  awsAccessKey?: Scalar;
  awsSecretKey?: Scalar;
}

export interface CacheDef {
  name: string;
  keyNode: Scalar;
  path?: string;
  /** `key: files:` globs (smart caches). */
  keyFiles: string[];
}

export interface ServiceDef {
  name: string;
  keyNode: Scalar;
  image?: ImageRef;
  /** `type: docker` marks a custom Docker daemon service. */
  type?: string;
  variables: Entry[];
}

export interface PipeItem {
  kind: 'pipe';
  /** The `- pipe: ...` item map. */
  node: YAMLMap;
  ref: string;
  refNode: Scalar;
  variables: Entry[];
}

export interface CommandItem {
  kind: 'command';
  scalar: Scalar;
  /** The command text (block scalars may hold several lines). */
  text: string;
}

export type ScriptItem = CommandItem | PipeItem;

export interface Step {
  /** The step's map (after aliases). Identity of a step across pipelines that share it. */
  node: YAMLMap;
  source: SourceText;
  name?: string;
  nameNode?: Scalar;
  /** `step 3` style label when unnamed. */
  label: string;
  image?: ImageRef;
  script: ScriptItem[];
  afterScript: ScriptItem[];
  caches: Array<{ name: string; node: Scalar }>;
  services: Array<{ name: string; node: Scalar }>;
  artifacts: Array<{ pattern: string; node: Scalar }>;
  /** `artifacts: { download: false }` */
  artifactsDownload: boolean;
  deployment?: { name: string; node: Scalar; fromStage: boolean };
  /** `trigger: manual` on the step or on its stage. */
  manual: boolean;
  manualNode?: Scalar;
  runsOn: Array<{ label: string; node: Scalar }>;
  oidc?: Scalar;
  outputVariables: Array<{ name: string; node: Scalar }>;
  /** `runtime: cloud: version: 3` on the step or in `options:`. */
  runtimeV3: boolean;
  /** Key `step` of the item (for the location of steps without a name). */
  keyNode?: Scalar;
}

export interface CustomVariable {
  name: string;
  node: Scalar;
}

export interface Pipeline {
  kind: PipelineKind;
  /** Glob (branches, pull-requests, tags, bookmarks) or name (custom); undefined for default. */
  pattern?: string;
  /** The key that names the pipeline (`main:`, `'**':`, `default:`). */
  keyNode: Scalar;
  source: SourceText;
  trust: Trust;
  /** Steps in execution order (parallel and stage groups flattened). */
  steps: Step[];
  /** `custom: x: - variables: [...]` prompts: supplied by whoever runs the pipeline. */
  variables: CustomVariable[];
  /** Set when the pipeline came from `import:` of a local shared-pipelines file. */
  importedFrom?: string;
}

export interface ImportRef {
  /** `import:` value. */
  value: string;
  node: Scalar;
  /** `repo-slug:ref:pipeline` (another repository) or `pipeline@source` (local). */
  kind: 'repository' | 'local' | 'invalid';
  repo?: string;
  ref?: string;
  pipeline?: string;
  sourceName?: string;
}

export interface BitbucketFile {
  source: SourceText;
  view: YamlView;
  root: YAMLMap;
  image?: ImageRef;
  /** `options: runtime: cloud: version: 3`. */
  runtimeV3: boolean;
  caches: CacheDef[];
  services: ServiceDef[];
  pipelines: Pipeline[];
  imports: ImportRef[];
}

export interface BitbucketModel {
  files: BitbucketFile[];
}

export interface ModelProblem {
  message: string;
  location: Location;
}

/** Pre-defined caches (Bitbucket docs) and where they live. */
export const PREDEFINED_CACHES: Record<string, string> = {
  docker: '(docker layers)',
  composer: '~/.composer/cache',
  dotnetcore: '~/.nuget/packages',
  gradle: '~/.gradle/caches',
  ivy2: '~/.ivy2/cache',
  maven: '~/.m2/repository',
  node: 'node_modules',
  pip: '~/.cache/pip',
  sbt: '~/.sbt',
};
