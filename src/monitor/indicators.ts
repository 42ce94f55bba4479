/**
 * Compromise indicators shipped as dated data (data/indicators/compromise-indicators.json) and
 * updatable from a file (`--indicators FILE`, same shape; an entry with the same id replaces the
 * shipped one). Validation is strict: a wrong indicator silently matching nothing is worse than
 * an error.
 */
import { readFileSync } from 'node:fs';

export const INDICATORS_FILE = new URL('../../data/indicators/compromise-indicators.json', import.meta.url);

export interface ActionIndicator {
  id: string;
  /** `owner/repo` of each affected action (lower case). */
  actions: string[];
  /** Wrappers: the nested action whose compromise they inherit. */
  via?: string;
  title: string;
  cve?: string;
  advisory?: string;
  compromisedShas: string[];
  /** True when every malicious commit is listed: any other resolved SHA is then safe. */
  shaListComplete: boolean;
  /** Mutable refs that were repointed, or `*` for all. */
  refs: '*' | string[];
  safeRefs: string[];
  window: { start: number; end: number; precision: string };
  notes?: string;
  sources: string[];
}

export interface RepositoryIndicator {
  id: string;
  campaign: string;
  namePattern?: RegExp;
  descriptionPattern?: RegExp;
  dumpFiles: string[];
  sources: string[];
}

export interface WorkflowIndicator {
  id: string;
  campaign: string;
  paths: string[];
  branches: string[];
  /** A common name: only strengthens other signals. */
  weak: boolean;
  sources: string[];
}

export interface RunnerIndicator {
  id: string;
  campaign: string;
  names: string[];
  sources: string[];
}

export interface IndicatorSet {
  updated: string;
  actions: ActionIndicator[];
  repositories: RepositoryIndicator[];
  workflows: WorkflowIndicator[];
  runners: RunnerIndicator[];
}

export class IndicatorError extends Error {}

type Raw = Record<string, unknown>;

function list(v: unknown, what: string): Raw[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object')) throw new IndicatorError(`${what} must be a list of objects`);
  return v as Raw[];
}

function text(o: Raw, key: string, where: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new IndicatorError(`${where}: "${key}" must be a non-empty string`);
  return v;
}

function texts(o: Raw, key: string, where: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new IndicatorError(`${where}: "${key}" must be a list of strings`);
  return v as string[];
}

function regex(o: Raw, key: string, where: string): RegExp | undefined {
  const src = text(o, key, where, false);
  if (src === undefined) return undefined;
  try {
    return new RegExp(src, 'i');
  } catch (e) {
    throw new IndicatorError(`${where}: "${key}" is not a valid regular expression: ${(e as Error).message}`);
  }
}

function when(v: unknown, where: string): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new IndicatorError(`${where} must be an ISO 8601 time`);
  return t;
}

