/*
 * `${{ ... }}` template expressions, as text: GitHub Actions expressions and Azure Pipelines
 * template expressions share the delimiters and the quoting of string literals. Where they are,
 * not what they mean (GitHub's parser: src/platforms/github/expressions).
 */

export interface TemplateSpan {
  /** Offsets in the containing string: `start` at `$`, `end` after the closing `}}` (the text's end when unterminated). */
  start: number;
  end: number;
  /** False for an unterminated `${{`, which runs to the end of the text and is always the last span. */
  closed: boolean;
}

/** Every `${{ ... }}` in a string, skipping `}}` inside single-quoted string literals. */
export function templateSpans(text: string): TemplateSpan[] {
  const out: TemplateSpan[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('${{', from);
    if (open === -1) return out;
    let i = open + 3;
    let inString = false;
    let close = -1;
    while (i < text.length) {
      const c = text[i];
      if (c === "'") inString = !inString;
      else if (!inString && c === '}' && text[i + 1] === '}') {
        close = i;
        break;
      }
      i++;
    }
    if (close === -1) {
      out.push({ start: open, end: text.length, closed: false });
      return out;
    }
    out.push({ start: open, end: close + 2, closed: true });
    from = close + 2;
  }
}
