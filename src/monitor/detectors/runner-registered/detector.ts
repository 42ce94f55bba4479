/**
 * runner-registered: a self-hosted runner registered on a public repository, by an actor with no
 * admin history, or under a name a worm uses (SHA1HULUD); or a job that ran on a runner never
 * seen before on a public repository. Runners added to private repositories by their usual admins
 * are routine and stay silent.
 *
 * Anyone who can open a pull request on a public repository can get code onto its self-hosted
 * runners; Shai-Hulud 2.0 registered infected machines as runners to keep remote control.
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, isUnusualActor, visibilityAt } from '../support.js';

const REGISTER = new Set(['repo.register_self_hosted_runner', 'org.register_self_hosted_runner', 'repo.configure_self_hosted_jit_runner', 'org.configure_self_hosted_jit_runner']);

const RESPONSE = [
  'Check the runner under Settings → Actions → Runners: who registered it, from which machine, and which workflows ran on it.',
  'If it is not expected, remove it, and treat the machine and any credentials it held as compromised.',
  'Do not use self-hosted runners on public repositories (fork pull requests run there); restrict org runner groups to selected repositories and workflows.',
];

function indicatorFor(ctx: DetectorContext, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const hit = ctx.indicators.runners.find((r) => r.names.includes(name.toLowerCase()));
  return hit ? `${hit.campaign} (${hit.id})` : undefined;
}

export const runnerRegistered: Detector = {
  id: 'runner-registered',
  accepts: (e) => (e.source === 'audit' && REGISTER.has(e.kind)) || (e.kind === 'workflow_job' && e.facts.job?.selfHosted === true && e.facts.job.runnerName !== undefined),
  async detect(event, ctx) {
    return event.kind === 'workflow_job' ? jobOnNewRunner(event, ctx) : registered(event, ctx);
  },
};

async function registered(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const name = typeof event.facts.audit?.runner_name === 'string' ? event.facts.audit.runner_name : undefined;
  const ioc = indicatorFor(ctx, name);
  const orgLevel = event.kind.startsWith('org.');
  const visibility = !orgLevel && event.repository ? await visibilityAt(ctx, event.repository, event) : undefined;
  const usual = !(await isUnusualActor(ctx, event));
  const reasons: string[] = [];
  if (ioc) reasons.push(`its name matches ${ioc}`);
  if (visibility === 'public') reasons.push('the repository is public, so fork pull requests can run code on it');
  if (!usual) reasons.push(`${event.actor ?? 'the actor'} has no admin activity older than a day in the stored history`);
  if (reasons.length === 0) return [];
  const where = orgLevel ? `organization ${event.org ?? '?'}` : (event.repository ?? '?');
  return [
    draft('runner-registered', event, {
      severity: ioc ? 'critical' : visibility === 'public' && !usual ? 'critical' : 'high',
      confidence: ioc || visibility === 'public' ? 'high' : 'medium',
      title: `Self-hosted runner${name ? ` "${name}"` : ''} registered on ${where}`,
      summary: `${event.actor ?? 'Someone'} registered a self-hosted runner${name ? ` "${name}"` : ''} on ${where}: ${reasons.join('; ')}.`,
      response: RESPONSE,
      dedupKey: `${event.org ?? where}:${name ?? event.dedupKey}`,
      details: { runner: name ?? null, scope: orgLevel ? 'org' : 'repository', visibility: visibility ?? null, ...(ioc && { indicator: ioc }) },
    }),
  ];
}

async function jobOnNewRunner(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const job = event.facts.job!;
  const name = job.runnerName!;
  const ioc = indicatorFor(ctx, name);
  if (!event.repository) return [];
  const visibility = await visibilityAt(ctx, event.repository, event);
  if (!ioc && visibility !== 'public') return [];
  if (!ioc && event.org) {
    const seen = await ctx.store.findByKey(keys.runner(event.org, name), { before: { time: event.time, id: event.id }, limit: 1 });
    if (seen.length > 0) return [];
  }
  return [
    draft('runner-registered', event, {
      severity: ioc ? 'critical' : 'high',
      confidence: ioc ? 'high' : 'medium',
      actor: event.actor,
      title: `Job ran on ${ioc ? 'a worm-named' : 'a new'} self-hosted runner "${name}" on ${event.repository}`,
      summary: `Job "${job.name}" of run ${job.runId} on ${event.repository} (${visibility ?? 'visibility unknown'}) ran on self-hosted runner "${name}"${ioc ? `, a name that matches ${ioc}` : ', which the stored history has not seen before'}.`,
      response: RESPONSE,
      dedupKey: `${event.org ?? event.repository}:${name}`,
      details: { runner: name, runId: job.runId, labels: job.labels ?? [], ...(ioc && { indicator: ioc }) },
    }),
  ];
}
