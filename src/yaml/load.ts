import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Tags } from 'yaml';
import type { Location } from '../core/finding.js';
import { fastParseDocument } from './fast.js';

/** Hard limits that keep a hostile file from exhausting memory or the stack. */
export const YAML_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 256,
  maxAliases: 1000,
  maxNodes: 2_000_000,
};

export interface SourceText {
  /** Repo-relative posix path. */
  path: string;
  text: string;
  lines: LineCounter;
}

export interface YamlProblem {
  message: string;
  location: Location;
}

export interface LoadedYaml {
  source: SourceText;
  /** Undefined when the file could not be parsed at all. */
  doc?: Document.Parsed;
  problems: YamlProblem[];
}

export function makeSource(path: string, text: string): SourceText {
  const lines = new LineCounter();
  // LineCounter is filled by the parser; for sources never parsed we index newlines ourselves.
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return { path, text, lines };
}

/** Parses one YAML document with positions, reporting syntax errors and limit breaches as problems. */
export interface LoadYamlOptions {
  /** Extra tags a platform understands (GitLab's `!reference`). */
  customTags?: Tags;
}

export function loadYaml(path: string, text: string, options: LoadYamlOptions = {}): LoadedYaml {
  const source = makeSource(path, text);
  const problems: YamlProblem[] = [];
  const at = (offset: number, end = offset + 1): Location => locationOf(source, offset, end);
  if (text.length > YAML_LIMITS.maxBytes) {
    problems.push({ message: `file is larger than ${YAML_LIMITS.maxBytes} bytes; not parsed`, location: at(0) });
    return { source, problems };
  }
  // Both pre-scans bound what the parser's recursion would meet: `[[[[` and `- - - -` bombs.
  const flowDepth = maxFlowDepth(text) + maxBlockDepth(text);
  if (flowDepth > YAML_LIMITS.maxDepth) {
    problems.push({ message: `nesting deeper than ${YAML_LIMITS.maxDepth} levels; not parsed`, location: at(0) });
    return { source, problems };
  }
  // Most CI files are plain block YAML that the fast path builds the same tree for at a
  // fraction of the cost; it declines anything else, which `yaml` then parses as before.
  const fast = fastParseDocument(text);
  if (fast) return finish(source, fast, problems, at);
  let doc: Document.Parsed;
  try {
    // YAML 1.2 core schema, like GitHub: `on:` stays a string key, not boolean true.
    // uniqueKeys is checked below: the library compares each key with every earlier one (quadratic).
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: true, version: '1.2', keepSourceTokens: false, customTags: options.customTags });
  } catch (e) {
    const msg = e instanceof RangeError ? TOO_DEEP : `cannot parse: ${e instanceof Error ? e.message : String(e)}`;
    problems.push({ message: msg, location: at(0) });
    return { source, problems };
  }
  for (const err of doc.errors) {
    // The parser reports its own stack overflow as an error; say what it means.
    const message = /maximum call stack/i.test(err.message) ? TOO_DEEP : firstLine(err.message);
    problems.push({ message, location: at(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1)) });
  }
  if (doc.errors.length > 0) return { source, problems };
  return finish(source, doc, problems, at);
}

/** The limits and duplicate-key checks, the same for a tree from either path. */
function finish(source: SourceText, doc: Document.Parsed, problems: YamlProblem[], at: (offset: number) => Location): LoadedYaml {
  const found = checkStructure(doc.contents);
  if (found.length > 0) {
    for (const f of found) problems.push({ message: f.message, location: at(f.offset) });
    return { source, problems };
  }
  return { source, doc, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i === -1 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

const TOO_DEEP = 'document too deeply nested to parse; not audited';

/**
 * Upper estimate of block nesting: each line is one level below the closest less-indented line
 * above it, plus one per compact `- `/`? ` indicator it starts with (`- - - x`). Lines inside
 * block scalars count too, which only over-estimates (no real file nests 256 levels).
 */
function maxBlockDepth(text: string): number {
  const stack: Array<{ indent: number; depth: number }> = [];
  let max = 0;
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (text.charCodeAt(j) === 0x20) j++;
    let nl = text.indexOf('\n', j);
    if (nl === -1) nl = text.length;
    const c = text.charCodeAt(j);
    if (j < nl && c !== 0x23 /* # */ && c !== 0x0d) {
      const indent = j - i;
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      let depth = (stack[stack.length - 1]?.depth ?? 0) + 1;
      while ((text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
        depth++;
        j += 2;
        while (text[j] === ' ' || text[j] === '\t') j++;
      }
      stack.push({ indent, depth });
      if (depth > max) max = depth;
    }
    i = nl + 1;
  }
  return max;
}

/** Cheap pre-scan for `[[[[...` / `{{{{...` bombs that would overflow the parser's stack. */
function maxFlowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/**
 * Iterative walk (no recursion) checking depth, node count and alias count (the first breach
 * ends the walk), and duplicate keys (all of them, in document order).
 */
function checkStructure(root: unknown): Array<{ message: string; offset: number }> {
  const stack: Array<[unknown, number]> = [[root, 0]];
  const duplicates: Array<{ message: string; offset: number }> = [];
  let nodes = 0;
  let aliases = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node == null) continue;
    if (++nodes > YAML_LIMITS.maxNodes) return [{ message: `more than ${YAML_LIMITS.maxNodes} YAML nodes; not audited`, offset: 0 }];
    const offset = (node as Node).range?.[0] ?? 0;
    if (depth > YAML_LIMITS.maxDepth) return [{ message: `nesting deeper than ${YAML_LIMITS.maxDepth} levels; not audited`, offset }];
    if (isAlias(node)) {
      // Aliases are never expanded by the model, so a "billion laughs" cannot explode; cap the count anyway.
      if (++aliases > YAML_LIMITS.maxAliases) return [{ message: `more than ${YAML_LIMITS.maxAliases} YAML aliases (possible alias bomb); not audited`, offset }];
    } else if (isMap(node) || isSeq(node)) {
      if (isMap(node)) {
        // The YAML spec's rule (same scalar value), as the library would check it, in linear time.
        const keys = new Set<unknown>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          if (keys.has(pair.key.value)) duplicates.push({ message: 'Map keys must be unique', offset: pair.key.range?.[0] ?? offset });
          else keys.add(pair.key.value);
        }
      }
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (isPair(node)) {
      stack.push([node.key, depth]);
      stack.push([node.value, depth]);
    } else if (isScalar(node)) {
      // leaf
    }
  }
  return duplicates.sort((a, b) => a.offset - b.offset);
}

/** 1-based location of the character range [start, end) in a source. */
export function locationOf(source: SourceText, start: number, end: number): Location {
  const s = source.lines.linePos(Math.max(0, start));
  const e = source.lines.linePos(Math.max(start, end));
  return { file: source.path, startLine: s.line, startColumn: s.col, endLine: e.line, endColumn: e.col };
}

/** Location of a YAML node's value (without trailing comments or the line break). */
export function nodeLocation(source: SourceText, node: Node | null | undefined): Location {
  if (!node?.range) return locationOf(source, 0, 1);
  const [start, valueEnd] = node.range;
  return locationOf(source, start, trimEnd(source.text, start, valueEnd));
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start + 1 && /\s/.test(text[e - 1]!)) e--;
  return e;
}
