import type { Node } from 'yaml';
import type { Confidence, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Job, Step, Workflow } from '../../../platforms/github/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { effectiveTriggers } from '../../../platforms/github/callers.js';
import { actionName, actionVersion, mapGet, usesAction, withEntry, withText, type ActionVersion } from '../../../platforms/github/action-inputs.js';
import { commandWords, shellCommands } from '../../../shell/words.js';
import { conditionGate, jobGate, conditionExprText, strongerGate } from '../../../platforms/github/gates.js';
import { defaultWorkingDirectory } from '../../../platforms/github/workspace.js';
import { jobRefScope, prCodeFlow, type PrCheckout } from '../../../platforms/github/pr-code-flow.js';
import { scriptLocation } from '../../../shell/location.js';
import { workflowRunReachableByOutsiders } from '../../../platforms/github/workflow-run.js';
import { truthiness, type ContextFacts } from '../../../platforms/github/expressions/evaluate.js';
import { goreleaserActionPublishes, goreleaserPublishes, loc, related, stepKey } from '../util.js';

/**
 * How a cache-aware action uses the GitHub Actions cache in a step. `explicit`: an input turns it
 * on; `default`: the action caches unless told not to; `expression`: an input computed at run time.
 */
interface CacheUse {
  how: 'explicit' | 'default' | 'expression';
  /** The input that enables caching (absent for defaults: point at `uses:`). */
  node?: Node | null;
  restores: boolean;
  saves: boolean;
  /** For `expression`: the toggle's condition text, evaluated per scenario (`${{ !startsWith(github.ref, 'refs/tags/') }}`). */
  toggle?: string;
}

type Detector = (step: Step, v: ActionVersion | undefined) => CacheUse | undefined;

const FALSY = /^(false|no|0|off|none|null|)$/i;
const isExpr = (t: string): boolean => t.includes('${{');

/** Caching is on when `input` is set to a non-false value (or by default when `defaultOn`). */
const optIn = (input: string, defaultOn: boolean | ((v: ActionVersion | undefined) => boolean) = false, rw = { restores: true, saves: true }): Detector => (step, v) => {
  const e = withEntry(step, input);
  const t = e?.text?.trim();
  if (e && t !== undefined) {
    if (isExpr(t)) return { how: 'expression', node: e.value, toggle: t, ...rw };
    return FALSY.test(t) ? undefined : { how: 'explicit', node: e.value, ...rw };
  }
  const on = typeof defaultOn === 'function' ? defaultOn(v) : defaultOn;
  return on ? { how: 'default', ...rw } : undefined;
};

/** Caching is on unless `input` is set to a true value. */
const optOut = (input: string, rw = { restores: true, saves: true }): Detector => (step) => {
  const t = withText(step, input)?.trim();
  // Opt-out input: the cache is on when the expression is false, so no toggle to evaluate here.
  if (t !== undefined && isExpr(t)) return { how: 'expression', node: withEntry(step, input)?.value, ...rw };
  if (t !== undefined && /^(true|yes|1)$/i.test(t)) return undefined;
  return { how: 'default', ...rw };
};

/** Actions whose whole purpose is caching: using them is the opt-in. */
const always: Detector = () => ({ how: 'explicit', restores: true, saves: true });
const atLeast = (major: number) => (v: ActionVersion | undefined): boolean => v === undefined || v.major >= major;

