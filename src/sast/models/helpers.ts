/** Small building blocks the library models share. */
import type { TaintRule } from '../kinds.js';
import { EMPTY, join, type Value } from '../values.js';
import type { ApiModel, CallCtx, SinkOptions } from './types.js';

/** A function whose argument `i` (default 0) is a sink; returns `returns` (an API type) if given. */
export function sinkFn(rule: TaintRule, args: number[] = [0], opts: SinkOptions & { returns?: string } = {}): ApiModel {
  return {
    call: (c) => {
      for (const i of args) {
        const at = c.argNodes[i < 0 ? c.args.length + i : i];
        c.sink(rule, c.arg(i < 0 ? c.args.length + i : i), at, opts);
      }
      return opts.returns ? c.api(opts.returns) : undefined;
    },
  };
}

/** A function returning its (string) arguments' taints cleaned for `kinds`. */
export function sanitizerFn(kinds: number, args: number[] = [0]): ApiModel {
  return { call: (c) => c.clean(c.propagate(...args.map((i) => c.arg(i))), kinds) };
}

/** A function returning its arguments' taints unchanged (a formatting library). */
export function propagatorFn(args: number[] | 'all' = [0]): ApiModel {
  return { call: (c) => c.propagate(...(args === 'all' ? c.args : args.map((i) => c.arg(i)))) };
}

/** A method that returns its receiver's type (builder chains: res.status(404).send(...)). */
export function chain(type: string): ApiModel {
  return { call: (c) => c.api(type) };
}

/** Calls every function among the arguments with these values (node-style callbacks). */
export function callbacks(c: CallCtx, args: Value[]): Value {
  let out: Value = EMPTY;
  for (const a of c.args) if (a.fns?.length) out = join(out, c.call(a, args));
  return out;
}

export function lastFnIndex(c: CallCtx): number {
  for (let i = c.args.length - 1; i >= 0; i--) if (c.args[i]!.fns?.length) return i;
  return -1;
}

/** `{ key: value }` in an options argument, or undefined when absent/unknown. */
export function option(c: CallCtx, i: number, key: string): Value | undefined {
  const v = c.arg(i);
  if (!v.objs?.length) return undefined;
  for (const o of v.objs) if (o.props.has(key)) return c.prop(v, key);
  return undefined;
}

/** True when an options argument sets `key` to something truthy we can see (`shell: true`). */
export function optionTrue(c: CallCtx, i: number, key: string): boolean {
  const v = option(c, i, key);
  if (!v) return false;
  if (v.str !== undefined) return v.str !== '';
  // `true`, or any non-constant: be conservative and treat an unknown as set only when it is a literal true
  const node = c.argNodes[i];
  return !!node && new RegExp(`\\b${key}\\s*:\\s*(?:true|['"\`][^'"\`]+['"\`])`).test(node.getText());
}

/**
 * The table a SQL text talks about, from its constant parts; for a write, the columns it sets when
 * the text names them all (`INSERT INTO t (a, b)`, `UPDATE t SET a = ?, b = ?`), else undefined.
 */
export function sqlTable(text: string): { table: string; write: boolean; read: boolean; columns?: string[] } | undefined {
  const m = /\b(?:from|into|update|join|table)\s+[`"[]?([A-Za-z_][\w.]*)/i.exec(text);
  if (!m) return undefined;
  const verb = /^\s*\(?\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  const write = ['insert', 'update', 'replace', 'upsert', 'merge'].includes(verb);
  const columns = write ? writtenColumns(text) : undefined;
  return { table: m[1]!.toLowerCase().replace(/^.*\./, ''), write, read: verb === 'select' || verb === 'with', ...(columns && { columns }) };
}

const COLUMN = /^[`"[]?([A-Za-z_]\w*)[`"\]]?$/;

/** Columns of `INSERT/REPLACE INTO t (a, b) VALUES` or `UPDATE t SET a = ..., b = ... WHERE`, when all are plain names. */
function writtenColumns(text: string): string[] | undefined {
  const list = /^\s*(?:insert|replace)\b[^(]*?\binto\s+\S+\s*\(([^)]*)\)\s*(?:values|select)\b/i.exec(text)?.[1]?.split(',')
    ?? /^\s*update\s+\S+\s+set\s+(.*?)(?:\bwhere\b|\breturning\b|$)/is.exec(text)?.[1]?.split(',').map((a) => (a.includes('=') ? a.slice(0, a.indexOf('=')) : '\0'));
  if (!list) return undefined;
  const out: string[] = [];
  for (const c of list) {
    const name = COLUMN.exec(c.trim())?.[1];
    if (!name) return undefined;
    out.push(name.toLowerCase());
  }
  return out.length ? out : undefined;
}

/** The SQL text of a query argument as written (constant parts survive concatenation). */
export function sqlText(c: CallCtx, i: number): string {
  const v = c.arg(i);
  if (v.str !== undefined) return v.str;
  return c.argNodes[i]?.getText() ?? '';
}
