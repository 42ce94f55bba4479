/**
 * The secrets scan engine: config → detectors, text → Findings. Every message, property and
 * fingerprint is built from the masked secret or its SHA-256, never from the secret itself.
 */
import { createHash } from 'node:crypto';
import type { Finding, Location, Severity } from '../core/finding.js';
import { fingerprintOf } from '../core/fingerprint.js';
import type { RuleMeta } from '../core/rule.js';
import { ConfigError } from '../config/errors.js';
import type { PipewardenConfig } from '../config/types.js';
import { DETECTORS } from './detectors/index.js';
import { maskSecret } from './mask.js';
import type { Detector } from './types.js';
import { CONTAINER_METAS } from './containers.js';
import { findSecrets, type EngineOptions, type SecretHit } from './engine.js';
import { LineIndex } from './positions.js';
import type { Deadline } from './budget.js';

export const SECRETS_OWASP = ['CICD-SEC-6'];
export const SECRETS_CWE = ['CWE-798'];
export const SECRETS_README = new URL('./README.md', import.meta.url);

interface DetectorInfo {
  id: string;
  title: string;
  family: string;
  severity: Severity;
  confidence: Finding['confidence'];
}

/** Where a hit was found, beyond the file: history scans fill in the commit. */
export interface HitContext {
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
}

/** A finding plus the secret it is about, kept in memory only (for --verify), never rendered. */
export interface SecretFinding {
  finding: Finding;
  secret: string;
  /** Span of the hit in the scanned text (for redacted code frames). */
  start: number;
  end: number;
}

export class SecretScanner {
  readonly engine: EngineOptions;
  private readonly info = new Map<string, DetectorInfo>();

  constructor(config: PipewardenConfig, opts: { decode?: boolean } = {}) {
    const user = userDetectors(config);
    for (const d of [...DETECTORS, ...user]) this.info.set(d.id, d);
    for (const c of CONTAINER_METAS) if (!this.info.has(c.id)) this.info.set(c.id, c);
    this.engine = { detectors: [...DETECTORS, ...user], allow: allowList(config), decode: opts.decode };
  }

  /**
   * Scans one text. `lineOf` maps an offset to a 1-based position (default: in `text` itself).
   * With a `deadline`, throws ScanTimeout (budget.ts) when it passes.
   */
  scan(text: string, file: string, ctx: HitContext = {}, lineOf?: (offset: number) => { line: number; column: number }, deadline?: Deadline): SecretFinding[] {
    return this.findings(this.hits(text, file, deadline), text, file, ctx, lineOf);
  }

  /** The engine's hits in `text`, by offset. */
  hits(text: string, file: string, deadline?: Deadline): SecretHit[] {
    return findSecrets(text, file, this.engine, deadline);
  }

  /** Findings for hits in `text` (see scan). */
  findings(hits: SecretHit[], text: string, file: string, ctx: HitContext = {}, lineOf?: (offset: number) => { line: number; column: number }): SecretFinding[] {
    if (hits.length === 0) return [];
    const index = lineOf ? undefined : new LineIndex(text);
    const at = lineOf ?? ((o: number) => index!.at(o));
    return hits.map((h) => {
      const s = at(h.start);
      const e = at(h.end);
      const location: Location = { file, startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
      return { finding: this.toFinding(h, location, ctx), secret: h.secret, start: h.start, end: h.end };
    });
  }

  toFinding(hit: SecretHit, location: Location, ctx: HitContext): Finding {
    const det = this.info.get(hit.detectorId);
    const ruleId = `secrets/${hit.detectorId}`;
    const title = det?.title ?? hit.detectorId;
    const via = hit.encoding ? ` (inside ${hit.encoding.replace(/>/g, ' inside ')})` : '';
    // Containers that know the value's key (a Kubernetes Secret's `db-password`) name it.
    const key = hit.detectorId === 'kubernetes-secret' ? hit.validation.properties?.['key'] : undefined;
    const under = key !== undefined ? ` under key "${key}"` : '';
    const properties: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(hit.validation.properties ?? {})) properties[k] = v;
    Object.assign(properties, {
      detector: hit.detectorId,
      // `passed`: an offline checksum or structure check says this is a well-formed token of its
      // kind (not a typo or a placeholder). It says nothing about whether the token works: that is
      // `verified`, from --verify. The old name, `validation: valid`, read like "verified live".
      formatCheck: hit.validation.status === 'valid' ? 'passed' : 'none',
      ...(hit.encoding && { encoding: hit.encoding }),
      ...(ctx.commit && { commit: ctx.commit }),
      ...(ctx.author !== undefined && { author: ctx.author }),
      ...(ctx.email !== undefined && { email: ctx.email }),
      ...(ctx.date && { date: ctx.date }),
    });
    return {
      ruleId,
      severity: hit.severity,
      confidence: hit.confidence,
      message: `${title} ${maskSecret(hit.secret)}${under} found${via}`,
      location,
      related: [],
      owasp: [...SECRETS_OWASP],
      cwe: [...SECRETS_CWE],
      // The secret's hash, not its position or commit: the same secret in the same file is one identity.
      fingerprint: fingerprintOf(ruleId, location.file, secretHash(hit.secret)),
      properties,
    };
  }

