/** Small helpers every detector shares: drafting an alert, who counts as an admin or a bot, history lookups. */
import type { Confidence, Severity } from '../../core/finding.js';
import type { DetectorContext } from '../detect.js';
import { keys } from '../keys.js';
import type { AlertDraft, AlertId, EventFacts, MonitorEvent, StoredEvent } from '../model.js';

const HOUR = 3_600_000;
export const MINUTE = 60_000;
export { HOUR };

export function draft(
  alert: AlertId,
  event: MonitorEvent,
  fields: { severity: Severity; confidence: Confidence; title: string; summary: string; response: string[]; dedupKey: string } & Partial<AlertDraft>,
): AlertDraft {
  return {
    alert,
    time: event.time,
    ...(event.repository !== undefined ? { repository: event.repository } : event.org !== undefined ? { repository: event.org } : {}),
    ...(event.actor !== undefined && { actor: event.actor }),
    evidence: [{ eventId: event.id }],
    ...fields,
    dedupKey: `${alert}:${fields.dedupKey}`,
  };
}

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function isKnownAdmin(ctx: DetectorContext, actor: string | undefined): boolean {
  return actor !== undefined && ctx.settings.admins.some((a) => eq(a, actor));
}

export function isAutomation(ctx: DetectorContext, event: { actor?: string; facts: EventFacts }): boolean {
  return event.facts.bot === true || (event.actor !== undefined && (/\[bot\]$/i.test(event.actor) || ctx.settings.bots.some((b) => eq(b, event.actor!))));
}

/**
 * Has this actor done an admin-level action in this org before this event (in event time)?
 * `olderThan`: only count actions at least that long before (a burst of changes by a new account
 * does not make the account usual).
 */
export async function hasEarlierAdminActivity(ctx: DetectorContext, event: MonitorEvent, olderThan = 0): Promise<boolean> {
  const org = event.org;
  if (!org || !event.actor) return false;
  const earlier = await ctx.store.findByKey(keys.admin(org, event.actor), olderThan > 0 ? { to: event.time - olderThan, order: 'desc', limit: 1 } : { before: { time: event.time, id: event.id }, order: 'desc', limit: 1 });
  return earlier.length > 0;
}

/** Is the stored history of this org long enough to call an actor "new"? */
export async function hasBaseline(ctx: DetectorContext, event: MonitorEvent): Promise<boolean> {
  if (!event.org) return false;
  const span = await ctx.store.timeSpan(event.org);
  return span !== undefined && span.first <= event.time - ctx.settings.baselineDays * 24 * HOUR;
}

/** The actor is expected to make this kind of change: a configured admin, or one with admin history a day old or more. */
export async function isUsualAdmin(ctx: DetectorContext, event: MonitorEvent): Promise<boolean> {
  return isKnownAdmin(ctx, event.actor) || (await hasEarlierAdminActivity(ctx, event, 24 * HOUR));
}

/**
 * Unusual for this org: not a configured admin, not automation, and no earlier admin action in a
 * history long enough (baseline) to know. Early in a store's life nobody is unusual.
 */
export async function isUnusualActor(ctx: DetectorContext, event: MonitorEvent): Promise<boolean> {
  if (isKnownAdmin(ctx, event.actor) || isAutomation(ctx, event)) return false;
  if (!(await hasBaseline(ctx, event))) return false;
  return !(await hasEarlierAdminActivity(ctx, event, 24 * HOUR));
}

/** Visibility of a repository at an event: the latest statement before it, else the first after. */
export async function visibilityAt(ctx: DetectorContext, repository: string, event: MonitorEvent): Promise<EventFacts['visibility']> {
  if (event.facts.visibility) return event.facts.visibility;
  const before = await ctx.store.findByKey(keys.repo(repository), { before: { time: event.time, id: event.id }, order: 'desc', limit: 50 });
  const known = before.find((e) => e.facts.visibility !== undefined);
  if (known) return known.facts.visibility;
  const after = await ctx.store.findByKey(keys.repo(repository), { after: { time: event.time, id: event.id }, limit: 50 });
  return after.find((e) => e.facts.visibility !== undefined)?.facts.visibility;
}

export function minutesBetween(a: number, b: number): string {
  const m = Math.round(Math.abs(b - a) / MINUTE);
  if (m < 90) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.round(m / 60);
  return `${h} hour${h === 1 ? '' : 's'}`;
}

export function branchOf(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

/** A merged pull request that brought this commit in, if the history has one (±2 days). */
export async function mergedPullRequestFor(ctx: DetectorContext, repository: string, sha: string, around: number): Promise<StoredEvent | undefined> {
  const found = await ctx.store.findByKey(keys.commit(repository, sha), { from: around - 48 * HOUR, to: around + 48 * HOUR });
  return found.find((e) => e.kind === 'pull_request' && e.facts.pr?.merged === true);
}

/** Reviewed: approved by someone other than the author, or merged by someone other than the author. */
export async function isReviewed(ctx: DetectorContext, repository: string, pr: StoredEvent): Promise<boolean> {
  const facts = pr.facts.pr;
  if (!facts) return false;
  const author = facts.author?.toLowerCase();
  if (facts.mergedBy && author && facts.mergedBy.toLowerCase() !== author) return true;
  const reviews = await ctx.store.findByKey(keys.pr(repository, facts.number), { to: pr.time });
  return reviews.some((r) => r.facts.review?.state === 'approved' && r.facts.review.reviewer?.toLowerCase() !== author);
}
