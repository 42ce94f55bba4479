/**
 * What the triggering event says about the change: the commit it is compared with for
 * `new-only`. The event payload is attacker-influenced (a fork's pull request), so only commit
 * ids are taken from it, and only when they look like one.
 */
import { readFileSync } from 'node:fs';

export interface BaseChoice {
  /** Commit id or ref to pass to `--new-only`; undefined for a full report. */
  ref?: string;
  /** Why, for the log and the job summary. */
  reason: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO = /^0+$/;

export function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function at(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

function sha(v: unknown): string | undefined {
  return typeof v === 'string' && SHA.test(v) && !ZERO.test(v) ? v : undefined;
}

/**
 * `auto`: pull requests compare with their base commit, merge queue entries with the queue's
 * base; other events get a full report. `true` also compares a push with the commit before it.
 * Any other value is a ref the user chose.
 */
export function chooseBase(newOnly: string, eventName: string, event: Record<string, unknown>): BaseChoice {
  if (newOnly === 'false') return { reason: 'Every finding is reported (new-only: false).' };
  if (newOnly !== 'auto' && newOnly !== 'true') return { ref: newOnly, reason: `Only the findings that are not at the merge base with ${newOnly}.` };
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const base = sha(at(event, 'pull_request', 'base', 'sha'));
    if (base) return { ref: base, reason: 'Pull request: only the findings it introduces, compared with the merge base of its base branch.' };
  }
  if (eventName === 'merge_group') {
    const base = sha(at(event, 'merge_group', 'base_sha'));
    if (base) return { ref: base, reason: 'Merge queue: only the findings this entry introduces.' };
  }
  if (newOnly === 'true' && eventName === 'push') {
    const before = sha(at(event, 'before'));
    if (before) return { ref: before, reason: 'Push: only the findings this push introduces.' };
  }
  return { reason: `Every finding is reported: a ${eventName || 'run without an event'} has no base to compare with.` };
}
