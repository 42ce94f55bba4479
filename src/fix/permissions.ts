import { isMap, type YAMLMap } from 'yaml';
import type { Fix, FixIntent, TextEdit } from '../core/finding.js';
import type { GithubModel, Job, Step, Workflow } from '../platforms/github/model.js';
import { emptyNeeds, expandsGithubToken, jobNeeds, maxLevel, type Level, type Needs } from '../platforms/github/permissions.js';
import { commandWordLists } from '../shell/commands.js';
import { addEntries, eolOf, findPair, indentUnit, keyColumn, lineStartOf, startsLine } from './yaml-edit.js';

/**
 * Least-privilege `permissions:` for a workflow: `permissions: {}` at the top and, for each job
 * that inherits the workflow's token (or holds write-all), a block with exactly the scopes the
 * job is seen to use. Needs come from the shared table in platforms/github/permissions.ts, plus
 * two readers of API calls the table treats as "could be anything": `gh api` commands and
 * `actions/github-script` scripts. A job whose needs stay unknown (an action not in the table,
 * `gh api graphql`, a program handed the token) makes the whole fix unavailable: guessing would
 * break the workflow. Even when offered, the fix is `unsafe`: inference can miss a need.
 */

const REPO_AREAS: Array<[RegExp, string]> = [
  [/^(?:issues|labels|milestones|assignees)\b/, 'issues'],
  [/^pulls\b/, 'pull-requests'],
  [/^(?:contents|git|commits\/[^/]+\/(?!status)|branches|releases|tags|compare|readme|merges|dispatches)\b/, 'contents'],
  [/^(?:statuses|commits\/[^/]+\/status)/, 'statuses'],
  [/^(?:check-runs|check-suites)\b/, 'checks'],
  [/^actions\b/, 'actions'],
  [/^(?:deployments|environments)\b/, 'deployments'],
  [/^pages\b/, 'pages'],
  [/^code-scanning\b/, 'security-events'],
  [/^discussions\b/, 'discussions'],
  [/^commits\b/, 'contents'],
];

/** Scope of a REST path (`repos/{owner}/{repo}/issues/1/labels`), or undefined when not a repository API we know. */
export function scopeOfPath(path: string): string | undefined {
  const m = /^\/?repos\/[^/]+\/[^/]+\/(.+)$/.exec(path.replace(/^https:\/\/api\.github\.com/, ''));
  if (!m) return undefined;
  return REPO_AREAS.find(([re]) => re.test(m[1]!))?.[1];
}

const GH_API_VALUE_FLAGS = new Set(['-X', '--method', '-H', '--header', '-f', '--raw-field', '-F', '--field', '-q', '--jq', '-t', '--template', '--input', '--hostname', '--cache', '-p', '--preview']);

