/**
 * Server-side view templates (EJS, Pug/Jade, Handlebars, Nunjucks): where they print a value
 * without HTML-escaping it. `res.render(view, locals)` connects a view file to the values the code
 * passes; a tainted local printed raw is XSS at that line of the template. Escaped output
 * (`<%= %>`, `#{}`, `{{ }}`) is safe and not listed.
 */
import { posix } from 'node:path';
import { LineIndex } from '../secrets/positions.js';
import type { SourceText } from './tree.js';

export interface RawOutput {
  /** The local's access path: `user.bio` → ['user', 'bio']. */
  path: string[];
  /** What the template says, for messages: `<%- user.bio %>`. */
  text: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const PATH = /^\s*(?:locals\.)?([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\[\s*['"][^'"]+['"]\s*\])*)/;

function rawPatterns(rel: string): RegExp[] {
  if (/\.ejs$/.test(rel)) return [/<%-([\s\S]*?)-?%>/g];
  if (/\.(?:pug|jade)$/.test(rel)) return [/!\{([^}\n]*)\}/g, /^[ \t]*(?!(?:if|unless|else|when|while|case|each|for)\b)[\w.#:()'"=, -]*?!=[ \t]*(.+)$/gm];
  if (/\.(?:hbs|handlebars)$/.test(rel)) return [/\{\{\{\s*([^}]*?)\s*\}\}\}/g, /\{\{&\s*([^}]*?)\s*\}\}/g];
  if (/\.(?:njk|nunjucks)$/.test(rel)) return [/\{\{\s*([^}]*?\|\s*safe)\s*\}\}/g];
  return [];
}

/** Every raw output of a template whose expression starts with a local's name. */
export function rawOutputs(rel: string, text: string): RawOutput[] {
  const out: RawOutput[] = [];
  const lines = new LineIndex(text);
  for (const re of rawPatterns(rel)) {
    for (const m of text.matchAll(re)) {
      if (out.length >= 2000) return out;
      // Handlebars helpers (`{{{markdown body}}}`) print their argument: take the last word.
      const expr = /\.(?:hbs|handlebars)$/.test(rel) ? (m[1]!.trim().split(/\s+/).pop() ?? '') : m[1]!.replace(/\|\s*safe\s*$/, '');
      const p = PATH.exec(expr);
      if (!p) continue;
      const path = p[1]!
        .split(/\s*\.\s*|\[\s*['"]|['"]\s*\]/)
        .filter(Boolean)
        .map((x) => x.trim());
      const start = lines.at(m.index);
      const end = lines.at(m.index + m[0].length);
      out.push({ path, text: m[0].trim().slice(0, 80), line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
    }
  }
  return out;
}

/** The template files a view name can mean (`users/show` → views/users/show.ejs, …). */
export function viewFiles(templates: readonly SourceText[], view: string): SourceText[] {
  const name = view.replace(/^\.?\//, '').replace(/\\/g, '/');
  const hasExt = /\.\w+$/.test(name);
  return templates.filter((t) => {
    const rel = t.rel;
    const stem = hasExt ? rel : rel.replace(/\.\w+$/, '');
    return stem === name || stem.endsWith(`/${name}`) || (!hasExt && posix.basename(stem) === 'index' && stem.endsWith(`/${name}/index`));
  });
}
