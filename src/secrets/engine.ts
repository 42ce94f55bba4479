/**
 * One text in, every secret in it out: provider detectors (detect.ts), container detectors
 * (containers.ts), then the same again inside decoded blobs (decode.ts), with hits inside a blob
 * mapped back to the blob's span. Overlapping hits for the same secret are merged.
 */
import { confidenceRank, severityRank } from '../core/finding.js';
import { detectSecrets } from './detect.js';
import type { Detector, SecretMatch } from './types.js';
import { CONTAINER_KEYWORDS, findContainerSecrets } from './containers.js';
import { findEncodedBlobs, type DecodeBudget } from './decode.js';
import { KeywordPrefilter, type Window } from './prefilter.js';
import { Deadline, testFrom0 } from './budget.js';
import { publicExample } from './detectors/public-examples.js';

export interface SecretHit extends SecretMatch {
  /** Encodings peeled off to reach the secret, outermost first (`base64`, `base64>hex`); absent when verbatim. */
  encoding?: string;
}

export interface EngineOptions {
  detectors: Detector[];
  allow: RegExp[];
  /** Look inside encoded blobs (default true). */
  decode?: boolean;
}

/** Nesting limit for encoded blobs: base64 inside base64 is common (k8s secrets), deeper is noise. */
export const MAX_DECODE_DEPTH = 2;

/**
 * Every secret in `text` (the file `path`, or a display name). With a `deadline`, throws
 * ScanTimeout (budget.ts) naming the detector or decoder that was running when it passed.
 */
export function findSecrets(text: string, path: string, opts: EngineOptions, deadline: Deadline = Deadline.none()): SecretHit[] {
  const budget: DecodeBudget = { remaining: Math.max(1 << 20, text.length) };
  return dedupe(scanLevel(text, path, opts, 0, budget, deadline), opts.detectors);
}

const prefilters = new WeakMap<readonly Detector[], KeywordPrefilter>();

/**
 * detectSecrets, but only with the detectors whose keywords occur, and only on their windows.
 * Also returns which container detectors' keywords occur (same pass).
 */
export function detectWithPrefilter(
  text: string,
  detectors: Detector[],
  allow: RegExp[],
  deadline: Deadline = Deadline.none(),
): { matches: SecretMatch[]; containers: Set<string>; runs: number[] } {
  let pre = prefilters.get(detectors);
  if (!pre) prefilters.set(detectors, (pre = new KeywordPrefilter(detectors, CONTAINER_KEYWORDS)));
  const prev = deadline.enter('prefilter');
  const { detectors: active, windows, extras, runs, own } = pre.run(text);
  deadline.leave(prev);
  return { matches: active.length === 0 ? [] : detectInWindows(text, active, windows, own, allow, deadline), containers: extras, runs };
}

/**
 * Runs the active detectors over the windows joined, except those that need only the lines
 * holding their own keywords (`own`, see ownLinesSuffice): they run over those lines of `text`
 * (a line is a tenth of the windows on the bench corpus), their hits moved to where the same
 * line is in the joined windows, so overlap resolution and offsets are as if they ran there.
 */
function detectInWindows(text: string, active: Detector[], windows: Window[], own: Array<number[] | undefined>, allow: RegExp[], deadline: Deadline): SecretMatch[] {
  let covered = 0;
  for (const w of windows) covered += w.end - w.start;
  // Mostly covered anyway: scanning the text as is saves the copy and the offset mapping.
  if (covered > text.length * 0.6) return detectSecrets(text, { detectors: active, allow, deadline, prefiltered: true, own: { source: text, lines: own, toLocal: (o) => o } });
  const parts: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (const w of windows) {
    starts.push(at);
    parts.push(text.slice(w.start, w.end));
    at += w.end - w.start + 1;
  }
  const toOriginal = (o: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return windows[lo]!.start + Math.min(o - starts[lo]!, windows[lo]!.end - windows[lo]!.start);
  };
  // An own line lies inside one window (each keyword's line is part of the windows).
  const toLocal = (o: number): number => {
    let lo = 0;
    let hi = windows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (windows[mid]!.start <= o) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo]! + o - windows[lo]!.start;
  };
  return detectSecrets(parts.join('\n'), { detectors: active, allow, deadline, prefiltered: true, own: { source: text, lines: own, toLocal } }).map((m) => ({ ...m, start: toOriginal(m.start), end: toOriginal(m.end) }));
}

