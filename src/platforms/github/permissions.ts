/**
 * GITHUB_TOKEN permissions: what a job effectively holds, what it can be shown to need, and the
 * `if:` gates that narrow who can start it. Shared by the permission and runner audits.
 *
 * Everything here is deliberately one-sided: "needed" means a step we recognise uses the scope;
 * "unknown" means some step could use it and we cannot tell. Callers only claim a scope is not
 * needed when it is neither needed nor unknown.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { contextPath, walkExpr, type Expr } from './expressions/ast.js';
import { findTemplates } from './expressions/extract.js';
import { parseExpression } from './expressions/parser.js';
import { normalizeLocalPath } from './callers.js';
import { commandWordLists } from '../../shell/commands.js';
import type { Entry, GithubModel, Job, Permissions, Step, UsesRef, Workflow } from './model.js';

export type Level = 'none' | 'read' | 'write';

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

export function maxLevel(a: Level, b: Level): Level {
  return RANK[a] >= RANK[b] ? a : b;
}

export function minLevel(a: Level, b: Level): Level {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Every GITHUB_TOKEN scope (`metadata` is always read and cannot be set). */
export const TOKEN_SCOPES = [
  'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models',
  'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses',
] as const;

// ---------------------------------------------------------------------------------------------
// Effective permissions
// ---------------------------------------------------------------------------------------------

export interface EffectivePermissions {
  /**
   * `job`: the job's own block (workflow-level permissions are then ignored entirely);
   * `workflow`: inherited from the top-level block; `default`: neither is set, so the job gets the
   * repository's default token (read-write on older repositories and organisations, unknowable offline).
   */
  origin: 'job' | 'workflow' | 'default';
  block?: Permissions;
}

export function effectivePermissions(wf: Workflow, job: Job): EffectivePermissions {
  if (job.permissions) return { origin: 'job', block: job.permissions };
  if (wf.permissions) return { origin: 'workflow', block: wf.permissions };
  return { origin: 'default' };
}

/** Level a block grants for a scope; undefined when the block is invalid (GitHub rejects it). */
export function grantedLevel(block: Permissions, scope: string): Level | undefined {
  switch (block.kind) {
    case 'write-all':
      return 'write';
    case 'read-all':
      return scope === 'id-token' ? 'none' : 'read';
    case 'none':
      return 'none';
    case 'scopes':
      return block.scopes.get(scope)?.level ?? 'none';
    default:
      return undefined;
  }
}

/**
 * What a reusable workflow's job actually gets: the callee can only lower what its caller job
 * holds (`min` per scope). `callerLevel` undefined means the caller has the repository default.
 */
export function cappedLevel(calleeLevel: Level, callerLevel: Level | undefined): Level {
  return callerLevel === undefined ? calleeLevel : minLevel(calleeLevel, callerLevel);
}

// ---------------------------------------------------------------------------------------------
// Job gates (`if:`)
// ---------------------------------------------------------------------------------------------

export interface JobGate {
  /** Triggers that can still run the job once `github.event_name` conditions are applied. */
  triggers: ReadonlySet<string>;
  /** Pull-request-like events from forks cannot run it (`head.repo.full_name == github.repository`...). */
  forksExcluded: boolean;
  /** Only a trusted actor can run it (author_association, github.actor, a maintainer-applied label). */
  trustedActor: boolean;
}

/** Parses an `if:` value, which may or may not be wrapped in `${{ }}`. */
export function parseCondition(s: Scalar | undefined): Expr | undefined {
  if (!s || s.value === null || s.value === undefined) return undefined;
  const text = String(s.value).trim();
  const templates = findTemplates(text);
  if (templates.length === 1 && templates[0]!.start === 0 && templates[0]!.end === text.length) return templates[0]!.ast;
  if (templates.length > 0) return undefined; // mixed text: always truthy, not a gate
  try {
    return parseExpression(text);
  } catch {
    return undefined;
  }
}

