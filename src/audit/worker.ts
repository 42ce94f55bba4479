import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInput } from './parallel.js';
import { auditRepository, type AuditResult } from './pipeline.js';

const input = workerData as WorkerInput;
const out: AuditResult = { findings: [], diagnostics: [] };
for (const group of input.groups) {
  const r = auditRepository(group, input.config, input.online, process.cwd(), input.facts);
  out.findings.push(...r.findings);
  out.diagnostics.push(...r.diagnostics);
}
parentPort!.postMessage(out);
