/**
 * protection-weakened: branch protection or a ruleset deleted or relaxed, and a direct push to the
 * branch that follows (the classic "turn protection off, push, turn it back on").
 *
 * A change is relaxed when a requirement goes down (reviews, approvals, status checks, signed
 * commits, admin enforcement, linear history, lock) or an allowance goes up (force pushes,
 * deletions, bypass actors). Webhooks carry the old value (`changes.*.from`); audit entries carry
 * only the new one, so it is compared with the last state the store knows for that rule, and read
 * on its own when there is none. Tightening never alerts. The webhook and the audit entry for the
 * same change raise one alert.
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { protectionLabel } from '../../events/audit.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent, ProtectionFacts, StoredEvent } from '../../model.js';
import { branchOf, draft, HOUR, isUsualAdmin, mergedPullRequestFor, MINUTE, minutesBetween } from '../support.js';

const TWIN_WINDOW = 10 * MINUTE;

const RESPONSE = [
  'Confirm with the actor that the change was intended; if not, treat their account or token as compromised (revoke sessions and tokens, check their security log).',
  'Restore the protection or ruleset (Settings → Branches / Rules) and compare it with your expected configuration.',
  'Review every push to the affected branch since the change: commits that bypassed review must be reviewed now or reverted.',
  'Prefer org-level rulesets with a short, named bypass list so a single repository admin cannot remove protection silently.',
];

const PUSH_RESPONSE = [
  'Review the pushed commits now; revert them if they are not expected, and look for workflow or dependency changes in particular.',
  'Restore the protection or ruleset and find out who removed it (the evidence lists the change).',
  'If the push was not expected, treat the pusher\'s credentials as compromised: revoke tokens and sessions, rotate secrets the pushed code could reach.',
];

export const protectionWeakened: Detector = {
  id: 'protection-weakened',
  accepts: (e) => e.facts.protection !== undefined || (e.kind === 'push' && e.facts.push !== undefined && !e.facts.push.deleted),
  async detect(event, ctx) {
    if (event.kind === 'push') return followingPush(event, ctx);
    const change = await effectiveChange(event, ctx);
    if (!change) return [];
    const out = [await weakening(event, change, ctx)];
    out.push(...(await pushesAfter(event, change, ctx)));
    return out;
  },
};

/** The change as relaxed requirements, after comparing audit updates with the last known state. */
async function effectiveChange(event: MonitorEvent, ctx: DetectorContext): Promise<ProtectionFacts | undefined> {
  const p = event.facts.protection!;
  if (p.change !== 'edited' || !p.state || event.source !== 'audit' || !event.repository) return p.weakened ? p : undefined;
  // An audit update states new values; compare with what the rule was before.
  const previous = await ctx.store.findByKey(keys.protection(event.repository), { before: { time: event.time, id: event.id }, order: 'desc', limit: 200 });
  const relaxed: string[] = [];
  let compared = false;
  for (const [field, value] of Object.entries(p.state)) {
    const last = previous.find((e) => e.facts.protection?.target === 'branch' && e.facts.protection.name === p.name && e.facts.protection.state?.[field] !== undefined);
    if (!last) continue;
    compared = true;
    const before = last.facts.protection!.state![field]!;
    if (value < before) relaxed.push(`${protectionLabel(field)} ${before} → ${value} (strictness)`);
  }
  if (!compared) return p.weakened ? p : undefined;
  const bypass = p.relaxed.filter((r) => r.startsWith('bypass'));
  const all = [...relaxed, ...bypass];
  return all.length ? { ...p, weakened: true, relaxed: all } : undefined;
}

function describeTarget(p: ProtectionFacts): string {
  if (p.target === 'ruleset') return `ruleset "${p.name ?? '?'}"`;
  if (p.target === 'repository') return 'branch protection for the whole repository';
  return `branch protection on ${p.name ?? '?'}`;
}

async function weakening(event: MonitorEvent, p: ProtectionFacts, ctx: DetectorContext): Promise<AlertDraft> {
  const scope = event.repository ?? event.org ?? '?';
  const usual = await isUsualAdmin(ctx, event);
  const what = describeTarget(p);
  const verb = p.change === 'deleted' ? 'deleted' : p.change === 'disabled' ? 'disabled' : p.change === 'override' ? 'overridden' : 'relaxed';
  return draft('protection-weakened', event, {
    severity: p.change === 'override' ? 'high' : usual ? 'medium' : 'high',
    confidence: 'high',
    title: `${what[0]!.toUpperCase()}${what.slice(1)} ${verb} on ${scope}`,
    summary: `${event.actor ?? 'Someone'} ${verb} ${what} on ${scope}: ${p.relaxed.join('; ')}.${usual ? '' : ' The actor has no admin activity older than a day in the stored history.'}`,
    response: RESPONSE,
    dedupKey: `${scope}:${p.target}:${p.name ?? '*'}:${p.change}:${event.dedupKey}`,
    correlation: { key: `${scope.toLowerCase()}|${p.target}|${p.name ?? '*'}|${p.change}`, windowMs: TWIN_WINDOW },
    details: { target: p.target, name: p.name ?? null, change: p.change, relaxed: p.relaxed },
  });
}