function conjuncts(e: Expr): Expr[] {
  return e.type === 'logical' && e.op === '&&' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

const path = (e: Expr): string | undefined => contextPath(e)?.join('.');
const literalString = (e: Expr): string | undefined => (e.type === 'literal' && typeof e.value === 'string' ? e.value : undefined);

const HEAD_REPO = new Set([
  'github.event.pull_request.head.repo.full_name',
  'github.event.workflow_run.head_repository.full_name',
  'github.event.workflow_run.head_repository.owner.login',
  'github.event.pull_request.head.repo.owner.login',
]);
const BASE_REPO = new Set(['github.repository', 'github.repository_owner', 'github.event.repository.full_name', 'github.event.pull_request.base.repo.full_name']);
const FORK_FLAGS = new Set(['github.event.pull_request.head.repo.fork', 'github.event.workflow_run.head_repository.fork']);
const TRUSTED_ASSOCIATIONS = new Set(['owner', 'member', 'collaborator']);
const ACTOR_PATHS = new Set(['github.actor', 'github.triggering_actor', 'github.event.sender.login', 'github.event.comment.user.login', 'github.event.pull_request.user.login', 'github.event.issue.user.login']);

/** `fromJSON('["a","b"]')` or `'a,b'`: the literal strings of a list argument to contains(). */
function literalList(e: Expr): string[] | undefined {
  const s = literalString(e);
  if (s !== undefined) return [s];
  if (e.type === 'call' && e.callee === 'fromjson' && e.args.length === 1) {
    const text = literalString(e.args[0]!);
    if (text === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(text);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Applies a job's `if:` to the workflow's triggers. Only top-level `&&` conjuncts are gates. */
export function jobGate(job: Job, triggers: ReadonlySet<string>): JobGate {
  const out = new Set(triggers);
  let forksExcluded = false;
  let trustedActor = false;
  const cond = parseCondition(job.if);
  for (const c of cond ? conjuncts(cond) : []) {
    if (c.type === 'binary' && (c.op === '==' || c.op === '!=')) {
      const [l, r] = [path(c.left), path(c.right)];
      const lit = literalString(c.right) ?? literalString(c.left);
      const ctx = l ?? r;
      if (ctx === 'github.event_name' && lit !== undefined) {
        if (c.op === '==') for (const t of [...out]) { if (t !== lit) out.delete(t); }
        else out.delete(lit);
        continue;
      }
      if (c.op === '==' && l && r && ((HEAD_REPO.has(l) && BASE_REPO.has(r)) || (HEAD_REPO.has(r) && BASE_REPO.has(l)))) forksExcluded = true;
      const other = c.left.type === 'literal' ? c.left.value : c.right.type === 'literal' ? c.right.value : undefined;
      if (ctx && FORK_FLAGS.has(ctx) && ((c.op === '==' && other === false) || (c.op === '!=' && other === true))) forksExcluded = true;
      if (c.op === '==' && ctx?.endsWith('.author_association') && lit && TRUSTED_ASSOCIATIONS.has(lit.toLowerCase())) trustedActor = true;
      if (c.op === '==' && ctx && ACTOR_PATHS.has(ctx) && lit !== undefined) trustedActor = true;
    } else if (c.type === 'unary' && FORK_FLAGS.has(path(c.operand) ?? '')) {
      forksExcluded = true;
    } else if (c.type === 'call' && c.callee === 'contains' && c.args.length === 2) {
      const [hay, needle] = c.args as [Expr, Expr];
      const np = path(needle);
      const list = literalList(hay);
      if (np === 'github.event_name' && list) {
        for (const t of [...out]) if (!list.includes(t)) out.delete(t);
      } else if (np?.endsWith('.author_association') && list && list.length > 0 && list.every((a) => TRUSTED_ASSOCIATIONS.has(a.toLowerCase()))) {
        trustedActor = true;
      } else if (np && ACTOR_PATHS.has(np) && list) {
        trustedActor = true;
      } else if (/^github\.event\.pull_request\.labels\.\*\.name$/.test(path(hay) ?? '') && literalString(needle) !== undefined) {
        trustedActor = true; // a label only people with triage access can apply ("safe to test")
      }
    }
  }
  return { triggers: out, forksExcluded, trustedActor };
}

/** Pull-request-like events whose code or data comes from a fork. */
export const FORK_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'workflow_run']);

/** Triggers in `candidates` that an outsider can still cause once the gate is applied. */
export function reachableBy(gate: JobGate, candidates: ReadonlySet<string>): string[] {
  if (gate.trustedActor) return [];
  return [...gate.triggers].filter((t) => candidates.has(t) && !(gate.forksExcluded && FORK_EVENTS.has(t))).sort();
}

// ---------------------------------------------------------------------------------------------
// What jobs need
// ---------------------------------------------------------------------------------------------

export interface Needs {
  /** Scopes a recognised step uses, with the level and the first reason (for messages). */
  needed: Map<string, { level: Level; why: string }>;
  /** Scopes some step may use without us being able to tell. */
  unknown: Set<string>;
  /** Every scope is unknown (an unrecognised action, `actions/github-script`, `gh api`...). */
  unknownAll: boolean;
}

export function emptyNeeds(): Needs {
  return { needed: new Map(), unknown: new Set(), unknownAll: false };
}

function need(n: Needs, scope: string, level: Level, why: string): void {
  const cur = n.needed.get(scope);
  if (!cur || RANK[level] > RANK[cur.level]) n.needed.set(scope, { level, why });
}

function merge(into: Needs, from: Needs): void {
  for (const [s, v] of from.needed) need(into, s, v.level, v.why);
  for (const s of from.unknown) into.unknown.add(s);
  if (from.unknownAll) into.unknownAll = true;
}

/** True when the job may use `scope` at `level` or above (known or unknown). */
export function mayNeed(n: Needs, scope: string, level: Level = 'write'): boolean {
  if (n.unknownAll || n.unknown.has(scope)) return true;
  const v = n.needed.get(scope);
  return v !== undefined && RANK[v.level] >= RANK[level];
}

type ScopeMap = Record<string, Level>;
type Need = ScopeMap | ((withs: Map<string, string>) => ScopeMap);

const R: Level = 'read';
const W: Level = 'write';

/**
 * Scopes that popular actions need from GITHUB_TOKEN (owner/repo[/path], lower-case). Actions not
 * listed may use the token for anything. An empty map: the action does not use the token's scopes.
 * Sources: each action's README "permissions" section.
 */
export const ACTION_NEEDS: Record<string, Need> = {
  'actions/checkout': { contents: R },
  'actions/setup-node': {},
  'actions/setup-python': {},
  'actions/setup-go': {},
  'actions/setup-java': {},
  'actions/setup-dotnet': {},
  'actions/cache': {},
  'actions/cache/restore': {},
  'actions/cache/save': {},
  'actions/upload-artifact': {},
  'actions/download-artifact': (w): ScopeMap => (w.has('run-id') || w.has('github-token') ? { actions: R } : {}),
  'actions/upload-pages-artifact': {},
  'actions/configure-pages': { pages: R },
  'actions/deploy-pages': { pages: W, 'id-token': W },
  'actions/labeler': { contents: R, 'pull-requests': W },
  // `delete-branch: true` deletes the head branches of closed pull requests: contents: write.
  'actions/stale': (w): ScopeMap => ({ issues: W, 'pull-requests': W, actions: W, ...(w.get('delete-branch') === 'true' ? { contents: W } : {}) }),
  'actions/first-interaction': { issues: W, 'pull-requests': W },
  'actions/dependency-review-action': (w): ScopeMap => (w.has('comment-summary-in-pr') ? { contents: R, 'pull-requests': W } : { contents: R }),
  'actions/attest-build-provenance': { 'id-token': W, attestations: W, contents: R },
  'actions/attest-sbom': { 'id-token': W, attestations: W, contents: R },
  'actions/attest': { 'id-token': W, attestations: W, contents: R },
  'actions/create-release': { contents: W },
  'actions/upload-release-asset': { contents: W },
  'softprops/action-gh-release': { contents: W },
  'ncipollo/release-action': { contents: W },
  'peter-evans/create-pull-request': { contents: W, 'pull-requests': W },
  'peter-evans/create-or-update-comment': { issues: W, 'pull-requests': W },
  'peter-evans/find-comment': { issues: R, 'pull-requests': R },
  'marocchino/sticky-pull-request-comment': { 'pull-requests': W },
  'thollander/actions-comment-pull-request': { 'pull-requests': W },
  'stefanzweifel/git-auto-commit-action': { contents: W },
  'endbug/add-and-commit': { contents: W },
  'ad-m/github-push-action': { contents: W },
  'peaceiris/actions-gh-pages': { contents: W },
  'jamesives/github-pages-deploy-action': { contents: W },
  'googleapis/release-please-action': { contents: W, 'pull-requests': W, issues: W },
  'google-github-actions/release-please-action': { contents: W, 'pull-requests': W, issues: W },
  'release-drafter/release-drafter': { contents: W, 'pull-requests': W },
  'changesets/action': { contents: W, 'pull-requests': W },
  'dependabot/fetch-metadata': { 'pull-requests': R },
  // `wip: true` marks the PR with a commit status.
  'amannn/action-semantic-pull-request': (w): ScopeMap => (w.get('wip') === 'true' ? { 'pull-requests': R, statuses: W } : { 'pull-requests': R }),
  'dorny/test-reporter': { checks: W, contents: R, actions: R },
  'enricomi/publish-unit-test-result-action': { checks: W, 'pull-requests': W, issues: R, contents: R },
  'golangci/golangci-lint-action': { contents: R, 'pull-requests': R },
  'github/codeql-action/init': { 'security-events': W, actions: R, contents: R },
  'github/codeql-action/autobuild': {},
  'github/codeql-action/analyze': { 'security-events': W, actions: R, contents: R },
  'github/codeql-action/upload-sarif': { 'security-events': W, actions: R, contents: R },
  'ossf/scorecard-action': (w): ScopeMap => (w.get('publish_results') === 'true' ? { 'security-events': W, 'id-token': W, contents: R, actions: R } : { contents: R, actions: R }),
  'docker/setup-buildx-action': {},
  'docker/setup-qemu-action': {},
  'docker/metadata-action': {},
  // Pushing to ghcr.io is decided per job (login + push), see ghcrNeeds().
  'docker/build-push-action': {},
  'docker/login-action': {},
  'aws-actions/configure-aws-credentials': (w): ScopeMap => (w.has('aws-access-key-id') ? {} : { 'id-token': W }),
  'google-github-actions/auth': (w): ScopeMap => (w.has('credentials_json') ? {} : { 'id-token': W }),
  'azure/login': (w): ScopeMap => (w.has('creds') ? {} : { 'id-token': W }),
  'pypa/gh-action-pypi-publish': (w): ScopeMap => (w.has('password') ? {} : { 'id-token': W }),
  'codecov/codecov-action': (w): ScopeMap => (w.get('use_oidc') === 'true' ? { 'id-token': W } : {}),
  'hashicorp/vault-action': (w): ScopeMap => ((w.get('method') ?? '').toLowerCase() === 'jwt' ? { 'id-token': W } : {}),
  'sigstore/cosign-installer': {},
  'pnpm/action-setup': {},
  'oven-sh/setup-bun': {},
  'dtolnay/rust-toolchain': {},
  'swatinem/rust-cache': {},
  'astral-sh/setup-uv': {},
  'ruby/setup-ruby': {},
  'hashicorp/setup-terraform': {},
  'azure/setup-helm': {},
  'azure/setup-kubectl': {},
  'shivammathur/setup-php': {},
  'denoland/setup-deno': {},
  'slackapi/slack-github-action': {},
};

/** Inputs through which an action takes a token instead of the default `github.token`. */
const TOKEN_INPUTS = new Set(['token', 'github-token', 'github_token', 'repo-token', 'repo_token', 'githubtoken']);

/** True when a string expands GITHUB_TOKEN (`github.token` or `secrets.GITHUB_TOKEN`). */
export function expandsGithubToken(text: string | undefined, inputsMayBeToken = false): boolean {
  if (!text || !text.includes('${{')) return false;
  for (const t of findTemplates(text)) {
    if (!t.ast) {
      if (/github\.token|secrets\.github_token/i.test(t.inner)) return true;
      continue;
    }
    let hit = false;
    walkExpr(t.ast, (n) => {
      const p = path(n);
      if (p === 'github.token' || p === 'secrets.github_token' || (inputsMayBeToken && p?.startsWith('inputs.'))) hit = true;
    });
    if (hit) return true;
  }
  return false;
}

function actionKey(uses: UsesRef & { kind: 'repo' }): string {
  return (uses.path ? `${uses.owner}/${uses.repo}/${uses.path}` : `${uses.owner}/${uses.repo}`).toLowerCase();
}

/** Builtins and tools that never call the GitHub API with an env token. */
const INERT_COMMANDS = new Set([
  'echo', 'printf', 'cd', 'pwd', 'ls', 'cat', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'sed', 'awk', 'cut', 'tr', 'sort', 'uniq', 'wc', 'tee',
  'touch', 'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'chmod', 'chown', 'test', '[', '[[', ']]', 'true', 'false', 'exit', 'set', 'unset', 'export',
  'local', 'read', 'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'shift', 'return', 'sleep', 'date',
  'basename', 'dirname', 'realpath', 'find', 'jq', 'yq', 'base64', 'sha256sum', 'sha1sum', 'md5sum', 'tar', 'zip', 'unzip', 'gzip', 'gunzip',
  'diff', 'cmp', 'stat', 'du', 'df', 'whoami', 'uname', 'hostname', 'which', 'type', 'command', '{', '}', '(', ')', 'git', 'docker', 'podman',
]);

/** Words in a script hinting that a tool may mint an OIDC token on its own. */
const OIDC_HINT = /ACTIONS_ID_TOKEN|\boidc\b|\bid-token\b|\b(?:publish|deploy|release|sign|attest|terraform|tofu|pulumi|cosign|sigstore|gitsign|goreleaser|vault|gcloud|az|aws|kubectl|helm)\b/i;

const GH_NEEDS: Array<[RegExp, ScopeMap]> = [
  [/^release (?:view|list|download)\b/, { contents: R }],
  [/^release\b/, { contents: W }],
  [/^pr (?:view|list|diff|checks|status|checkout)\b/, { 'pull-requests': R, contents: R }],
  [/^pr merge\b/, { 'pull-requests': W, contents: W }],
  [/^pr\b/, { 'pull-requests': W }],
  [/^issue (?:view|list|status)\b/, { issues: R }],
  [/^issue\b/, { issues: W }],
  [/^label (?:list)\b/, { issues: R }],
  [/^label\b/, { issues: W }],
  [/^run (?:view|list|download|watch)\b/, { actions: R }],
  [/^run\b/, { actions: W }],
  [/^workflow (?:view|list)\b/, { actions: R }],
  [/^workflow\b/, { actions: W }],
  [/^cache (?:list)\b/, { actions: R }],
  [/^cache\b/, { actions: W }],
  [/^repo (?:view|clone)\b/, { contents: R }],
];

function runNeeds(step: Step, tokenExposed: boolean, label: string): Needs {
  const n = emptyNeeds();
  const script = typeof step.run?.value === 'string' ? step.run.value : '';
  if (/ACTIONS_ID_TOKEN_REQUEST/.test(script)) need(n, 'id-token', W, `step "${label}" requests an OIDC token`);
  else if (OIDC_HINT.test(script)) n.unknown.add('id-token');
  for (const words of commandWordLists(script)) {
    const [cmd, ...args] = words as [string, ...string[]];
    if (cmd === 'git' && args.includes('push')) need(n, 'contents', W, `"git push" in step "${label}"`);
    if (!tokenExposed) continue;
    if (cmd === 'gh') {
      const sub = args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
      const hit = GH_NEEDS.find(([re]) => re.test(sub));
      if (!hit) n.unknownAll = true; // gh api, gh secret...: anything
      else for (const [s, l] of Object.entries(hit[1])) need(n, s, l, `"gh ${sub}" in step "${label}"`);
    } else if (!INERT_COMMANDS.has(cmd)) {
      n.unknownAll = true; // the token is in reach of a program we do not know
    }
  }
  return n;
}

function withMap(entries: Entry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.key.toLowerCase(), e.text ?? '']));
}

