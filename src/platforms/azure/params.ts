import type { Node } from 'yaml';
import type { Context } from './model.js';

/*
 * Template parameters followed to the value a caller (or a default) gives them, for names that
 * decide whether a job is privileged or restricted: a service connection passed down as
 * `azureSubscription: ${{ parameters.serviceConnection }}` (dotnet/arcade style), a field of an
 * object parameter (`${{ parameters.signingIdentity.serviceName }}`), a job `condition:` given as a
 * parameter. Only scalars are substituted; anything else stays as written.
 */

const MAX_HOPS = 20;
const REF = /\$\{\{\s*parameters(?:\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)|\[\s*'([^']+)'\s*\])\s*\}\}/g;

/**
 * The node `parameters.<path>` stands for in `ctx` and the context it was written in, following
 * whole-value `${{ parameters.Y }}` arguments from template to template. `null` value: the path
 * names a field the object does not have (Azure expands it to the empty string); `undefined`:
 * no binding is known.
 */
export function parameterNode(path: string, ctx: Context, hops = 0): { value: Node | null; ctx: Context } | undefined {
  const [head, ...fields] = path.split('.');
  const b = ctx.params.get(head!.toLowerCase());
  if (!b || hops > MAX_HOPS) return undefined;
  // Declared without a default and not passed: whoever queues the run (or the expansion) decides.
  if (b.value === null && fields.length === 0) return undefined;
  let value = b.value;
  const at = b.ctx;
  for (let i = 0; i < fields.length; i++) {
    const text = at.view.text(value);
    const whole = text === undefined ? undefined : /^\s*\$\{\{\s*parameters\.([A-Za-z_][\w.-]*)\s*\}\}\s*$/.exec(text);
    if (whole) {
      // The argument is itself another template's parameter: continue there with the rest.
      return parameterNode([whole[1]!, ...fields.slice(i)].join('.'), at, hops + 1);
    }
    if (!at.view.map(value)) return value === null ? { value: null, ctx: at } : undefined;
    const field = fields[i]!.toLowerCase();
    value = at.view.pairs(value).find((p) => p.key.toLowerCase() === field)?.value ?? null;
    if (value === null) return { value: null, ctx: at };
  }
  const text = at.view.text(value);
  const whole = text === undefined ? undefined : /^\s*\$\{\{\s*parameters\.([A-Za-z_][\w.-]*)\s*\}\}\s*$/.exec(text);
  if (whole) return parameterNode(whole[1]!, at, hops + 1) ?? { value, ctx: at };
  return { value, ctx: at };
}

/**
 * `text` with each `${{ parameters.X }}` / `${{ parameters.X.field }}` replaced by the scalar it
 * is bound to (an absent field or null value by the empty string), recursively. References with
 * no known binding, or bound to a mapping or list, are kept as written.
 */
export function substituteParameters(text: string, ctx: Context, hops = 0): string {
  if (hops > MAX_HOPS || !text.includes('${{')) return text;
  return text.replace(REF, (whole, dotted: string | undefined, quoted: string | undefined) => {
    const found = parameterNode((dotted ?? quoted)!, ctx);
    if (!found) return whole;
    if (found.value === null) return '';
    const v = found.ctx.view.text(found.value);
    return v === undefined ? whole : substituteParameters(v, found.ctx, hops + 1);
  });
}
