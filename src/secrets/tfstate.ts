/**
 * Terraform state (`*.tfstate`) keeps resource attributes in clear text, including the ones the
 * configuration marks sensitive. This reports those values (and well-known sensitive attribute
 * names, for older states without `sensitive_attributes`) at their position in the file.
 */
import type { Deadline } from './budget.js';
import type { Emit } from './containers.js';
import { entropyOf, isPlaceholder } from './heuristics.js';

export function findTfstateSecrets(text: string, emit: Emit, deadline: Deadline): void {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return;
  }
  // Any JSON parses here: `null`, a number or a string is a state with nothing in it.
  if (state === null || typeof state !== 'object') return;
  const values: string[] = [];
  const s = state as { resources?: unknown; outputs?: unknown };
  if (Array.isArray(s.resources)) {
    for (const r of s.resources as Array<{ instances?: unknown }>) {
      if (!Array.isArray(r?.instances)) continue;
      for (const inst of r.instances as Array<{ attributes?: unknown; sensitive_attributes?: unknown }>) {
        collectSensitive(inst?.attributes, inst?.sensitive_attributes, values);
      }
    }
  }
  if (s.outputs && typeof s.outputs === 'object') {
    for (const o of Object.values(s.outputs as Record<string, { sensitive?: unknown; value?: unknown }>)) {
      if (o?.sensitive === true) collectStrings(o.value, values);
    }
  }
  let from = 0;
  const seen = new Set<string>();
  for (const v of values) {
    deadline.tick();
    if (v.length < 6 || isPlaceholder(v) || seen.has(v)) continue;
    seen.add(v);
    const needle = JSON.stringify(v);
    const at = text.indexOf(needle, from) === -1 ? text.indexOf(needle) : text.indexOf(needle, from);
    if (at === -1) continue;
    from = at + needle.length;
    emit(v, at + 1, at + needle.length - 1, entropyOf(v) >= 3.5 ? 'high' : 'medium');
  }
}

/** Attribute names that are sensitive in common providers even when the state does not say so (older states). */
const TF_SENSITIVE = /^(?:password|master_password|admin_password|administrator_login_password|secret|client_secret|access_key|secret_key|secret_access_key|private_key|private_key_pem|private_key_openssh|token|auth_token|api_key|primary_access_key|secondary_access_key|primary_connection_string|secondary_connection_string|connection_string|ses_smtp_password_v4|key_material)$/;

function collectSensitive(attributes: unknown, sensitive: unknown, out: string[]): void {
  if (!attributes || typeof attributes !== 'object') return;
  const attrs = attributes as Record<string, unknown>;
  for (const [k, v] of Object.entries(attrs)) if (TF_SENSITIVE.test(k)) collectStrings(v, out);
  if (!Array.isArray(sensitive)) return;
  // Terraform writes a list of paths; each path is a list of steps ({type:'get_attr', value:'password'}).
  const paths = sensitive.every((p) => Array.isArray(p)) ? (sensitive as unknown[][]) : [sensitive as unknown[]];
  for (const path of paths) {
    let cur: unknown = attrs;
    for (const step of path as Array<{ type?: string; value?: unknown }>) {
      if (cur === undefined || cur === null || typeof cur !== 'object') break;
      const key = step?.type === 'index' && step.value && typeof step.value === 'object' ? (step.value as { value?: unknown }).value : step?.value;
      cur = (cur as Record<string, unknown>)[String(key)];
    }
    collectStrings(cur, out);
  }
}

function collectStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > 8 || out.length > 10_000) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
}
