import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../config/errors.js';
import { locate, nodePosition, type ConfigPath } from '../config/yaml-paths.js';
import type { Finding } from './finding.js';

/**
 * A baseline records accepted findings by fingerprint (which ignores line numbers), so a
 * project can adopt pipewarden and fail only on new problems. `ruleId`, `file` and `message`
 * are there for reviewers reading the diff of the baseline; only the fingerprint is matched.
 */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
  file: string;
  message: string;
}

export interface BaselineFile {
  version: 1;
  tool: 'pipewarden';
  findings: BaselineEntry[];
}

/** JSON text (2-space indent, trailing newline), one entry per fingerprint, in a stable order. */
export function writeBaseline(findings: Finding[]): string {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const entry = { ruleId: f.ruleId, fingerprint: f.fingerprint, file: f.location.file, message: f.message };
    const prev = byFingerprint.get(f.fingerprint);
    if (!prev || compareEntries(entry, prev) < 0) byFingerprint.set(f.fingerprint, entry);
  }
  const body: BaselineFile = {
    version: BASELINE_VERSION,
    tool: 'pipewarden',
    findings: [...byFingerprint.values()].sort(compareEntries),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** The fingerprints in a baseline; throws ConfigError (with a position when known) if invalid. */
export function parseBaseline(text: string, file: string): Set<string> {
  const src = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch (e) {
    const pos = jsonErrorPosition(src, (e as Error).message);
    throw new ConfigError(file, `baseline is not valid JSON: ${(e as Error).message}`, pos?.line, pos?.column);
  }
  const fail = (message: string, path: ConfigPath): never => {
    // Positions only matter on this error path, so the slower YAML parse (JSON is YAML) is paid here only.
    const lc = new LineCounter();
    const doc = parseDocument(src, { lineCounter: lc, uniqueKeys: false });
    const found = locate(doc, path);
    const pos = nodePosition(lc, found.site) ?? nodePosition(lc, found.key);
    throw new ConfigError(file, message, pos?.line, pos?.column);
  };

  if (!isObject(data)) return fail('baseline must be a JSON object with `version`, `tool` and `findings`', []);
  if (data.tool !== undefined && data.tool !== 'pipewarden') {
    return fail(`not a pipewarden baseline (tool is ${JSON.stringify(data.tool)})`, ['tool']);
  }
  if (data.version !== BASELINE_VERSION) {
    return fail(
      `unsupported baseline version ${JSON.stringify(data.version)}; this pipewarden reads version ${BASELINE_VERSION}`,
      ['version'],
    );
  }
  if (!Array.isArray(data.findings)) return fail('baseline `findings` must be a list', ['findings']);
  const out = new Set<string>();
  data.findings.forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.fingerprint !== 'string' || entry.fingerprint === '') {
      fail(`baseline findings[${i}] must have a non-empty string \`fingerprint\``, ['findings', i]);
    } else {
      out.add(entry.fingerprint);
    }
  });
  return out;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  for (const k of ['file', 'ruleId', 'fingerprint', 'message'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** V8's message names an offset ("at position N") or, in newer versions, "line L column C". */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const m = /at position (\d+)/.exec(message);
  const offset = m ? Number(m[1]) : /Unexpected end of JSON input/.test(message) ? text.length : undefined;
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