  /** Short Markdown help for one rule (SARIF help); the long form is README.md. */
  docsFor(ruleId: string): string | undefined {
    const det = this.info.get(ruleId.replace(/^secrets\//, ''));
    return det ? ruleDocs(det) : undefined;
  }

  /** One RuleMeta per detector (built-in, container and user-defined), sorted by id. */
  ruleMetas(): RuleMeta[] {
    return [...this.info.values()].map(toRuleMeta).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function ruleDocs(d: DetectorInfo): string {
  return [
    `# ${d.title}`,
    '',
    `Detector \`${d.id}\` (${d.family}) found a credential in the scanned text.`,
    '',
    'Treat a leaked credential as compromised: revoke or rotate it at the provider first, then remove it',
    'from the code (and from git history if it was committed), and load it from a secret store or a CI',
    'secret instead. Run with `--verify` to learn whether it still works.',
    '',
    'A false positive can be allowed with `pipewarden:allow` in a comment on the same line, or with',
    '`secrets.allow` (regexes) and `secrets.paths-ignore` (globs) in the config. See `pipewarden rules` and',
    'the secrets scanner README for every detector.',
    '',
  ].join('\n');
}

function toRuleMeta(d: DetectorInfo): RuleMeta {
  return {
    id: `secrets/${d.id}`,
    title: d.title,
    platform: 'secrets',
    severity: d.severity,
    confidence: d.confidence,
    owasp: [...SECRETS_OWASP],
    cwe: [...SECRETS_CWE],
    fixable: false,
    online: false,
    docs: SECRETS_README,
    locationIsSecret: true,
  };
}

/** Rule metadata for `pipewarden rules` and SARIF: every built-in and container detector. */
export function secretRuleMetas(config?: PipewardenConfig): RuleMeta[] {
  const info = new Map<string, DetectorInfo>();
  for (const d of DETECTORS) info.set(d.id, d);
  for (const c of CONTAINER_METAS) if (!info.has(c.id)) info.set(c.id, c);
  if (config) for (const d of userDetectors(config)) info.set(d.id, d);
  return [...info.values()].map(toRuleMeta).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function allowList(config: PipewardenConfig): RegExp[] {
  return (config.secrets.allow ?? []).map((src) => {
    try {
      return new RegExp(src);
    } catch (e) {
      throw new ConfigError(config.source ?? 'config', `secrets.allow: invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message}`);
    }
  });
}

/** `secrets.detectors` from config. The loader has already rejected unsafe regexes. */
function userDetectors(config: PipewardenConfig): Detector[] {
  const builtIn = new Set([...DETECTORS.map((d) => d.id), ...CONTAINER_METAS.map((c) => c.id)]);
  return (config.secrets.detectors ?? []).map((d) => {
    if (builtIn.has(d.id)) {
      throw new ConfigError(config.source ?? 'config', `secrets.detectors: id "${d.id}" is a built-in detector; choose another id`);
    }
    let regex: RegExp;
    try {
      regex = new RegExp(d.regex, 'g');
    } catch (e) {
      throw new ConfigError(config.source ?? 'config', `secrets.detectors.${d.id}: invalid regular expression: ${(e as Error).message}`);
    }
    return {
      id: d.id,
      title: `Custom secret (${d.id})`,
      family: 'custom',
      keywords: (d.keywords ?? []).map((k) => k.toLowerCase()),
      regex,
      severity: d.severity ?? 'high',
      confidence: 'medium',
    };
  });
}
