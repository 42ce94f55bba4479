import type { Step } from './model.js';
import type { RefScope, UntrustedRef } from './untrusted-refs.js';
import { normalizeLocalPath } from './callers.js';

/*
 * Composite actions that call other local composite actions (`./.github/actions/setup` running
 * `./.github/actions/checkout-pr`): the inner action's checkouts land in the same workspace, so
 * they count for the outer action's later steps and for its caller's. Followed to a fixed depth,
 * with a guard against actions that call each other.
 */

/** Nesting levels followed below the action a job step calls. */
export const MAX_COMPOSITE_NESTING = 4;

/** Actions being expanded right now, outermost first (the walk is synchronous). */
const active: string[] = [];

type Walk = (step: Step, scope: RefScope) => Map<string, UntrustedRef | null>;

/**
 * Folds what the local composite action called by `step` (a step of an outer composite action,
 * read in `scope`) leaves checked out into `state`, the outer action's workspace so far: a PR
 * checkout replaces what was at or under its path; a trusted one clears the PR code under its path
 * that runs under the same events. `runsUnder` are the events `step` itself runs under (its `if:`),
 * `universe` all events considered.
 */
export function mergeNestedCheckouts(
  state: Map<string, UntrustedRef | null>,
  step: Step,
  scope: RefScope,
  runsUnder: ReadonlySet<string>,
  universe: ReadonlySet<string>,
  walk: Walk,
  within: (path: string, dir: string) => boolean,
): void {
  const uses = step.uses;
  if (uses?.kind !== 'local' || !scope.model || runsUnder.size === 0) return;
  const key = normalizeLocalPath(uses.path);
  if (active.length >= MAX_COMPOSITE_NESTING || active.includes(key)) return;
  active.push(key);
  let nested: Map<string, UntrustedRef | null>;
  try {
    nested = walk(step, scope);
  } finally {
    active.pop();
  }
  const narrowedByStep = runsUnder.size < universe.size;
  for (const [path, hit] of nested) {
    if (hit) {
      const events = hit.events ? new Set([...hit.events].filter((e) => runsUnder.has(e))) : narrowedByStep ? new Set(runsUnder) : undefined;
      if (events && events.size === 0) continue;
      for (const p of [...state.keys()]) if (within(p, path)) state.delete(p);
      state.set(path, events ? { ...hit, events } : hit);
      continue;
    }
    for (const [p, co] of [...state]) {
      if (!within(p, path)) continue;
      if (co?.events && ![...co.events].some((e) => runsUnder.has(e))) continue;
      state.delete(p);
    }
    if (!state.has(path)) state.set(path, null);
  }
}