/** Cache-aware actions (owner/repo[/path], lower-case). Modelled on zizmor's list, plus a few. */
export const CACHE_ACTIONS: Record<string, Detector> = {
  'actions/cache': (step) => {
    const lookup = withText(step, 'lookup-only')?.trim();
    return lookup && /^true$/i.test(lookup) ? undefined : { how: 'explicit', restores: true, saves: true };
  },
  'actions/cache/restore': (step) => {
    const lookup = withText(step, 'lookup-only')?.trim();
    return lookup && /^true$/i.test(lookup) ? undefined : { how: 'explicit', restores: true, saves: false };
  },
  'actions/cache/save': () => ({ how: 'explicit', restores: false, saves: true }),
  'actions/setup-java': optIn('cache'),
  'actions/setup-python': optIn('cache'),
  'actions/setup-go': optIn('cache', atLeast(4)),
  'actions/setup-dotnet': optIn('cache'),
  'actions/setup-node': (step, v) => {
    const explicit = optIn('cache')(step, v);
    if (explicit) return explicit;
    // v5+ caches automatically when package.json names a package manager.
    return optIn('package-manager-cache', atLeast(5))(step, v);
  },
  'astral-sh/setup-uv': (step, v) => {
    const t = withText(step, 'enable-cache')?.trim();
    if (t !== undefined && /^true$/i.test(t)) return { how: 'explicit', node: withEntry(step, 'enable-cache')?.value, restores: true, saves: true };
    // Before v10 the default `auto` caches on GitHub-hosted runners; a version we cannot read
    // (bare SHA, branch) may be one of those, so it counts as caching by default.
    if (t === undefined || /^auto$/i.test(t)) return v === undefined || v.major < 10 ? { how: 'default', restores: true, saves: true } : undefined;
    return t && isExpr(t) ? { how: 'expression', node: withEntry(step, 'enable-cache')?.value, toggle: t, restores: true, saves: true } : undefined;
  },
  'swatinem/rust-cache': optOut('lookup-only'),
  'ruby/setup-ruby': optIn('bundler-cache'),
  'pyo3/maturin-action': optIn('sccache'),
  'mlugg/setup-zig': optIn('use-cache', true),
  'oven-sh/setup-bun': optOut('no-cache'),
  'determinatesystems/magic-nix-cache-action': optIn('use-gha-cache', true),
  'graalvm/setup-graalvm': optIn('cache'),
  'gradle/actions/setup-gradle': optOut('cache-disabled'),
  'gradle/gradle-build-action': optOut('cache-disabled'),
  'actions-rust-lang/setup-rust-toolchain': optIn('cache', true),
  'jdx/mise-action': optIn('cache', true),
  'ramsey/composer-install': (step) => {
    const t = withText(step, 'ignore-cache')?.trim();
    return t && /^(true|yes|1)$/i.test(t) ? undefined : { how: 'default', restores: true, saves: true };
  },
  'mozilla-actions/sccache-action': always,
  'nix-community/cache-nix-action': always,
  'awalsh128/cache-apt-pkgs-action': always,
  'docker/build-push-action': (step) => {
    const from = withEntry(step, 'cache-from');
    const to = withEntry(step, 'cache-to');
    const gha = (t: string | undefined): boolean => t !== undefined && /type=gha\b/.test(t);
    if (!gha(from?.text) && !gha(to?.text)) return undefined;
    return { how: 'explicit', node: (gha(from?.text) ? from : to)?.value, restores: gha(from?.text), saves: gha(to?.text) };
  },
};

/** Actions that publish what the job built (modelled on zizmor's list). */
const PUBLISHER_ACTIONS = new Set([
  'pypa/gh-action-pypi-publish', 'rubygems/release-gem', 'jreleaser/release-action', 'goreleaser/goreleaser-action', 'softprops/action-gh-release',
  'ncipollo/release-action', 'svenstaro/upload-release-action', 'redhat-actions/push-to-registry', 'aws-actions/amazon-ecs-deploy-task-definition',
  'aws-actions/aws-cloudformation-github-deploy', 'azure/aci-deploy', 'azure/container-apps-deploy-action', 'azure/functions-action', 'azure/webapps-deploy',
  'cloudflare/wrangler-action', 'google-github-actions/deploy-appengine', 'google-github-actions/deploy-cloudrun', 'google-github-actions/deploy-cloud-functions',
  'actions/deploy-pages', 'peaceiris/actions-gh-pages', 'jamesives/github-pages-deploy-action', 'changesets/action', 'jetbrains/marketplace-publish',
]);

/** `tool sub` pairs in run: scripts that publish. */
const PUBLISH_COMMANDS: Array<[string, RegExp]> = [
  ['npm', /^publish$/], ['yarn', /^(publish|npm)$/], ['pnpm', /^publish$/], ['twine', /^upload$/], ['cargo', /^publish$/], ['gem', /^push$/],
  ['docker', /^push$/], ['gh', /^release$/], ['goreleaser', /^release$/], ['poetry', /^publish$/], ['uv', /^publish$/], ['flit', /^publish$/],
  ['hatch', /^publish$/], ['vsce', /^publish$/], ['ovsx', /^publish$/], ['mvn', /^deploy$/], ['nuget', /^push$/], ['dotnet', /^nuget$/],
  ['gradle', /^publish/], ['gradlew', /^publish/], ['helm', /^push$/], ['semantic-release', /.*/],
];

/** Flags that make a publish command only rehearse (`npm publish --dry-run`, `cargo publish -n`). */
const DRY_RUN = new Set(['--dry-run', '--dryrun', '-n']);
/** xargs options that take a value. */
const XARGS_VALUED = new Set(['-n', '-I', '-P', '-L', '-d', '-s', '-a', '-E', '-i']);