interface NeedsContext {
  model: GithubModel;
  depth: number;
  /** Inside a composite action whose inputs may carry the token. */
  inputsMayBeToken: boolean;
  /** env levels visible to the step (job, workflow), outermost last. */
  env: Entry[][];
}

function stepNeeds(step: Step, ctx: NeedsContext): Needs {
  const n = emptyNeeds();
  const label = step.label;
  if (step.run) {
    const envs = [step.env, ...ctx.env];
    const exposed =
      expandsGithubToken(String(step.run.value ?? ''), ctx.inputsMayBeToken) ||
      envs.some((level) => level.some((e) => expandsGithubToken(e.text, ctx.inputsMayBeToken)));
    merge(n, runNeeds(step, exposed, label));
    return n;
  }
  const uses = step.uses;
  if (!uses) return n;
  if (uses.kind === 'repo') {
    const key = actionKey(uses);
    const entry = ACTION_NEEDS[key];
    // A github-script step given its own token (a PAT, an app token) calls the API with that,
    // not with the job's GITHUB_TOKEN; only core.getIDToken() still needs the job's id-token.
    if (key === 'actions/github-script') {
      const own = step.with.find((w) => w.key.toLowerCase() === 'github-token');
      if (own?.text !== undefined && !expandsGithubToken(own.text, ctx.inputsMayBeToken)) {
        if (/getIDToken/.test(withMap(step.with).get('script') ?? '')) need(n, 'id-token', W, `core.getIDToken() in step "${label}"`);
        return n;
      }
    }
    if (entry === undefined) {
      n.unknownAll = true;
      return n;
    }
    const withs = withMap(step.with);
    // A token input given another credential (a PAT, an app token) keeps GITHUB_TOKEN out of it.
    const tokenInput = step.with.find((w) => TOKEN_INPUTS.has(w.key.toLowerCase()));
    if (tokenInput && tokenInput.text !== undefined && !expandsGithubToken(tokenInput.text, ctx.inputsMayBeToken)) {
      const scopes = typeof entry === 'function' ? entry(withs) : entry;
      if (scopes['id-token']) need(n, 'id-token', scopes['id-token'], `${key} in step "${label}"`);
      return n;
    }
    const scopes = typeof entry === 'function' ? entry(withs) : entry;
    for (const [s, l] of Object.entries(scopes)) need(n, s, l, `${key} in step "${label}"`);
    return n;
  }
  if (uses.kind === 'local' && ctx.depth < 4) {
    const action = ctx.model.actionByDir.get(normalizeLocalPath(uses.path));
    if (action?.using === 'composite') {
      const passesToken = step.with.some((w) => expandsGithubToken(w.text, ctx.inputsMayBeToken)) || action.inputs.some((i) => expandsGithubToken(i.default));
      return stepsNeeds(action.steps, { ...ctx, depth: ctx.depth + 1, inputsMayBeToken: passesToken, env: [step.env, ...ctx.env] });
    }
  }
  n.unknownAll = true; // docker actions, node actions we do not have, unresolvable paths
  return n;
}