export function parseIndicators(data: unknown, file: string): IndicatorSet {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new IndicatorError(`${file}: not a JSON object`);
  const d = data as Raw;
  const actions = list(d.actions, `${file}: "actions"`).map((a, i): ActionIndicator => {
    const where = `${file}: actions[${i}]`;
    const id = text(a, 'id', where)!;
    const names = a.actions !== undefined ? texts(a, 'actions', where) : [text(a, 'action', where)!];
    if (names.length === 0 || names.some((n) => !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(n))) throw new IndicatorError(`${where}: actions must be owner/repo`);
    const shas = texts(a, 'compromisedShas', where);
    if (shas.some((s) => !/^[0-9a-f]{40}$/i.test(s))) throw new IndicatorError(`${where}: compromisedShas must be full 40-character commit SHAs`);
    const w = a.window as Raw | undefined;
    if (!w || typeof w !== 'object') throw new IndicatorError(`${where}: "window" with "start" and "end" is required`);
    const start = when(w.start, `${where}.window.start`);
    const end = when(w.end, `${where}.window.end`);
    if (end < start) throw new IndicatorError(`${where}: window ends before it starts`);
    const refs = a.refs === '*' || a.refs === undefined ? '*' : texts(a, 'refs', where);
    const sources = texts(a, 'sources', where);
    if (sources.length === 0) throw new IndicatorError(`${where}: at least one source URL is required`);
    return {
      id,
      actions: names.map((n) => n.toLowerCase()),
      ...(typeof a.via === 'string' && { via: a.via.toLowerCase() }),
      title: text(a, 'title', where)!,
      ...(typeof a.cve === 'string' && { cve: a.cve }),
      ...(typeof a.advisory === 'string' && { advisory: a.advisory }),
      compromisedShas: shas.map((s) => s.toLowerCase()),
      shaListComplete: a.shaListComplete === true,
      refs,
      safeRefs: texts(a, 'safeRefs', where),
      window: { start, end, precision: typeof w.precision === 'string' ? w.precision : 'unknown' },
      ...(typeof a.notes === 'string' && { notes: a.notes }),
      sources,
    };
  });
  const repositories = list(d.repositories, `${file}: "repositories"`).map((r, i): RepositoryIndicator => {
    const where = `${file}: repositories[${i}]`;
    const namePattern = regex(r, 'namePattern', where);
    const descriptionPattern = regex(r, 'descriptionPattern', where);
    return {
      id: text(r, 'id', where)!,
      campaign: text(r, 'campaign', where)!,
      ...(namePattern && { namePattern }),
      ...(descriptionPattern && { descriptionPattern }),
      dumpFiles: texts(r, 'dumpFiles', where),
      sources: texts(r, 'sources', where),
    };
  });
  const workflows = list(d.workflows, `${file}: "workflows"`).map((w, i): WorkflowIndicator => {
    const where = `${file}: workflows[${i}]`;
    return {
      id: text(w, 'id', where)!,
      campaign: text(w, 'campaign', where)!,
      paths: texts(w, 'paths', where).map((p) => p.toLowerCase()),
      branches: texts(w, 'branches', where).map((b) => b.toLowerCase()),
      weak: w.weak === true,
      sources: texts(w, 'sources', where),
    };
  });
  const runners = list(d.runners, `${file}: "runners"`).map((r, i): RunnerIndicator => {
    const where = `${file}: runners[${i}]`;
    return { id: text(r, 'id', where)!, campaign: text(r, 'campaign', where)!, names: texts(r, 'names', where).map((n) => n.toLowerCase()), sources: texts(r, 'sources', where) };
  });
  return { updated: typeof d.updated === 'string' ? d.updated : 'unknown', actions, repositories, workflows, runners };
}

function readJson(path: string | URL, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IndicatorError(`${display}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IndicatorError(`${display}: invalid JSON: ${(e as Error).message}`);
  }
}

function merge<T extends { id: string }>(base: T[], extra: T[]): T[] {
  const byId = new Map(base.map((x) => [x.id, x]));
  for (const x of extra) byId.set(x.id, x);
  return [...byId.values()];
}

let shipped: IndicatorSet | undefined;

/** The shipped indicators, plus (replacing by id) those of `extraFile`. */
export function loadIndicators(extraFile?: string): IndicatorSet {
  shipped ??= parseIndicators(readJson(INDICATORS_FILE, 'shipped indicators'), 'compromise-indicators.json');
  if (!extraFile) return shipped;
  const extra = parseIndicators(readJson(extraFile, extraFile), extraFile);
  return {
    updated: extra.updated,
    actions: merge(shipped.actions, extra.actions),
    repositories: merge(shipped.repositories, extra.repositories),
    workflows: merge(shipped.workflows, extra.workflows),
    runners: merge(shipped.runners, extra.runners),
  };
}

export const isFullSha = (ref: string): boolean => /^[0-9a-f]{40}$/i.test(ref);

export interface ActionVerdict {
  indicator: ActionIndicator;
  /** `ran-bad-commit`: the resolved SHA is a published malicious commit; `in-window`: a mutable
   * ref used while the tags pointed at bad code, SHA unknown or not conclusive. */
  kind: 'ran-bad-commit' | 'in-window';
}

/**
 * Did a job that used `action@ref` (resolved to `sha` when known) at `time` run compromised code?
 * A SHA-pinned use of any other commit is safe; a resolved SHA outside a complete list is safe.
 */
export function judgeActionUse(set: IndicatorSet, use: { action: string; ref: string; sha?: string; time: number }): ActionVerdict | undefined {
  const action = use.action.toLowerCase();
  const pinned = isFullSha(use.ref) ? use.ref.toLowerCase() : undefined;
  const sha = use.sha?.toLowerCase() ?? pinned;
  for (const ind of set.actions) {
    if (!ind.actions.includes(action)) continue;
    if (sha && ind.compromisedShas.includes(sha)) return { indicator: ind, kind: 'ran-bad-commit' };
    if (pinned) continue; // pinned to a commit that is not a known bad one
    if (sha && ind.shaListComplete) continue; // resolved to a commit that is not a known bad one
    if (use.time < ind.window.start || use.time > ind.window.end) continue;
    if (ind.safeRefs.includes(use.ref)) continue;
    if (ind.refs !== '*' && !ind.refs.includes(use.ref)) continue;
    return { indicator: ind, kind: 'in-window' };
  }
  return undefined;
}