/**
 * `xargs [opts] [$guard] cmd args`: the command xargs runs (a bare `$var` before it, empty or a
 * wrapper such as `echo` for a dry run, is skipped: the command may run as written).
 */
function afterXargs(w: string[]): string[] {
  if ((w[0] ?? '').replace(/^.*\//, '') !== 'xargs') return w;
  let i = 1;
  while (i < w.length && (w[i]!.startsWith('-') || /^\$\{?\w+\}?$/.test(w[i]!))) i += XARGS_VALUED.has(w[i]!) ? 2 : 1;
  return w.slice(i);
}

/** `gh release create` options that take a value (`--title v`), so `v` is not a file to attach. */
const GH_RELEASE_CREATE_VALUED = new Set(['-t', '--title', '-n', '--notes', '-F', '--notes-file', '--target', '--discussion-category', '--notes-start-tag', '-R', '--repo']);

/**
 * Whether a `gh release ...` (words after `release`) ships built files: `upload`, `edit` (it can
 * publish a draft whose files are already attached) and `create TAG FILE...`. `create TAG` with
 * only notes attaches nothing built; `list`, `view`, `download` only read.
 */
function ghReleaseShipsFiles(words: readonly string[]): boolean {
  const [verb, ...rest] = words;
  if (verb === 'upload' || verb === 'edit') return true;
  if (verb !== 'create') return false;
  // `--` ends the options (files follow, often appended by xargs); an array expansion can hold files.
  if (rest.some((w) => w === '--' || /\[[@*]\]|\$[@*]/.test(w))) return true;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (GH_RELEASE_CREATE_VALUED.has(w)) i++;
    else if (!w.startsWith('-')) positional.push(w);
  }
  return positional.length > 1; // the tag, then files
}

function publishes(step: Step): boolean {
  const name = actionName(step);
  if (name === 'goreleaser/goreleaser-action') return goreleaserActionPublishes((k) => withText(step, k));
  if (name && PUBLISHER_ACTIONS.has(name)) return true;
  if (name === 'docker/build-push-action') return /^true$/i.test(withText(step, 'push')?.trim() ?? '');
  if (!step.run || typeof step.run.value !== 'string') return false;
  for (const c of shellCommands(step.run.value)) {
    const w = afterXargs(commandWords(c.words));
    const tool = (w[0] ?? '').replace(/^.*\//, '');
    const args = w.slice(1).filter((x) => !x.startsWith('+'));
    const sub = args.find((x) => !x.startsWith('-')) ?? '';
    if (!PUBLISH_COMMANDS.some(([t, re]) => t === tool && re.test(sub))) continue;
    if (args.some((a) => DRY_RUN.has(a))) continue;
    if (tool === 'gh' && !ghReleaseShipsFiles(args.slice(args.indexOf(sub) + 1))) continue;
    if (tool === 'goreleaser' && !goreleaserPublishes(args)) continue;
    return true;
  }
  return false;
}

/**
 * Release-style triggers: `release` and `push` of tags. A push to a `release/*` branch is CI on
 * that branch, not a release: only a publishing step makes it one.
 */
function releaseTrigger(wf: Workflow): { node: Node; what: string; facts: ContextFacts } | undefined {
  for (const t of wf.triggers) {
    if (t.name === 'release') {
      return { node: t.node, what: 'the release trigger', facts: { values: new Map([['github.event_name', 'release'], ['github.ref_type', 'tag']]), prefixes: TAG_REF } };
    }
    if (t.name === 'push' && t.config && (mapGet(t.config, 'tags') || mapGet(t.config, 'tags-ignore'))) {
      return { node: t.node, what: 'the tag push trigger', facts: { values: new Map([['github.event_name', 'push'], ['github.ref_type', 'tag']]), prefixes: TAG_REF } };
    }
  }
  return undefined;
}

const TAG_REF: ReadonlyMap<string, string> = new Map([['github.ref', 'refs/tags/']]);

/** False when an `if:` (or a toggle) is known to be off in the scenario `facts` describes. */
function onIn(text: string | undefined, facts: ContextFacts | undefined): boolean {
  if (!facts || text === undefined) return true;
  const expr = conditionExprText(text);
  return !expr || truthiness(expr, facts) !== false;
}

/** Why a job's cache can reach what is released: it publishes, or it builds what a publishing job publishes. */
interface ReleaseRole {
  publisher: Step;
  publisherJob: Job;
}

const uploadsArtifacts = (job: Job): boolean => job.steps.some((s) => usesAction(s, 'actions/upload-artifact'));

/**
 * Artifact names a job uploads, or (for a download) the names or pattern it asks for, as globs:
 * `${{ }}` parts and `*` match anything. A download without name or pattern takes every artifact.
 */
function artifactGlobs(job: Job, action: 'actions/upload-artifact' | 'actions/download-artifact'): string[] {
  const out: string[] = [];
  for (const s of job.steps) {
    if (!usesAction(s, action)) continue;
    const name = withText(s, 'name') ?? (action === 'actions/download-artifact' ? withText(s, 'pattern') : undefined);
    out.push((name ?? (action === 'actions/upload-artifact' ? 'artifact' : '*')).replace(/\$\{\{[^}]*\}\}/g, '*'));
  }
  return out;
}

const globRe = (g: string): RegExp => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

/** Can an artifact uploaded as glob `up` be what a download of glob `down` fetches? */
function globsMeet(up: string, down: string): boolean {
  if (!up.includes('*')) return globRe(down).test(up);
  if (!down.includes('*')) return globRe(up).test(down);
  const a = up.slice(0, up.indexOf('*')).toLowerCase();
  const b = down.slice(0, down.indexOf('*')).toLowerCase();
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * Jobs whose output is released: jobs with a publishing step (that runs in the scenario), and
 * the jobs they need, transitively, that upload an artifact the publishing job downloads. A test job that
 * only runs in the same workflow feeds nothing into the release.
 */
function releaseRoles(wf: Workflow, facts: ContextFacts | undefined): Map<string, ReleaseRole> {
  const roles = new Map<string, ReleaseRole>();
  const byId = new Map(wf.jobs.map((j) => [j.id, j]));
  for (const job of wf.jobs) {
    if (!onIn(job.if?.value as string | undefined, facts)) continue;
    const publisher = job.steps.find((s) => publishes(s) && onIn(s.if?.value as string | undefined, facts));
    if (!publisher) continue;
    roles.set(job.id, { publisher, publisherJob: job });
    const wanted = artifactGlobs(job, 'actions/download-artifact');
    if (wanted.length === 0) continue;
    const seen = new Set<string>([job.id]);
    const queue = [...job.needs];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const dep = byId.get(id);
      if (!dep) continue;
      const feeds = artifactGlobs(dep, 'actions/upload-artifact').some((up) => wanted.some((down) => globsMeet(up, down)));
      if (feeds && !roles.has(id)) roles.set(id, { publisher, publisherJob: job });
      queue.push(...dep.needs);
    }
  }
  return roles;
}

/** A job that could release something we do not recognise: it holds secrets, writes, or uploads build output. */
function mayRelease(wf: Workflow, job: Job): boolean {
  if (uploadsArtifacts(job)) return true;
  const writes = (p: Job['permissions']): boolean => p?.kind === 'write-all' || [...(p?.scopes.values() ?? [])].some((v) => v.level === 'write');
  if (writes(job.permissions ?? wf.permissions)) return true;
  const text = String(job.node.toString());
  return /\bsecrets\.(?!github_token\b)[A-Za-z_]/i.test(text);
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'cache-poisoning',
    title: 'Cache restored into a release build or written from pull request code',
    platform: 'github',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-9', 'CICD-SEC-4'],
    cwe: ['CWE-349', 'CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      const triggers = effectiveTriggers(model, wf);
      const release = releaseTrigger(wf);
      const workflowPublishes = wf.jobs.some((j) => j.steps.some(publishes));
      let events = new Set(['pull_request_target', 'workflow_run', 'issue_comment'].filter((t) => triggers.has(t)));
      if (events.has('workflow_run') && !workflowRunReachableByOutsiders(model, wf, (w) => effectiveTriggers(model, w))) {
        events = new Set([...events].filter((e) => e !== 'workflow_run'));
      }
      const roles = release || workflowPublishes ? releaseRoles(wf, release?.facts) : new Map<string, ReleaseRole>();
      for (const job of wf.jobs) {
        const reported = new Set<number>();
        if (events.size > 0) privilegedPrCache(wf, job, triggers, events, reported, report);
        const role = roles.get(job.id);
        // With no publishing step anywhere, a release-triggered job that could ship something
        // (secrets, write scopes, uploaded build output) is reported with low confidence.
        const unrecognised = !role && release && !workflowPublishes && mayRelease(wf, job);
        if (!role && !unrecognised) continue;
        if (!onIn(job.if?.value as string | undefined, release?.facts)) continue;
        for (const step of job.steps) {
          if (reported.has(step.index)) continue;
          const use = cacheUse(wf.source, step);
          if (!use?.restores) continue;
          if (!onIn(step.if?.value as string | undefined, release?.facts)) continue;
          if (use.how === 'expression' && use.toggle !== undefined && !onIn(use.toggle, release?.facts)) continue;
          const rel: RelatedLocation[] = [];
          if (release) rel.push(related(wf.source, release.node, `${release.what} marks this as a release workflow`));
          const publisher = role?.publisher;
          const own = role?.publisherJob === job;
          if (publisher) {
            rel.push(related(wf.source, publisher.run ?? publisher.uses?.node ?? publisher.node, own ? `step "${publisher.label}" publishes what this job builds` : `step "${publisher.label}" of job "${role.publisherJob.id}" publishes the artifacts this job uploads`));
          }
          let confidence: Confidence = use.how === 'explicit' ? 'medium' : 'low';
          if (release && publisher && use.how === 'explicit') confidence = 'high';
          if (unrecognised) confidence = 'low';
          const severity: Severity = publisher ? 'high' : 'medium';
          const what = !role ? 'release job' : own ? 'publishing job' : `job whose artifacts job "${role.publisherJob.id}" publishes`;
          report({
            message: `step "${step.label}" restores ${describe(step)} in a ${what}; a cache entry written by any workflow run on the default branch can end up in what is released`,
            location: loc(wf.source, use.node ?? step.uses?.node ?? step.node),
            related: rel,
            severity,
            confidence,
            route: `jobs.${job.id}.steps[${stepKey(step)}]:release`,
          });
        }
      }
    }
  },
};