/** ghcr.io login plus a push in the same job: `packages: write`; login alone: read. */
function ghcrNeeds(steps: Step[], env: Entry[][]): Needs {
  const n = emptyNeeds();
  const resolveEnv = (text: string): string =>
    text.replace(/\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (m, name: string) => {
      for (const level of env) {
        const e = level.find((x) => x.key === name);
        if (e?.text !== undefined) return e.text;
      }
      return m;
    });
  let login: string | undefined;
  let unknownRegistry = false;
  let push = false;
  for (const step of steps) {
    if (step.uses?.kind === 'repo' && actionKey(step.uses) === 'docker/login-action') {
      const reg = resolveEnv(withMap(step.with).get('registry') ?? '');
      if (/(^|\/\/)ghcr\.io\b/i.test(reg)) login = `docker/login-action to ghcr.io in step "${step.label}"`;
      else if (reg.includes('${{')) unknownRegistry = true;
    }
    if (step.uses?.kind === 'repo' && actionKey(step.uses) === 'docker/build-push-action') {
      const p = withMap(step.with).get('push');
      if (p !== undefined && p !== 'false') push = true;
    }
    const script = typeof step.run?.value === 'string' ? step.run.value : '';
    if (/\b(?:docker|podman)\s+login\b[^\n]*\bghcr\.io\b/i.test(script)) login = `docker login ghcr.io in step "${step.label}"`;
    if (/\b(?:docker|podman)\s+(?:image\s+)?push\b|\s--push\b/.test(script)) push = true;
  }
  if (login) need(n, 'packages', push ? W : R, login);
  else if (unknownRegistry) n.unknown.add('packages');
  return n;
}

