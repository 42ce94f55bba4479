/**
 * The one place SAST touches the secrets engine (whose internals are being reworked): known-format
 * tokens inside string literals, and masking. Only this file changes if the engine's API moves.
 */
import ts from 'typescript';
import type { Confidence, Location } from '../core/finding.js';
import type { PipewardenConfig } from '../config/types.js';
import { maskSecret as mask } from '../secrets/mask.js';
import { SecretScanner } from '../secrets/scan.js';

export interface LiteralSecret {
  location: Location;
  detector: string;
  title: string;
  masked: string;
  confidence: Confidence;
}

let cached: { config: PipewardenConfig; scanner: SecretScanner } | undefined;

function scannerFor(config: PipewardenConfig): SecretScanner {
  if (cached?.config !== config) cached = { config, scanner: new SecretScanner(config) };
  return cached.scanner;
}

/** A short prefix and a fixed mask: never the whole secret. */
export function maskSecret(secret: string): string {
  return mask(secret);
}

/** Known-format secrets (the secrets engine's detectors) that sit inside a string literal of the code. */
export function findSecretLiterals(config: PipewardenConfig, sf: ts.SourceFile, file: string): LiteralSecret[] {
  const hits = scannerFor(config).scan(sf.text, file);
  if (hits.length === 0) return [];
  const out: LiteralSecret[] = [];
  for (const h of hits) {
    const node = literalAt(sf, h.start);
    if (!node) continue;
    const props = h.finding.properties ?? {};
    out.push({
      location: h.finding.location,
      detector: String(props.detector ?? h.finding.ruleId.replace(/^secrets\//, '')),
      title: titleOf(config, h.finding.ruleId),
      masked: mask(h.secret),
      confidence: h.finding.confidence,
    });
  }
  return out;
}

function titleOf(config: PipewardenConfig, ruleId: string): string {
  const meta = scannerFor(config).ruleMetas().find((m) => m.id === ruleId);
  return meta?.title ?? 'A secret';
}

function literalAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (pos < n.getFullStart() || pos >= n.getEnd()) return;
    if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
