import type { Node } from 'yaml';
import type { RelatedLocation } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import { PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import type { GithubModel, Job, Permissions, Workflow } from '../../../platforms/github/model.js';
import { effectivePermissions, grantedLevel, jobGate, jobNeeds, mayNeed, reachableBy, type Level, type Needs } from '../../../platforms/github/permissions.js';
import { loc, related } from '../util.js';
import { permissionsFix } from '../../../fix/permissions.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'excessive-permissions',
    title: 'GITHUB_TOKEN has more permissions than the jobs need',
    platform: 'github',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-2', 'CICD-SEC-5'],
    cwe: ['CWE-250', 'CWE-732'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) checkWorkflow(model, wf, report);
  },
};

type Report = (f: RawFinding) => void;

/** Triggers of the workflow itself. A reusable workflow's callers are audited where they grant the token. */
function ownTriggers(wf: Workflow): ReadonlySet<string> {
  return wf.triggerNames;
}

function calledOnly(wf: Workflow): boolean {
  return wf.triggerNames.size > 0 && [...wf.triggerNames].every((t) => t === 'workflow_call');
}

function checkWorkflow(model: GithubModel, wf: Workflow, report: Report): void {
  const src = wf.source;
  const inheritors = wf.jobs.filter((j) => !j.permissions);
  const needsCache = new Map<Job, Needs>();
  const needsOf = (j: Job): Needs => {
    let n = needsCache.get(j);
    if (!n) needsCache.set(j, (n = jobNeeds(model, wf, j)));
    return n;
  };
  const capped = calledOnly(wf);
  // One unsafe rewrite of the whole workflow's permissions, shared by the findings it resolves;
  // computed on the first finding only (most workflows have none, and the rewrite is costly).
  let permFixDone = false;
  let permFixCache: ReturnType<typeof permissionsFix>;
  const permFix = (): ReturnType<typeof permissionsFix> => {
    if (!permFixDone) [permFixDone, permFixCache] = [true, permissionsFix(model, wf)];
    return permFixCache;
  };
  const cappedNote = capped ? ' (capped by what each caller grants)' : '';

  // 1. write-all
  if (wf.permissions?.kind === 'write-all' && inheritors.length > 0) {
    report({
      message: `workflow-level "permissions: write-all" gives ${jobList(inheritors)} a token that can write to every scope${cappedNote}; list only the scopes ${inheritors.length === 1 ? 'it uses' : 'they use'}`,
      location: loc(src, wf.permissions.node),
      severity: capped ? 'medium' : 'high',
      confidence: 'high',
      related: inheritors.map((j) => related(src, j.idNode, `job "${j.id}" inherits write-all`)),
      route: 'permissions:write-all',
      fix: permFix(),
    });
  }
  for (const job of wf.jobs) {
    if (job.permissions?.kind !== 'write-all') continue;
    report({
      message: `job "${job.id}" sets "permissions: write-all", a token that can write to every scope${cappedNote}; list only the scopes it uses`,
      location: loc(src, job.permissions.node),
      severity: capped ? 'medium' : 'high',
      confidence: 'high',
      route: `jobs.${job.id}.permissions:write-all`,
      fix: permFix(),
    });
  }

  // 2. id-token: write on events outsiders can cause.
  const idTokenReported = new Set<Node>();
  const byBlock = new Map<Permissions, Array<{ job: Job; triggers: string[]; reachable: string[] }>>();
  for (const job of wf.jobs) {
    const eff = effectivePermissions(wf, job);
    if (!eff.block || eff.block.kind !== 'scopes' || grantedLevel(eff.block, 'id-token') !== 'write') continue;
    const gate = jobGate(job, ownTriggers(wf));
    const triggers = [...gate.triggers].filter((t) => PRIVILEGED_TRIGGERS.has(t)).sort();
    if (triggers.length === 0) continue;
    const list = byBlock.get(eff.block) ?? [];
    list.push({ job, triggers, reachable: reachableBy(gate, PRIVILEGED_TRIGGERS) });
    byBlock.set(eff.block, list);
  }
  for (const [block, jobs] of byBlock) {
    const entry = block.scopes.get('id-token')!;
    const triggers = [...new Set(jobs.flatMap((j) => j.triggers))].sort();
    const gated = jobs.every((j) => j.reachable.length === 0);
    const isWorkflow = block === wf.permissions;
    const who = isWorkflow ? jobList(jobs.map((j) => j.job)) : `job "${jobs[0]!.job.id}"`;
    idTokenReported.add(entry.node);
    report({
      message: `"id-token: write" lets ${who} mint OIDC tokens for cloud access while running on ${quoteList(triggers)}, ${triggers.length === 1 ? 'an event' : 'events'} outside users can cause${gated ? " (its if: admits only trusted actors)" : ''}; grant it only in a job that cannot be started by untrusted events`,
      location: loc(src, entry.node),
      severity: gated ? 'medium' : 'high',
      confidence: 'high',
      related: triggerNotes(wf, triggers),
      route: `${isWorkflow ? '' : `jobs.${jobs[0]!.job.id}.`}permissions.id-token:untrusted-trigger`,
    });
  }

  // 3. Workflow-level write scopes inherited by jobs that do not use them.
  if (wf.permissions?.kind === 'scopes' && inheritors.length > 0) {
    for (const [scope, { level, node }] of wf.permissions.scopes) {
      if (level !== 'write' || idTokenReported.has(node)) continue;
      const users: Array<{ job: Job; why?: string }> = [];
      const idle: Job[] = [];
      let readNeeded = false;
      for (const job of inheritors) {
        const n = needsOf(job);
        if (mayNeed(n, scope, 'write')) users.push({ job, why: n.needed.get(scope)?.why });
        else {
          idle.push(job);
          if (mayNeed(n, scope, 'read')) readNeeded = true;
        }
      }
      if (idle.length === 0) continue;
      const privileged = idle.some((j) => [...jobGate(j, ownTriggers(wf)).triggers].some((t) => PRIVILEGED_TRIGGERS.has(t)));
      const lower: Level = readNeeded || users.length > 0 ? 'read' : 'none';
      const fix =
        users.length > 0
          ? `move it into ${users.length === 1 ? 'the permissions of job' : 'the permissions of jobs'} ${users.map((u) => `"${u.job.id}"`).join(', ')}`
          : `lower it to "${scope}: ${lower === 'none' ? 'none' : 'read'}"`;
      report({
        message: `workflow-level "${scope}: write" is inherited by ${jobList(idle)}, which ${idle.length === 1 ? 'does' : 'do'} not appear to use it; ${fix}`,
        location: loc(src, node),
        severity: privileged ? 'high' : 'medium',
        confidence: 'medium',
        related: [
          ...idle.map((j) => related(src, j.idNode, `job "${j.id}" inherits ${scope}: write without a step that uses it`)),
          ...users.filter((u) => u.why).map((u) => related(src, u.job.idNode, `job "${u.job.id}" needs it: ${u.why}`)),
        ],
        route: `permissions.${scope}:unneeded`,
      fix: permFix(),
      });
    }
  }

  // 4. A job's own write scopes that none of its steps appear to use (least privilege).
  for (const job of wf.jobs) {
    if (job.permissions?.kind !== 'scopes' || job.uses) continue;
    const n = needsOf(job);
    const privileged = [...jobGate(job, ownTriggers(wf)).triggers].some((t) => PRIVILEGED_TRIGGERS.has(t));
    for (const [scope, { level, node }] of job.permissions.scopes) {
      if (level !== 'write' || idTokenReported.has(node) || mayNeed(n, scope, 'write')) continue;
      const lower = mayNeed(n, scope, 'read') && scope !== 'id-token' ? 'read' : 'none';
      report({
        message: `job "${job.id}" grants "${scope}: write" but none of its steps appears to use it; ${lower === 'read' ? `lower it to "${scope}: read"` : 'remove it'}${scope === 'id-token' ? ' (any step of the job can mint OIDC tokens for the cloud roles trusted for this repository)' : ''}`,
        location: loc(src, node),
        severity: privileged || scope === 'id-token' ? 'medium' : 'low',
        confidence: 'medium',
        route: `jobs.${job.id}.permissions.${scope}:unneeded`,
        fix: permFix(),
      });
    }
  }

  // 5. No permissions anywhere on events outsiders can cause: the repository default token.
  if (!wf.permissions) {
    const exposed = inheritors
      .map((job) => ({ job, triggers: [...jobGate(job, ownTriggers(wf)).triggers].filter((t) => PRIVILEGED_TRIGGERS.has(t)).sort() }))
      .filter((x) => x.triggers.length > 0);
    if (exposed.length === 0) return;
    const triggers = [...new Set(exposed.flatMap((x) => x.triggers))].sort();
    if (inheritors.length === wf.jobs.length) {
      const first = wf.triggers.find((t) => triggers.includes(t.name))!;
      report({
        message: `workflow runs on ${quoteList(triggers)} with no "permissions:" block, so ${jobList(exposed.map((x) => x.job))} ${exposed.length === 1 ? 'gets' : 'get'} the repository's default token, which is read-write on older repositories; add a top-level "permissions:" block with only what they use`,
        location: loc(src, first.node),
        severity: 'medium',
        confidence: 'medium',
        related: exposed.map((x) => related(src, x.job.idNode, `job "${x.job.id}" sets no permissions`)),
        route: 'on:missing-permissions',
      fix: permFix(),
      });
    } else {
      for (const { job, triggers: ts } of exposed) {
        report({
          message: `job "${job.id}" runs on ${quoteList(ts)} without a "permissions:" block, so it gets the repository's default token, which is read-write on older repositories; give it its own "permissions:" with only what it uses`,
          location: loc(src, job.idNode),
          severity: 'medium',
          confidence: 'medium',
          related: triggerNotes(wf, ts),
          route: `jobs.${job.id}:missing-permissions`,
      fix: permFix(),
        });
      }
    }
  }
}

function triggerNotes(wf: Workflow, names: string[]): RelatedLocation[] {
  return wf.triggers.filter((t) => names.includes(t.name)).map((t) => related(wf.source, t.node, `"${t.name}" can be caused by users without write access`));
}

function quoteList(items: string[]): string {
  const q = items.map((i) => `"${i}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

function jobList(jobs: Job[]): string {
  const ids = jobs.map((j) => j.id);
  if (ids.length === 1) return `job "${ids[0]}"`;
  const shown = ids.length > 5 ? [...ids.slice(0, 4), `${ids.length - 4} more`] : ids;
  return `jobs ${quoteList(shown).replace(`"${ids.length - 4} more"`, `${ids.length - 4} more`)}`;
}
