/**
 * repo-exposure: a private or internal repository made public, or a new public repository shaped
 * like an exfiltration dump: a name or description a worm uses (s1ngularity-repository-*,
 * "Sha1-Hulud: The Second Coming", "Shai-Hulud Migration"), or a first push of nothing but
 * encoded data files (results.b64, data.json, truffleSecrets.json...) right after creation.
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { obj, str, strings } from '../../events/fields.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, HOUR, isUsualAdmin, MINUTE } from '../support.js';

const PUBLIC_RESPONSE = [
  'If the change was not intended, make the repository private again at once (Settings → Danger zone), then assess what was exposed and for how long.',
  'Secrets in its history, workflow logs and artifacts are now public: rotate them (`pipewarden secrets --git` finds them in the history).',
  'Check the actor\'s account for compromise; worms (Shai-Hulud) made private repositories public with stolen tokens.',
];
const DUMP_RESPONSE = [
  'Make the repository private or delete it after saving a copy for the investigation; GitHub support can help if it was already removed.',
  'Treat every credential of the account that created it as stolen: revoke GitHub and npm tokens, rotate cloud keys, SSH keys and everything in its environment.',
  'Look for the infection on the developer machine or CI runner (malicious package versions, /tmp artefacts) before rotating, or the new credentials leak again.',
];

/** Generic dump file names, besides those of the indicators. */
const DUMP_FILE = /(?:^|\/)(?:results\.b64|data\.json|secrets?\.json|env(?:ironment)?\.json|tokens?\.(?:json|txt)|creds?\.(?:json|txt)|[^/]+\.b64)$/i;

function repoIndicator(ctx: DetectorContext, name: string | undefined, description: string | undefined): string | undefined {
  const short = name?.split('/').pop();
  for (const r of ctx.indicators.repositories) {
    if (short && r.namePattern && r.namePattern.test(short) && !/-migration$/i.test(short)) return `${r.campaign} (${r.id})`;
    if (description && r.descriptionPattern?.test(description)) return `${r.campaign} (${r.id})`;
  }
  return undefined;
}

/** Changes to one repository's exposure within the hour are one incident. */
function sameIncident(repository: string): { key: string; windowMs: number } {
  return { key: `exposure|${repository.toLowerCase()}`, windowMs: 60 * MINUTE };
}

function becamePublic(e: MonitorEvent): boolean {
  if (e.kind === 'public') return true;
  if (e.kind === 'repository' && e.action === 'publicized') return true;
  if (e.kind === 'repo.access') return e.facts.audit?.visibility === 'public' && e.facts.audit?.previous_visibility !== 'public';
  return false;
}

function createdPublic(e: MonitorEvent): boolean {
  if (e.kind === 'repository' && e.action === 'created') return e.facts.visibility === 'public';
  if (e.kind === 'repo.create') return e.facts.visibility === 'public';
  return false;
}

export const repoExposure: Detector = {
  id: 'repo-exposure',
  accepts: (e) =>
    becamePublic(e) ||
    createdPublic(e) ||
    (e.kind === 'repository' && e.action === 'renamed') ||
    e.kind === 'repo.rename' ||
    (e.kind === 'push' && e.facts.push?.created === true && e.facts.visibility === 'public'),
  async detect(event, ctx) {
    if (!event.repository) return [];
    if (event.kind === 'push') return firstPush(event, ctx);
    const description = str(event.payload, 'repository.description');
    const ioc = repoIndicator(ctx, event.repository, description);
    if (becamePublic(event)) return [await madePublic(event, ctx, ioc)];
    if (ioc) return [dumpRepo(event, ioc, createdPublic(event) ? 'created public' : 'renamed')];
    return [];
  },
};

async function madePublic(event: MonitorEvent, ctx: DetectorContext, ioc: string | undefined): Promise<AlertDraft> {
  const usual = await isUsualAdmin(ctx, event);
  const before = event.kind === 'repo.access' ? String(event.facts.audit?.previous_visibility ?? 'private') : 'private';
  return draft('repo-exposure', event, {
    severity: ioc ? 'critical' : usual ? 'medium' : 'high',
    confidence: 'high',
    title: `Repository ${event.repository} made public`,
    summary: `${event.actor ?? 'Someone'} changed ${event.repository} from ${before} to public.${ioc ? ` Its name or description matches ${ioc}.` : ''}${usual ? '' : ' The actor has no admin activity older than a day in the stored history.'}`,
    response: ioc ? DUMP_RESPONSE : PUBLIC_RESPONSE,
    // A worm-shaped repository made public is the same incident as its rename or creation, and
    // the webhook and the audit entry of one change are one alert.
    dedupKey: ioc ? `dump:${event.repository}` : `public:${event.repository}:${event.dedupKey}`,
    correlation: sameIncident(event.repository!),
    details: { previousVisibility: before, ...(ioc && { indicator: ioc }) },
  });
}

function dumpRepo(event: MonitorEvent, ioc: string, how: string): AlertDraft {
  return draft('repo-exposure', event, {
    severity: 'critical',
    confidence: 'high',
    title: `Repository ${event.repository} ${how}, matching ${ioc}`,
    summary: `${event.actor ?? 'Someone'} ${how} ${event.repository}, whose name or description matches ${ioc}: such repositories hold credentials stolen from the account's machine or CI.`,
    response: DUMP_RESPONSE,
    dedupKey: `dump:${event.repository}`,
    correlation: sameIncident(event.repository!),
    details: { indicator: ioc },
  });
}

/** First push to a public repository created within the hour, adding only dump-like files. */
async function firstPush(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const commits = Array.isArray(obj(event.payload)?.commits) ? (obj(event.payload)!.commits as unknown[]) : [];
  const added = commits.flatMap((c) => [...strings(c, 'added'), ...strings(c, 'modified')]);
  if (added.length === 0) return [];
  const indicatorFiles = new Set(ctx.indicators.repositories.flatMap((r) => r.dumpFiles.map((f) => f.toLowerCase())));
  const dumpLike = added.filter((f) => DUMP_FILE.test(f) || indicatorFiles.has(f.split('/').pop()!.toLowerCase()));
  if (dumpLike.length !== added.length) return [];
  const history = await ctx.store.findByKey(keys.repo(event.repository!), { from: event.time - HOUR, before: { time: event.time, id: event.id } });
  const creation = history.find((e) => createdPublic(e as MonitorEvent) || (e.kind === 'repository' && e.action === 'created'));
  if (!creation) return [];
  const ioc = repoIndicator(ctx, event.repository, str(event.payload, 'repository.description'));
  return [
    draft('repo-exposure', event, {
      severity: 'critical',
      confidence: ioc || indicatorFiles.has(dumpLike[0]!.split('/').pop()!.toLowerCase()) ? 'high' : 'medium',
      title: `New public repository ${event.repository} received only encoded data files`,
      summary: `${event.actor ?? 'Someone'} created the public repository ${event.repository} and pushed ${dumpLike.join(', ')} and nothing else: the shape of the s1ngularity and Shai-Hulud credential dumps.${ioc ? ` It matches ${ioc}.` : ''}`,
      response: DUMP_RESPONSE,
      dedupKey: `dump:${event.repository}`,
      correlation: sameIncident(event.repository!),
      evidence: [{ eventId: creation.id }, { eventId: event.id }],
      details: { files: dumpLike, ...(ioc && { indicator: ioc }) },
    }),
  ];
}