/** Does this protection change cover `branch`? Rulesets and repository-wide changes cover all. */
function covers(p: ProtectionFacts, branch: string): boolean {
  if (p.target !== 'branch' || !p.name) return true;
  if (!p.name.includes('*')) return p.name === branch;
  const re = new RegExp(`^${p.name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  return re.test(branch);
}

/**
 * The webhook and the audit entry of one change (its twins, within minutes): a push alert cites
 * them all and describes the earliest, so it reads the same whichever arrived first.
 */
async function twinsOf(change: StoredEvent | MonitorEvent, ctx: DetectorContext): Promise<Array<StoredEvent | MonitorEvent>> {
  const p = change.facts.protection!;
  const scope = change.repository ?? change.org;
  if (!scope) return [change];
  const near = await ctx.store.findByKey(keys.protection(scope), { from: change.time - TWIN_WINDOW, to: change.time + TWIN_WINDOW });
  const twins = near.filter((e) => e.id !== change.id && e.facts.protection?.weakened && e.facts.protection.target === p.target && e.facts.protection.name === p.name && e.facts.protection.change === p.change);
  return [change, ...twins].sort((a, b) => a.time - b.time || a.id - b.id);
}

/** A push right after the weakening, not through a pull request. */
async function pushAlert(push: StoredEvent | MonitorEvent, weakened: StoredEvent | MonitorEvent, ctx: DetectorContext): Promise<AlertDraft | undefined> {
  const facts = push.facts.push!;
  const repo = push.repository!;
  if (facts.after && (await mergedPullRequestFor(ctx, repo, facts.after, push.time))) return undefined;
  const twins = await twinsOf(weakened, ctx);
  const change = twins[0]!;
  const p = change.facts.protection!;
  const branch = branchOf(facts.ref);
  const pushEvent = { ...push, payload: undefined } as MonitorEvent;
  return draft('protection-weakened', pushEvent, {
    severity: 'critical',
    confidence: 'high',
    title: `Direct push to ${branch} ${minutesBetween(change.time, push.time)} after its protection was weakened`,
    summary: `${change.actor ?? 'Someone'} weakened ${describeTarget(p)} on ${repo} (${p.relaxed.join('; ')}), then ${push.actor ?? 'someone'} pushed ${facts.size ?? facts.commits.length} commit(s)${facts.forced ? ' with a force push' : ''} straight to ${branch} (${(facts.after ?? '').slice(0, 12)}) ${minutesBetween(change.time, push.time)} later, outside any pull request.`,
    response: PUSH_RESPONSE,
    dedupKey: `push:${repo}:${facts.after ?? push.dedupKey}`,
    evidence: [...twins.map((t) => ({ eventId: t.id })), { eventId: push.id }],
    details: { branch, commit: facts.after ?? null, forced: facts.forced, weakenedAt: new Date(change.time).toISOString() },
  });
}

async function followingPush(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  if (!event.repository || !event.facts.push!.ref.startsWith('refs/heads/')) return [];
  const branch = branchOf(event.facts.push!.ref);
  const changes = await ctx.store.findByKey(keys.protection(event.repository), {
    from: event.time - ctx.settings.followUpHours * HOUR,
    before: { time: event.time, id: event.id },
    order: 'desc',
  });
  for (const c of changes) {
    const p = c.facts.protection;
    if (!p?.weakened || p.change === 'override' || !covers(p, branch)) continue;
    // Restored in between? Then the push happened under protection again.
    const restored = changes.find((r) => r.time > c.time && r.facts.protection && !r.facts.protection.weakened && r.facts.protection.target === p.target && r.facts.protection.name === p.name);
    if (restored) continue;
    const a = await pushAlert(event, c, ctx);
    return a ? [a] : [];
  }
  return [];
}

/** Pushes already stored that came after this weakening (events arrive out of order). */
async function pushesAfter(event: MonitorEvent, p: ProtectionFacts, ctx: DetectorContext): Promise<AlertDraft[]> {
  if (!event.repository || p.change === 'override') return [];
  const after = await ctx.store.findByKey(keys.repo(event.repository), {
    after: { time: event.time, id: event.id },
    to: event.time + ctx.settings.followUpHours * HOUR,
  });
  const out: AlertDraft[] = [];
  for (const e of after) {
    if (e.facts.protection && !e.facts.protection.weakened && e.facts.protection.target === p.target && e.facts.protection.name === p.name) break; // restored
    if (e.kind !== 'push' || !e.facts.push || e.facts.push.deleted || !e.facts.push.ref.startsWith('refs/heads/')) continue;
    if (!covers(p, branchOf(e.facts.push.ref))) continue;
    const a = await pushAlert(e, { ...event, facts: { ...event.facts, protection: p } }, ctx);
    if (a) out.push(a);
  }
  return out;
}