type Report = Parameters<Rule<GithubModel>['check']>[1];

const lower = (c: Confidence): Confidence => (c === 'high' ? 'medium' : 'low');

function cacheUse(source: SourceText, step: Step): CacheUse | undefined {
  const name = actionName(step);
  const detect = name ? CACHE_ACTIONS[name] : undefined;
  return detect?.(step, actionVersion(step, source));
}

function describe(step: Step): string {
  const name = actionName(step) ?? 'the cache';
  return name.startsWith('actions/cache') ? 'an actions/cache entry' : `the cache of ${name}`;
}

/** In pull_request_target/workflow_run/issue_comment jobs, a cache saved after PR code was checked out is the PR's. */
function privilegedPrCache(wf: Workflow, job: Job, triggers: ReadonlySet<string>, events: ReadonlySet<string>, reported: Set<number>, report: Report): void {
  const flow = prCodeFlow(job.steps, jobRefScope(wf, job, triggers), defaultWorkingDirectory(wf, job));
  if (flow.checkouts.length === 0) return;
  const base = jobGate(wf, job, events);
  for (const step of job.steps) {
    const use = cacheUse(wf.source, step);
    if (!use?.saves) continue;
    // Most cache actions save in their post step, at the end of the job: a PR checkout anywhere
    // in the job feeds them. actions/cache/save and docker builds save on the spot.
    const name = actionName(step);
    const immediate = name === 'actions/cache/save' || name === 'docker/build-push-action';
    const co: PrCheckout | undefined = immediate ? [...flow.before[step.index]!.values()].find((c): c is PrCheckout => c !== null) : flow.checkouts[0];
    if (!co) continue;
    const gate = strongerGate(base, strongerGate(conditionGate(co.step.if, events), conditionGate(step.if, events)));
    if (gate.kind === 'trusted') continue;
    reported.add(step.index);
    const coWhere = co.kind === 'run' && co.step.run ? scriptLocation(wf.source, co.step.run, co.offset) : loc(wf.source, co.node ?? co.step.node);
    const rel: RelatedLocation[] = [{ ...coWhere, message: `step "${co.step.label}" checks out the pull request's code (${co.what})` }];
    if (gate.kind === 'maintainer' && gate.node) rel.push(related(wf.source, gate.node, 'runs only after a maintainer acts, but the pull request can change after that'));
    const via = [...events].sort().join('/');
    report({
      message: `step "${step.label}" saves ${describe(step)} after the pull request's code was checked out by step "${co.step.label}"; under ${via} the entry is stored for the default branch, where other workflows restore it`,
      location: loc(wf.source, use.node ?? step.uses?.node ?? step.node),
      related: rel,
      severity: gate.kind === 'maintainer' ? 'medium' : 'high',
      confidence: gate.kind === 'maintainer' || use.how !== 'explicit' ? lower(co.confidence) : co.confidence,
      route: `jobs.${job.id}.steps[${stepKey(step)}]:pr-cache`,
    });
  }
}
