/**
 * compromised-action-used: a job ran a known-compromised action. The job log's line
 * `Download action repository 'OWNER/REPO@REF' (SHA:...)` says which commit the ref resolved to
 * when the job ran; that is matched with the shipped indicators (data/indicators): a published
 * malicious commit is certain; a mutable ref used inside the compromise window is probable when
 * the indicator's commit list is incomplete or the SHA is missing. Uses pinned to any other commit,
 * and runs outside the window whose SHA is known, are not affected.
 */
import type { Detector } from '../../detect.js';
import { judgeActionUse } from '../../indicators.js';
import type { AlertDraft } from '../../model.js';
import { draft } from '../support.js';

const RESPONSE = [
  'Rotate every secret the job could read (`pipewarden ir exposure --action ...` lists them per job); GITHUB_TOKEN expires with the job but check what it did.',
  'Read the log of the affected step: these payloads printed secrets into it (often double base64); delete the logs after rotating.',
  'Pin the action to a reviewed full commit SHA and update to the fixed release.',
];

export const compromisedActionUsed: Detector = {
  id: 'compromised-action-used',
  accepts: (e) => e.kind === 'job_log' && (e.facts.log?.downloads.length ?? 0) > 0,
  async detect(event, ctx) {
    const log = event.facts.log!;
    const downloaded = new Set(log.downloads.map((d) => d.action.toLowerCase()));
    const out: AlertDraft[] = [];
    const seen = new Set<string>();
    for (const d of log.downloads) {
      const verdict = judgeActionUse(ctx.indicators, { action: d.action, ref: d.ref, ...(d.sha && { sha: d.sha }), time: event.time });
      if (!verdict) continue;
      const ind = verdict.indicator;
      // A wrapper whose nested action's download is in this log: that line decides.
      if (ind.via && downloaded.has(ind.via)) continue;
      if (seen.has(ind.id)) continue;
      seen.add(ind.id);
      const job = log.jobName ?? event.facts.job?.name ?? '?';
      const certain = verdict.kind === 'ran-bad-commit';
      out.push(
        draft('compromised-action-used', event, {
          severity: certain ? 'critical' : 'high',
          confidence: certain ? 'high' : 'medium',
          actor: event.actor,
          title: `Job "${job}" ran ${d.action}@${d.ref}${certain ? ' at its malicious commit' : ' while it was compromised'}`,
          summary: certain
            ? `${event.repository ?? 'A repository'} job "${job}"${log.runId !== undefined ? ` (run ${log.runId})` : ''} downloaded ${d.action}@${d.ref} resolved to ${d.sha}, a published malicious commit (${ind.advisory ?? ind.cve ?? ind.id}: ${ind.title}).`
            : `${event.repository ?? 'A repository'} job "${job}"${log.runId !== undefined ? ` (run ${log.runId})` : ''} used ${d.action}@${d.ref} at ${new Date(event.time).toISOString()}, inside the compromise window ${new Date(ind.window.start).toISOString()} – ${new Date(ind.window.end).toISOString()} (${ind.window.precision} precision)${d.sha ? `; it resolved to ${d.sha}, which the indicator does not list, but its list of bad commits is not complete` : ''} (${ind.advisory ?? ind.cve ?? ind.id}).`,
          response: RESPONSE,
          dedupKey: `${event.repository ?? '?'}:${log.runId ?? event.evidenceId}:${job}:${ind.id}`,
          evidence: [{ eventId: event.id, line: d.line }],
          details: { action: d.action, ref: d.ref, sha: d.sha ?? null, indicator: ind.id, advisory: ind.advisory ?? null, cve: ind.cve ?? null, sources: ind.sources },
        }),
      );
    }
    return out;
  },
};
