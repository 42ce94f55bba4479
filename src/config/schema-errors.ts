import type { ErrorObject } from 'ajv';
import { displayPath, type ConfigPath } from './yaml-paths.js';

/** One schema violation in user terms: where (key or value at `path`) and what is wrong. */
export interface SchemaProblem {
  path: ConfigPath;
  /** Point at the key itself (unknown keys) rather than its value. */
  atKey: boolean;
  message: string;
}

function pointerToPath(pointer: string): ConfigPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  integer: 'an integer',
};

function describe(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

export function toProblem(e: ErrorObject): SchemaProblem {
  const path = pointerToPath(e.instancePath);
  const where = displayPath(path);
  const last = path[path.length - 1];
  const p = e.params as Record<string, unknown>;
  // Errors inside `propertyNames` carry the offending key; point at it, whatever the keyword.
  const propertyName = e.propertyName ?? p.propertyName;
  if (propertyName !== undefined) {
    return { path: [...path, String(propertyName)], atKey: true, message: `${where} has an empty rule id` };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = suggest(key, allowed);
      return {
        path: [...path, key],
        atKey: true,
        message:
          `unknown key \`${key}\` in ${where}` +
          (hint ? `; did you mean \`${hint}\`?` : allowed.length ? `; expected one of: ${allowed.join(', ')}` : ''),
      };
    }
    case 'required': {
      const key = String(p.missingProperty);
      const why = key === 'reason' ? ' (every ignore must say why the finding is acceptable)' : '';
      return { path, atKey: false, message: `${where} is missing the required key \`${key}\`${why}` };
    }
    case 'enum':
      return {
        path,
        atKey: false,
        message: `${where} must be one of ${(p.allowedValues as unknown[]).join(', ')} (got ${describe(e.data)})`,
      };
    case 'type':
      return { path, atKey: false, message: `${where} must be ${TYPE_NAMES[String(p.type)] ?? p.type} (got ${describe(e.data)})` };
    case 'minLength':
      return { path, atKey: false, message: `${where} must not be empty` };
    case 'pattern':
      if (last === 'expires') return { path, atKey: false, message: `${where} must be a date written YYYY-MM-DD (got ${describe(e.data)})` };
      if (last === 'id') {
        return { path, atKey: false, message: `${where} must start with a letter or digit and use only letters, digits, '.', '_' and '-' (got ${describe(e.data)})` };
      }
      return { path, atKey: false, message: `${where} must not be blank` };
    default:
      return { path, atKey: false, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/** Closest allowed key within a small edit distance, for typos like `serverity`. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
