/**
 * Shared reasoning about "whose code is in the workspace and what runs it", used by the
 * dangerous-triggers, untrusted-checkout-exec, artifact-poisoning, artipacked and cache-poisoning
 * audits. Everything is a pure function over the model; shell handling is a deliberately
 * small approximation of POSIX sh (words, quotes, separators, comments, heredocs, `cd`), tuned for
 * precision: when a script is too clever to read, we say nothing rather than guess.
 *
 * One module per concern: this one (actions/checkout steps), action-inputs.ts (`uses:` and
 * `with:`), workspace.ts (paths in the workspace), untrusted-refs.ts (pull request head references
 * in expressions), ../../shell/words.ts (scripts as simple commands), workspace-execution.ts (what
 * runs code from the workspace), script-events.ts (a run: script as events), ../../shell/location.ts
 * (locations inside scripts), gates.ts (conditions that keep outsiders out), pr-code-flow.ts
 * (following PR code through a job) and workflow-run.ts (workflow_run artifacts).
 */
import type { Node } from 'yaml';
import type { Step } from './model.js';
import { normalizeWorkspacePath } from './workspace.js';
import { type RefScope, type UntrustedRef, untrustedRefIn } from './untrusted-refs.js';
import { usesAction, withEntry, withText } from './action-inputs.js';

/* ------------------------------------------------------------------------------------------ */
/* actions/checkout                                                                             */
/* ------------------------------------------------------------------------------------------ */

export function isCheckoutStep(step: Step): boolean {
  return usesAction(step, 'actions/checkout');
}

/**
 * Whether a checkout leaves the token in the git config: 'no' when `persist-credentials` is a
 * literal false, 'explicit' when it is a literal true (the author wants it), 'expression' when it
 * is computed, 'default' when absent (true).
 */
export function persistsCredentials(step: Step): 'no' | 'default' | 'explicit' | 'expression' {
  const e = withEntry(step, 'persist-credentials');
  if (!e) return 'default';
  const t = e.text?.trim();
  if (t === undefined) return 'default';
  if (/^false$/i.test(t)) return 'no';
  if (/^true$/i.test(t)) return 'explicit';
  if (/^\$\{\{\s*false\s*\}\}$/i.test(t)) return 'no';
  if (/^\$\{\{\s*true\s*\}\}$/i.test(t)) return 'explicit';
  return 'expression';
}

/** Workspace-relative directory a checkout writes to (`path:` input). */
export function checkoutPath(step: Step): string {
  return normalizeWorkspacePath(withText(step, 'path'));
}

export interface CheckoutRefFinding extends UntrustedRef {
  /** The `with:` value that names the PR head (`ref:` or `repository:`). */
  node: Node | null;
  input: string;
}

/** A checkout of the pull request's code: `ref:`/`repository:` naming the PR head. */
export function checkoutRefIsUntrusted(step: Step, scope: RefScope): CheckoutRefFinding | undefined {
  if (!isCheckoutStep(step)) return undefined;
  for (const key of ['ref', 'repository']) {
    const entry = withEntry(step, key);
    const hit = untrustedRefIn(entry?.text, scope);
    if (entry && hit) return { ...hit, node: entry.value, input: entry.key };
  }
  return undefined;
}