function stepsNeeds(steps: Step[], ctx: NeedsContext): Needs {
  const n = emptyNeeds();
  for (const step of steps) merge(n, stepNeeds(step, ctx));
  merge(n, ghcrNeeds(steps, [[], ...ctx.env]));
  return n;
}

/** Declared levels of a block as needs (a callee that declares a scope must be granted it). */
function declaredNeeds(block: Permissions, why: string): Needs {
  const n = emptyNeeds();
  if (block.kind === 'write-all' || block.kind === 'read-all') {
    for (const s of TOKEN_SCOPES) need(n, s, grantedLevel(block, s)!, why);
  } else if (block.kind === 'scopes') {
    for (const [s, v] of block.scopes) need(n, s, v.level, why);
  } else if (block.kind === 'invalid') n.unknownAll = true;
  return n;
}

/** Scopes a job uses, as far as can be known without running it. */
export function jobNeeds(model: GithubModel, wf: Workflow, job: Job, depth = 0): Needs {
  if (job.uses) {
    const n = emptyNeeds();
    const callee = job.uses.kind === 'local' && depth < 4 ? findWorkflow(model, job.uses.path) : undefined;
    if (!callee) {
      n.unknownAll = true;
      return n;
    }
    for (const cj of callee.jobs) {
      const eff = effectivePermissions(callee, cj);
      if (eff.block) merge(n, declaredNeeds(eff.block, `reusable workflow ${callee.source.path} asks for it`));
      else merge(n, jobNeeds(model, callee, cj, depth + 1));
    }
    return n;
  }
  const n = stepsNeeds(job.steps, { model, depth, inputsMayBeToken: false, env: [job.env, wf.env] });
  for (const c of [job.container, ...job.services.map((s) => s.container)]) {
    const pw = c?.credentials?.password;
    if (pw && isScalar(pw) && expandsGithubToken(String(pw.value ?? ''))) need(n, 'packages', R, `a container image pulled with GITHUB_TOKEN in job "${job.id}"`);
  }
  return n;
}

