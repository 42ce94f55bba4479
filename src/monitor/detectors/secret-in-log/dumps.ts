/**
 * Secret dumps in job logs that provider patterns miss because the values have no known format:
 *
 * - the runner's own secret records, `"NAME":{"value":"...","isSecret":true}`, which is what the
 *   tj-actions/changed-files and reviewdog payloads printed (double base64 encoded) after reading
 *   the Runner.Worker process memory;
 * - a JSON dump of the `secrets` context (`${{ toJSON(secrets) }}`): an object with a
 *   `github_token` key whose values are not the runner's `***` mask.
 *
 * Both are looked for in the text and inside base64 blobs (three levels deep).
 */
export interface DumpedSecret {
  name: string;
  value: string;
  line: number;
  /** `base64>base64` when found inside encoded text. */
  encoding?: string;
  kind: 'runner-memory' | 'secrets-context';
}

const RUNNER_RECORD = /"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*\{\s*"value"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"isSecret"\s*:\s*true\s*\}/g;
const GITHUB_TOKEN_KEY = /"github_token"\s*:\s*"/i;
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
const MAX_DEPTH = 3;
/** Decoded text budget per log, so a log of base64 cannot make this quadratic. */
const DECODE_BUDGET = 8 << 20;

function unmasked(v: string): boolean {
  return v !== '' && !/^\*+$/.test(v) && !v.includes('***');
}

function unescapeJson(v: string): string {
  try {
    return JSON.parse(`"${v}"`) as string;
  } catch {
    return v;
  }
}

function inText(text: string, line: number, encoding: string | undefined, out: DumpedSecret[]): void {
  if (text.includes('isSecret')) {
    RUNNER_RECORD.lastIndex = 0;
    for (let m = RUNNER_RECORD.exec(text); m; m = RUNNER_RECORD.exec(text)) {
      const value = unescapeJson(m[2]!);
      if (unmasked(value)) out.push({ name: m[1]!, value, line, ...(encoding && { encoding }), kind: 'runner-memory' });
    }
  }
  const key = GITHUB_TOKEN_KEY.exec(text);
  if (key) {
    const obj = enclosingObject(text, key.index);
    if (obj) {
      const entries = Object.entries(obj).filter((e): e is [string, string] => typeof e[1] === 'string');
      if (entries.length >= 2) {
        for (const [name, value] of entries) if (unmasked(value)) out.push({ name, value, line, ...(encoding && { encoding }), kind: 'secrets-context' });
      }
    }
  }
}

/** The smallest `{...}` around `at` that parses as a flat JSON object. */
function enclosingObject(text: string, at: number): Record<string, unknown> | undefined {
  const open = text.lastIndexOf('{', at);
  if (open === -1) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length && i < open + 200_000; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        try {
          const v = JSON.parse(text.slice(open, i + 1)) as unknown;
          return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

function decodeBase64Text(blob: string): string | undefined {
  const buf = Buffer.from(blob, 'base64');
  if (buf.length < 16) return undefined;
  let printable = 0;
  for (const b of buf) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc0) printable++;
  return printable / buf.length > 0.95 ? buf.toString('utf8') : undefined;
}

/** Scans a (cleaned) log; `lines` are its lines, 1-based positions are reported. */
export function findSecretDumps(text: string): DumpedSecret[] {
  const out: DumpedSecret[] = [];
  let budget = DECODE_BUDGET;
  const lines = text.split('\n');
  const visit = (s: string, line: number, encoding: string | undefined, depth: number): void => {
    inText(s, line, encoding, out);
    if (depth >= MAX_DEPTH) return;
    BASE64_RUN.lastIndex = 0;
    const blobs = s.match(BASE64_RUN) ?? [];
    for (const blob of blobs) {
      if (budget <= 0) return;
      if (!/[A-Z]/.test(blob) || !/[a-z]/.test(blob) || !/[0-9+/]/.test(blob)) continue;
      const decoded = decodeBase64Text(blob);
      if (decoded === undefined) continue;
      budget -= decoded.length;
      visit(decoded, line, encoding ? `${encoding}>base64` : 'base64', depth + 1);
    }
  };
  lines.forEach((l, i) => {
    if (l.length < 20) return;
    visit(l, i + 1, undefined, 0);
  });
  return out;
}
