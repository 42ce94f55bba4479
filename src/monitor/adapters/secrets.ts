/**
 * The one place the monitor calls the secrets engine (src/secrets is being reworked for speed:
 * only this file should change when its internals move). Job logs are cleaned line by line
 * (timestamps, ANSI colours) so line numbers stay those of the log, then scanned with every
 * provider detector and the decoders (base64, double base64, hex). Results carry a masked form
 * and a hash of each secret, never the secret.
 */
import { DEFAULT_CONFIG, type PipewardenConfig } from '../../config/types.js';
import { cleanLogLine } from '../../secrets/logclean.js';
import { maskSecret } from '../../secrets/mask.js';
import { SecretScanner, secretHash } from '../../secrets/scan.js';
import type { Confidence, Severity } from '../../core/finding.js';

export interface LogSecret {
  /** Secrets-engine rule id (`secrets/github-pat-classic`). */
  ruleId: string;
  /** What the engine calls it (`GitHub personal access token (classic)`). */
  title: string;
  masked: string;
  /** SHA-256 of the secret: the same secret in two logs is one problem. */
  hash: string;
  line: number;
  column: number;
  /** `base64`, `base64>base64`... when the secret was inside an encoded blob. */
  encoding?: string;
  severity: Severity;
  confidence: Confidence;
  /** Checksum or structure verified offline. */
  validated: boolean;
}

let cached: { config: PipewardenConfig; scanner: SecretScanner } | undefined;

function scannerFor(config: PipewardenConfig): SecretScanner {
  if (cached?.config !== config) cached = { config, scanner: new SecretScanner(config) };
  return cached.scanner;
}

/** Strips runner decoration from each line, keeping one output line per input line. */
export function cleanLog(text: string): string {
  return text.split('\n').map(cleanLogLine).join('\n');
}

export function findLogSecrets(text: string, path: string, config: PipewardenConfig = DEFAULT_CONFIG): LogSecret[] {
  const scanner = scannerFor(config);
  const hits = scanner.scan(cleanLog(text), path);
  return hits.map((h) => {
    const props = h.finding.properties ?? {};
    return {
      ruleId: h.finding.ruleId,
      title: h.finding.message.replace(/ \S*\*{8} found.*$/, ''),
      masked: maskSecret(h.secret),
      hash: secretHash(h.secret),
      line: h.finding.location.startLine,
      column: h.finding.location.startColumn,
      ...(typeof props.encoding === 'string' && { encoding: props.encoding }),
      severity: h.finding.severity,
      confidence: h.finding.confidence,
      validated: props.validation === 'valid',
    };
  });
}