/** `gh api [flags] ENDPOINT [flags]`: scope and level, or undefined when unknown (graphql, non-repo APIs). */
export function ghApiNeeds(args: string[]): { scope: string; level: Level } | undefined {
  let endpoint: string | undefined;
  let method = 'GET';
  let hasFields = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.replace(/^["']|["']$/g, '');
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (GH_API_VALUE_FLAGS.has(flag)) {
      const v = inline ?? args[++i]?.replace(/^["']|["']$/g, '');
      if (flag === '-X' || flag === '--method') method = (v ?? 'GET').toUpperCase();
      if (['-f', '--raw-field', '-F', '--field', '--input'].includes(flag)) hasFields = true;
      continue;
    }
    if (a.startsWith('-')) continue;
    endpoint ??= a;
  }
  if (!endpoint || endpoint === 'graphql') return undefined;
  const scope = scopeOfPath(endpoint.replace(/\{owner\}\/\{repo\}/, 'o/r').replace(/^\/?repos\/\$\{?\w+\}?(?:\/\$\{?\w+\}?)?/, 'repos/o/r'));
  if (!scope) return undefined;
  if (hasFields && method === 'GET' && !args.some((x) => x === '-X' || x === '--method' || x.startsWith('--method='))) method = 'POST';
  return { scope, level: method === 'GET' || method === 'HEAD' ? 'read' : 'write' };
}

const OCTOKIT_NAMESPACES: Record<string, string | ((method: string) => string | undefined)> = {
  issues: 'issues',
  pulls: 'pull-requests',
  git: 'contents',
  actions: 'actions',
  checks: 'checks',
  reactions: 'issues',
  repos: (m) =>
    /status/i.test(m) ? 'statuses' : /deployment/i.test(m) ? 'deployments' : /pages/i.test(m) ? 'pages' : /collaborator|webhook|hook|secret|invitation|autolink|ruleset/i.test(m) ? undefined : 'contents',
  codeScanning: 'security-events',
};

/** `github.rest.issues.addLabels(...)` calls of a github-script; undefined when any call is unknown. */
export function githubScriptNeeds(script: string): Needs | undefined {
  const n = emptyNeeds();
  // GraphQL, raw requests and anything but `github.rest.*` can reach any scope.
  const other = script.replace(/\bgithub\.rest\.\w+\.\w+/g, '').replace(/\bgithub\.(?:paginate|log)\b/g, '');
  if (/\bgithub\s*(?:\.|\[)/.test(other)) return undefined;
  for (const m of script.matchAll(/\bgithub\.rest\.(\w+)\.(\w+)/g)) {
    const ns = OCTOKIT_NAMESPACES[m[1]!];
    const scope = typeof ns === 'function' ? ns(m[2]!) : ns;
    if (!scope) return undefined;
    const level: Level = /^(?:get|list|check|compare|download|search)/.test(m[2]!) ? 'read' : 'write';
    const cur = n.needed.get(scope);
    n.needed.set(scope, { level: cur ? maxLevel(cur.level, level) : level, why: `github.rest.${m[1]}.${m[2]}` });
  }
  return n;
}

function withStep(step: Step, run: string): Step {
  const scalar = Object.assign(Object.create(Object.getPrototypeOf(step.run) as object) as object, step.run, { value: run }) as NonNullable<Step['run']>;
  return { ...step, run: scalar };
}

/**
 * Needs of a step the shared table gives up on, read from its API calls; the step with those
 * calls removed is handed back so the table still judges the rest of it.
 */
function extraNeeds(step: Step): { needs: Needs; rest?: Step } | undefined {
  if (step.uses?.kind === 'repo' && `${step.uses.owner}/${step.uses.repo}`.toLowerCase() === 'actions/github-script' && !step.uses.path) {
    const token = step.with.find((w) => w.key.toLowerCase() === 'github-token');
    if (token?.text !== undefined && !expandsGithubToken(token.text)) return { needs: emptyNeeds() }; // another credential
    const script = step.with.find((w) => w.key === 'script')?.text ?? '';
    const needs = githubScriptNeeds(script);
    return needs ? { needs } : undefined;
  }
  if (typeof step.run?.value !== 'string') return undefined;
  const needs = emptyNeeds();
  const kept: string[] = [];
  for (const line of step.run.value.split('\n')) {
    const cmds = commandWordLists(line);
    const api = cmds.filter((w) => w[0] === 'gh' && w[1] === 'api');
    if (api.length === 0) {
      kept.push(line);
      continue;
    }
    // A line mixing gh api with other commands is judged only by its gh api calls when it has nothing else.
    if (api.length !== cmds.length) return undefined;
    for (const words of api) {
      const hit = ghApiNeeds(words.slice(2));
      if (!hit) return undefined;
      const cur = needs.needed.get(hit.scope);
      needs.needed.set(hit.scope, { level: cur ? maxLevel(cur.level, hit.level) : hit.level, why: `gh api ${words[2] ?? ''}` });
    }
    kept.push('');
  }
  return { needs, rest: withStep(step, kept.join('\n')) };
}

/** Scopes a job needs, or undefined when some of its needs cannot be known. */
export function inferJobScopes(model: GithubModel, wf: Workflow, job: Job): Map<string, Level> | undefined {
  let needs = jobNeeds(model, wf, job);
  if (needs.unknownAll && !job.uses) {
    const steps: Step[] = [];
    const extra = emptyNeeds();
    for (const step of job.steps) {
      const alone = jobNeeds(model, wf, { ...job, steps: [step], container: undefined, services: [] });
      if (!alone.unknownAll) {
        steps.push(step);
        continue;
      }
      const x = extraNeeds(step);
      if (!x) return undefined;
      for (const [s, v] of x.needs.needed) {
        const cur = extra.needed.get(s);
        extra.needed.set(s, { level: cur ? maxLevel(cur.level, v.level) : v.level, why: v.why });
      }
      if (x.rest) steps.push(x.rest);
    }
    needs = jobNeeds(model, wf, { ...job, steps });
    for (const [s, v] of extra.needed) {
      const cur = needs.needed.get(s);
      needs.needed.set(s, { level: cur ? maxLevel(cur.level, v.level) : v.level, why: v.why });
    }
  }
  if (needs.unknownAll) return undefined;
  const out = new Map<string, Level>();
  for (const [s, v] of [...needs.needed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (v.level !== 'none') out.set(s, v.level);
  return out;
}

/** Replaces a pair's value (from just after `key:` to the value's end) with `text`. */
function replaceValue(sourcePath: string, text: string, map: YAMLMap, key: string, replacement: (eol: string) => string): TextEdit | undefined {
  const pair = findPair(map, key);
  const keyEnd = pair?.key.range?.[1];
  const value = pair?.value;
  const valueEnd = value && 'range' in value && value.range ? value.range[1] : undefined;
  if (keyEnd === undefined || valueEnd === undefined) return undefined;
  const colon = text.indexOf(':', keyEnd);
  if (colon === -1 || colon >= valueEnd) return undefined;
  const eol = eolOf(text);
  const endsLine = text[valueEnd - 1] === '\n';
  let end = valueEnd;
  if (endsLine) end -= text[valueEnd - 2] === '\r' ? 2 : 1;
  return { file: sourcePath, start: colon + 1, end, replacement: replacement(eol) };
}

/**
 * The least-privilege rewrite of a workflow's permissions (see the module comment), or
 * undefined when a job's needs cannot be inferred or the file's shape is not editable.
 */
export function permissionsFix(model: GithubModel, wf: Workflow): Fix | undefined {
  const text = wf.source.text;
  const path = wf.source.path;
  if (wf.root.flow) return undefined;
  const unit = indentUnit(text);
  const edits: TextEdit[] = [];
  const intents: FixIntent[] = [];
  const granted: string[] = [];
  for (const job of wf.jobs) {
    if (job.permissions && job.permissions.kind !== 'write-all') continue;
    const scopes = inferJobScopes(model, wf, job);
    if (!scopes) return undefined;
    if (job.node.flow) return undefined;
    const entries = [...scopes].map(([key, value]) => ({ key, value }));
    if (entries.length > 0) granted.push(`${job.id}: ${entries.map((e) => `${e.key}: ${e.value}`).join(', ')}`);
    const jobAt = job.node.range?.[0];
    if (jobAt === undefined) return undefined;
    if (job.permissions?.kind === 'write-all' || entries.length > 0) intents.push({ at: jobAt, key: 'permissions', value: Object.fromEntries(entries.map((e) => [e.key, e.value])) });
    if (job.permissions?.kind === 'write-all') {
      const col = keyColumn(text, job.node) ?? 0;
      const edit = replaceValue(path, text, job.node, 'permissions', (eol) =>
        entries.length === 0 ? ' {}' : entries.map((e) => `${eol}${' '.repeat(col + unit)}${e.key}: ${e.value}`).join(''),
      );
      if (!edit) return undefined;
      edits.push(edit);
    } else if (entries.length > 0) {
      const edit = addEntries(wf.source, job.node, 'permissions', entries, job.uses ? 'uses' : 'steps');
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  // Top level: `permissions: {}` replaces whatever was there, or goes right before `jobs:`.
  const rootAt = wf.root.range?.[0];
  if (rootAt === undefined) return undefined;
  if (!wf.permissions || wf.permissions.kind !== 'none') intents.push({ at: rootAt, key: 'permissions', value: {} });
  if (wf.permissions) {
    if (wf.permissions.kind !== 'none') {
      const edit = replaceValue(path, text, wf.root, 'permissions', () => ' {}');
      if (!edit) return undefined;
      edits.push(edit);
    }
  } else {
    const jobsKey = findPair(wf.root, 'jobs')?.key.range?.[0];
    if (jobsKey === undefined || !startsLine(text, jobsKey) || !isMap(wf.root)) return undefined;
    const at = lineStartOf(text, jobsKey);
    const eol = eolOf(text);
    const blankBefore = at >= 2 && /\n\r?\n$/.test(text.slice(0, at));
    edits.push({ file: path, start: at, end: at, replacement: `${' '.repeat(keyColumn(text, wf.root) ?? 0)}permissions: {}${eol}${blankBefore ? eol : ''}` });
  }
  if (edits.length === 0) return undefined;
  return {
    description: `least-privilege permissions: {} at the top${granted.length > 0 ? `; ${granted.join('; ')}` : ''} (inferred from the steps; check before merging)`,
    safety: 'unsafe',
    edits: edits.sort((a, b) => a.start - b.start),
    intents,
  };
}