export function findWorkflow(model: GithubModel, usesPath: string): Workflow | undefined {
  const want = normalizeLocalPath(usesPath);
  for (const [p, wf] of model.workflowByPath) if (normalizeLocalPath(p) === want) return wf;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Expression sites: every `${{ }}` of a workflow with the job it belongs to.
// ---------------------------------------------------------------------------------------------

export interface ScalarSite {
  scalar: Scalar;
  /** Stable key path (`jobs.build.steps[checkout].with.token`); sequence items by id/name when they have one. */
  route: string;
  /** Job id when the scalar is inside `jobs.<id>`. */
  jobId?: string;
  /** The scalar is an `if:` value: a bare expression even without `${{ }}`. */
  isCondition: boolean;
}

/** Every string scalar under a node, iteratively (aliases are not followed: their anchor is visited). */
export function scalarSites(root: Node): ScalarSite[] {
  // Several rules walk the same document; the walk is pure, so it is done once per root.
  const cached = scalarSiteCache.get(root);
  if (cached) return cached;
  const out = scalarSitesUncached(root);
  scalarSiteCache.set(root, out);
  return out;
}

const scalarSiteCache = new WeakMap<Node, ScalarSite[]>();

function scalarSitesUncached(root: Node): ScalarSite[] {
  const out: ScalarSite[] = [];
  // The route is kept joined (`route`, `len` segments, the last starting at `lastAt`) with its first
  // two segments beside it, instead of an array copied and joined at every node.
  interface Frame { node: unknown; route: string; len: number; lastAt: number; r0?: string; r1?: string; key?: string; depth: number }
  const stack: Frame[] = [{ node: root, route: '', len: 0, lastAt: 0, depth: 0 }];
  while (stack.length > 0) {
    const { node, route, len, lastAt, r0, r1, key, depth } = stack.pop()!;
    if (depth > 64) continue;
    if (isScalar(node)) {
      if (typeof node.value === 'string') {
        out.push({ scalar: node, route, jobId: r0 === 'jobs' ? r1 : undefined, isCondition: key === 'if' });
      }
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : '?';
        const at = len === 0 ? 0 : route.length + 1;
        stack.push({
          node: pair.value,
          route: len === 0 ? k : `${route}.${k}`,
          len: len + 1,
          lastAt: at,
          r0: len === 0 ? k : r0,
          r1: len === 1 ? k : r1,
          key: k,
          depth: depth + 1,
        });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        let name = String(i);
        if (isMap(item)) {
          const id = item.get('id') ?? item.get('name');
          if (typeof id === 'string') name = id;
        }
        // The item renames the last segment: `last[name]` (a root sequence starts a first segment).
        const last = len === 0 ? `[${name}]` : `${route.slice(lastAt)}[${name}]`;
        const n = len === 0 ? 1 : len;
        stack.push({ node: item, route: `${route}[${name}]`, len: n, lastAt, r0: n === 1 ? last : r0, r1: n === 2 ? last : r1, depth: depth + 1 });
      });
    }
  }
  return out.sort((a, b) => (a.scalar.range?.[0] ?? 0) - (b.scalar.range?.[0] ?? 0));
}
