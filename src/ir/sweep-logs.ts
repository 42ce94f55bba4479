/**
 * `ir sweep-logs`: secret-in-log over a folder or zip of logs, offline, without a store: the
 * same checks as the detector (secrets engine, runner memory dumps, secrets-context dumps).
 * Findings carry a masked value and the secret's SHA-256, never the secret.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic, Finding } from '../core/finding.js';
import { fingerprintOf } from '../core/fingerprint.js';
import type { PipewardenConfig } from '../config/types.js';
import { cleanLog, findLogSecrets } from '../monitor/adapters/secrets.js';
import { findSecretDumps } from '../monitor/detectors/secret-in-log/dumps.js';
import { readLogs } from '../monitor/sources/logs.js';
import { maskSecret } from '../secrets/mask.js';

export interface SweepResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  logs: number;
  bytes: number;
}

export async function sweepLogs(path: string, display: string, config: PipewardenConfig): Promise<SweepResult> {
  const diagnostics: Diagnostic[] = [];
  const files = await readLogs(path, display, (d) => diagnostics.push(d));
  const findings: Finding[] = [];
  let bytes = 0;
  for (const f of files) {
    bytes += f.raw.length;
    const text = f.raw.toString('utf8');
    const file = files.length === 1 && f.meta.path === display ? display : `${display.replace(/\/$/, '')}/${f.meta.path}`;
    const seen = new Set<string>();
    const add = (hash: string, title: string, masked: string, line: number, severity: Finding['severity'], confidence: Finding['confidence'], detector: string, encoding?: string): void => {
      if (seen.has(`${hash}:${line}`)) return;
      seen.add(`${hash}:${line}`);
      findings.push({
        ruleId: 'monitor/secret-in-log',
        severity,
        confidence,
        message: `${title} ${masked} printed in a job log${encoding ? ` (inside ${encoding.replace(/>/g, ' inside ')})` : ''}`,
        location: { file, startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
        related: [],
        owasp: ['CICD-SEC-6', 'CICD-SEC-10'],
        cwe: ['CWE-532'],
        fingerprint: fingerprintOf('monitor/secret-in-log', file, hash),
        properties: { detector, sha256: hash, ...(encoding && { encoding }), ...(f.meta.truncated && { truncated: true }) },
      });
    };
    const engine = findLogSecrets(text, f.meta.path, config);
    for (const s of engine) add(s.hash, s.title, s.masked, s.line, s.severity, s.validated ? 'high' : s.confidence, s.ruleId, s.encoding);
    const known = new Set(engine.map((s) => s.hash));
    for (const d of findSecretDumps(cleanLog(text))) {
      const hash = createHash('sha256').update(d.value).digest('hex');
      if (known.has(hash)) continue;
      add(hash, d.kind === 'runner-memory' ? `Secret ${d.name} from the runner's memory` : `Secret ${d.name} from a dump of the secrets context`, maskSecret(d.value), d.line, 'high', 'high', d.kind, d.encoding);
    }
  }
  return { findings, diagnostics, logs: files.length, bytes };
}
