import { LineIndex } from './text.js';

/**
 * A small, strict XML reader for pom.xml: elements, attributes, text, comments, CDATA and
 * processing instructions, with the offset of every element. DOCTYPE declarations are refused:
 * a POM never needs one, and entity definitions are how XML bombs and external-entity reads work.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside the element, entities decoded. */
  text: string;
  /** Offset of the `<` that opens the element. */
  offset: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

export function parseXml(text: string, lines = new LineIndex(text)): XmlElement {
  const fail = (message: string, at: number): never => {
    throw lines.error(`invalid XML: ${message}`, Math.min(at, text.length));
  };
  const decode = (s: string, at: number): string =>
    s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);|&/g, (m, ent: string | undefined) => {
      if (ent === undefined) return fail('bare "&" (write &amp;)', at);
      if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(Number(ent.slice(1)));
      const v = ENTITIES[ent];
      return v ?? fail(`unknown entity &${ent};`, at);
    });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt === -1 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      if (!top) fail('text outside the root element', i);
      top!.text += decode(chunk, i);
    }
    if (lt === -1) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) fail('unterminated comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end === -1) fail('unterminated CDATA section', i);
      const top = stack[stack.length - 1];
      if (!top) fail('CDATA outside the root element', i);
      top!.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end === -1) fail('unterminated processing instruction', i);
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      fail('DOCTYPE and entity declarations are not allowed', i);
    } else if (text[i + 1] === '/') {
      const m = NAME.exec(text.slice(i + 2, i + 258));
      const close = text.indexOf('>', i);
      if (!m || close === -1 || text.slice(i + 2 + m[0].length, close).trim() !== '') fail('malformed closing tag', i);
      const top = stack.pop();
      if (!top || top.name !== m![0]) fail(`closing tag </${m![0]}> does not match <${top?.name ?? ''}>`, i);
      i = close + 1;
    } else {
      const start = i;
      const m = NAME.exec(text.slice(i + 1, i + 257));
      if (!m) fail('malformed tag', i);
      i += 1 + m![0].length;
      const el: XmlElement = { name: m![0], attributes: {}, children: [], text: '', offset: start };
      for (;;) {
        while (/\s/.test(text[i] ?? '')) i++;
        if (text.startsWith('/>', i)) {
          i += 2;
          attach(el, true);
          break;
        }
        if (text[i] === '>') {
          i++;
          attach(el, false);
          break;
        }
        const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(text.slice(i, i + 4096));
        if (!a) fail(`malformed attribute in <${el.name}>`, i);
        if (Object.hasOwn(el.attributes, a![1]!)) fail(`duplicate attribute ${a![1]}`, i);
        el.attributes[a![1]!] = decode(a![2]!.slice(1, -1), i);
        i += a![0].length;
      }
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`, stack[stack.length - 1]!.offset);
  if (!root) fail('no root element', 0);
  return root!;

  function attach(el: XmlElement, selfClosing: boolean): void {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail('more than one root element', el.offset);
    else root = el;
    if (!selfClosing) stack.push(el);
  }
}

/** First child element with this name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}
