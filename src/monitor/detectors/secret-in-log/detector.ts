/**
 * secret-in-log: a credential readable in a job log. Real-format secrets are found by the secrets
 * engine (every provider detector, inside base64/double-base64/hex blobs too, with checksums
 * verified offline); runner memory dumps and JSON dumps of the secrets context by dumps.ts.
 * Values the runner masked (`***`) and documentation examples are not reported. The same secret
 * in many logs of a repository is one alert with every log line as evidence.
 */
import { createHash } from 'node:crypto';
import type { Detector } from '../../detect.js';
import { findLogSecrets, cleanLog } from '../../adapters/secrets.js';
import { maskSecret } from '../../../secrets/mask.js';
import type { ParsedLog } from '../../events/job-log.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, visibilityAt } from '../support.js';
import { findSecretDumps } from './dumps.js';

const RESPONSE = [
  'Revoke or rotate the secret at its provider now; deleting the log does not undo the exposure (it may have been read or archived already).',
  'Delete the workflow run logs that contain it (Actions → the run → Delete all logs) once the secret is rotated.',
  'Find why it was printed (a debug step, `set -x`, a compromised action) and fix the workflow; `pipewarden ir exposure` lists other jobs of the same action.',
];

interface Leak {
  hash: string;
  masked: string;
  title: string;
  line: number;
  encoding?: string;
  confidence: 'high' | 'medium' | 'low';
  kind: string;
}

export const secretInLog: Detector = {
  id: 'secret-in-log',
  accepts: (e) => e.kind === 'job_log',
  async detect(event, ctx) {
    const log = event.payload as ParsedLog | undefined;
    if (!log?.text) return [];
    const path = event.facts.log?.path ?? event.evidenceId;
    const leaks: Leak[] = findLogSecrets(log.text, path, ctx.config).map((s) => ({
      hash: s.hash,
      masked: s.masked,
      title: s.title,
      line: s.line,
      ...(s.encoding && { encoding: s.encoding }),
      confidence: s.validated ? 'high' : s.confidence,
      kind: s.ruleId,
    }));
    const known = new Set(leaks.map((l) => l.hash));
    for (const d of findSecretDumps(cleanLog(log.text))) {
      const hash = createHash('sha256').update(d.value).digest('hex');
      if (known.has(hash)) continue;
      known.add(hash);
      leaks.push({
        hash,
        masked: maskSecret(d.value),
        title: d.kind === 'runner-memory' ? `secret ${d.name} from the runner's memory` : `secret ${d.name} in a dump of the secrets context`,
        line: d.line,
        ...(d.encoding && { encoding: d.encoding }),
        confidence: 'high',
        kind: d.kind,
      });
    }
    if (leaks.length === 0) return [];
    const visibility = event.repository ? await visibilityAt(ctx, event.repository, event) : undefined;
    return leaks.map((l) => leakAlert(event, l, visibility));
  },
};

function leakAlert(event: MonitorEvent, l: Leak, visibility: string | undefined): AlertDraft {
  const job = event.facts.log?.jobName ?? event.facts.job?.name;
  const where = `${job ? `job "${job}"` : 'a job log'}${event.facts.log?.runId !== undefined ? ` of run ${event.facts.log.runId}` : ''}`;
  const scope = event.repository ?? 'unknown repository';
  const via = l.encoding ? ` (${l.encoding.split('>').length > 1 ? 'double ' : ''}${l.encoding.split('>')[0]}-encoded)` : '';
  return draft('secret-in-log', event, {
    severity: visibility === 'public' ? 'critical' : 'high',
    confidence: l.confidence,
    actor: event.actor,
    title: `Secret in the log of ${where} (${scope}): ${l.title}`,
    summary: `${l.masked} (${l.title}) appears${via} at line ${l.line} of ${event.evidenceId}${visibility === 'public' ? '; the repository is public, so anyone can read its logs' : ''}.`,
    response: RESPONSE,
    dedupKey: `${scope}:${l.hash}`,
    evidence: [{ eventId: event.id, line: l.line }],
    details: { secret: l.masked, detector: l.kind, sha256: l.hash, ...(l.encoding && { encoding: l.encoding }) },
  });
}