function scanLevel(text: string, path: string, opts: EngineOptions, depth: number, budget: DecodeBudget, deadline: Deadline): SecretHit[] {
  const { matches, containers, runs } = detectWithPrefilter(text, opts.detectors, opts.allow, deadline);
  const hits: SecretHit[] = matches;
  // Container formats are recognised by file name at the top level; inside a blob only the
  // name-independent ones (URLs, docker auths...) can match, which is what we want.
  const vetoed: Array<[number, number]> = [];
  for (const m of findContainerSecrets(text, depth === 0 ? path : '', containers, deadline, vetoed)) {
    if (!isAllowed(m.secret, opts.allow)) hits.push(m);
  }
  // A container that decoded a value and found no secret in it (a Kubernetes Secret's
  // `username: YWRtaW4=`): the encoded text is no key=value literal for the generic detectors.
  if (vetoed.length > 0) {
    for (let i = hits.length - 1; i >= 0; i--) {
      const h = hits[i]!;
      if (tier(h.detectorId, opts.detectors) <= 2 && vetoed.some(([a, b]) => h.start < b && h.end > a)) hits.splice(i, 1);
    }
  }
  if (opts.decode !== false && depth < MAX_DECODE_DEPTH) {
    for (const blob of findEncodedBlobs(text, budget, runs, deadline)) {
      // Inside a blob, stages are named by the path through the encodings: `base64 blob > detector x`.
      const outer = deadline.nest(`${blob.encoding} blob`);
      const inners = scanLevel(blob.decoded, '', opts, depth + 1, budget, deadline);
      deadline.unnest(outer);
      for (const inner of inners) {
        hits.push({
          ...inner,
          start: blob.start,
          end: blob.end,
          encoding: inner.encoding ? `${blob.encoding}>${inner.encoding}` : blob.encoding,
        });
      }
    }
  }
  return hits.filter((h) => !isMaskedValue(h.secret) && publicExample(h.secret) === undefined);
}

function isAllowed(secret: string, allow: RegExp[]): boolean {
  return allow.some((re) => testFrom0(re, secret));
}

/** CI logs print `***` for masked secrets; a candidate containing that is the mask, not the secret. */
function isMaskedValue(secret: string): boolean {
  return secret.includes('***') || /^\*+$/.test(secret);
}

/**
 * Which of two hits for the same problem to keep. Provider detectors say the most (and can be
 * verified); then container detectors that know the format (`.npmrc`, docker auths, URLs,
 * kubeconfig keys); then format-only detectors (PEM, JWT); then the generic key=value
 * detectors; last, the generic container ones (.env, config keys).
 */
const SPECIFIC_CONTAINERS = new Set(['kubernetes-secret', 'docker-config-auth', 'npmrc-auth', 'pypirc-password', 'kubeconfig-token', 'kubeconfig-client-key', 'tfstate-sensitive', 'putty-private-key', 'url-credentials', 'connection-string']);
const GENERIC_CONTAINERS = new Set(['dotenv-secret', 'config-secret']);
const families = new WeakMap<readonly Detector[], Map<string, string>>();

function tier(id: string, detectors: readonly Detector[]): number {
  if (SPECIFIC_CONTAINERS.has(id)) return 4;
  if (GENERIC_CONTAINERS.has(id)) return 0;
  let map = families.get(detectors);
  if (!map) families.set(detectors, (map = new Map(detectors.map((d) => [d.id, d.family]))));
  const family = map.get(id);
  return family === 'generic' ? 2 : family === 'crypto' ? 3 : 6;
}

function rankOf(h: SecretHit, detectors: readonly Detector[]): number {
  return tier(h.detectorId, detectors) * 1000 + confidenceRank(h.confidence) * 100 + severityRank(h.severity) * 10 + (h.encoding ? 0 : 1);
}

/**
 * Two overlapping hits are one problem when one secret contains the other (`user:ghp_x` from a
 * docker auth and `ghp_x` from the GitHub detector), or when one was decoded from inside the
 * other (`token: <base64>` seen as a config value and, decoded, as a GitHub token).
 */
function sameProblem(a: SecretHit, b: SecretHit): boolean {
  const inside = (x: SecretHit, y: SecretHit): boolean => x.start >= y.start && x.end <= y.end;
  // Two detectors claiming exactly the same text (a Secret's base64 value, read decoded by its
  // container and verbatim by a key=value detector) saw one secret.
  if (a.start === b.start && a.end === b.end) return true;
  if (a.secret.includes(b.secret) || b.secret.includes(a.secret) || (a.encoding !== undefined && inside(a, b)) || (b.encoding !== undefined && inside(b, a))) return true;
  // The same detector matching verbatim inside an encoded blob and again in its decoding (a PEM
  // key in a JSON string, read once with its `\n` escapes and once unescaped) saw one secret
  // twice: the two texts differ only by the encoding, so neither contains the other.
  return a.detectorId === b.detectorId && ((a.encoding !== undefined && b.encoding === undefined && inside(b, a)) || (b.encoding !== undefined && a.encoding === undefined && inside(a, b)));
}

/** Keeps the better of each group of hits that are the same problem (see sameProblem). */
export function dedupe(hits: SecretHit[], detectors: readonly Detector[]): SecretHit[] {
  const rank = (h: SecretHit): number => rankOf(h, detectors);
  hits.sort((a, b) => a.start - b.start || b.end - a.end || rank(b) - rank(a));
  const kept: SecretHit[] = [];
  for (const h of hits) {
    let merged = false;
    // Overlapping hits are neighbours in start order; a short look-back keeps this linear on hit-dense files.
    for (let i = kept.length - 1; i >= Math.max(0, kept.length - 64); i--) {
      const k = kept[i]!;
      if (k.end <= h.start || h.end <= k.start) continue;
      if (!sameProblem(h, k)) continue;
      if (rank(h) > rank(k)) kept[i] = h;
      merged = true;
      break;
    }
    if (!merged) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end || (a.detectorId < b.detectorId ? -1 : 1));
}
