/**
 * History keys: normalisation attaches them to events, detectors and `ir` queries look events up
 * by them (MonitorStore.findByKey). One function per key so producer and consumer cannot drift.
 * Repository and branch names are case-insensitive on GitHub; keys use lower case.
 */

const lc = (s: string): string => s.toLowerCase();

export const keys = {
  /** Every event about a repository (timelines, visibility lookups). */
  repo: (repo: string) => `repo:${lc(repo)}`,
  /** Admin-level actions by an actor in an org (unusual-actor history). */
  admin: (org: string, actor: string) => `admin:${lc(org)}:${lc(actor)}`,
  /** A commit seen in a push or as a PR's merge/head commit. */
  commit: (repo: string, sha: string) => `commit:${lc(repo)}@${lc(sha)}`,
  /** Pushes to a branch (`refs/heads/x`), and branch creation/deletion. */
  branch: (repo: string, ref: string) => `branch:${lc(repo)}:${ref.startsWith('refs/') ? ref : `refs/heads/${ref}`}`,
  /** Pull requests whose head is this branch. */
  prHead: (repo: string, ref: string) => `pr-head:${lc(repo)}:${ref.replace(/^refs\/heads\//, '')}`,
  pr: (repo: string, n: number) => `pr:${lc(repo)}#${n}`,
  run: (repo: string, runId: number) => `run:${lc(repo)}#${runId}`,
  job: (repo: string, runId: number, name: string) => `job:${lc(repo)}#${runId}#${name}`,
  /** Runner names seen in an org (runner-registered: is this runner new?). */
  runner: (org: string, name: string) => `runner:${lc(org)}:${lc(name)}`,
  /** Actions a job downloaded (`owner/repo`, sub-path dropped). */
  action: (action: string) => `action:${lc(action)}`,
  /** Branch protection and ruleset changes of a repository (or an org, for org rulesets). */
  protection: (scope: string) => `protection:${lc(scope)}`,
  /** Environment protection changes. */
  environment: (repo: string, env: string) => `environment:${lc(repo)}:${lc(env)}`,
  /** Webhook destinations seen (credential-added: a hook to a host seen before is not new). */
  hookHost: (scope: string, host: string) => `hook-host:${lc(scope)}:${lc(host)}`,
  /** Changes of one org or repository setting (the audit action), to find its previous value. */
  setting: (scope: string, action: string) => `setting:${lc(scope)}:${action}`,
  /** Where a secret is defined (audit `*.create_actions_secret` and friends), by secret name. */
  secretDef: (name: string) => `secret-def:${name.toUpperCase()}`,
  /** Log file identity (sweep and exposure lookups). */
  log: (path: string) => `log:${path}`,
};
