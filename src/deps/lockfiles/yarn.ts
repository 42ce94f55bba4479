import { isMap } from 'yaml';
import { LockfileError, type Package } from '../model.js';
import { isNpmVersion, splitNameAt } from './npm-names.js';
import { stripBom } from './text.js';
import { loadYamlLock, mapEntries, scalarAt } from './yaml-doc.js';

/** yarn.lock: classic (v1, yarn's own format) or berry (v2+, YAML with `__metadata`). */
export function parseYarnLock(input: string): Package[] {
  const text = stripBom(input);
  return /^__metadata:/m.test(text) ? parseBerry(text) : parseClassic(text);
}

/** Protocols that do not come from the npm registry: nothing to match against advisories. */
const NON_REGISTRY = /^(?:file:|link:|portal:|workspace:|exec:|git[+:]|github:|gitlab:|bitbucket:|https?:|patch:(?!.*npm%3A))/;

function parseClassic(text: string): Package[] {
  const lines = text.split('\n');
  const out: Package[] = [];
  let header: { specs: string[]; line: number } | undefined;
  let version: string | undefined;
  const flush = (): void => {
    if (!header) return;
    if (version === undefined) throw new LockfileError('entry has no version', header.line);
    const spec = header.specs[0]!;
    const split = splitNameAt(spec);
    if (!split) throw new LockfileError(`cannot read package name from "${spec}"`, header.line);
    let [name, range] = split;
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(range);
    if (alias) {
      name = alias[1]!;
      range = range.slice(alias[0].length);
    }
    if (!NON_REGISTRY.test(range) && isNpmVersion(version)) out.push({ ecosystem: 'npm', name, version, line: header.line, column: 1 });
    header = undefined;
    version = undefined;
  };
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, '');
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    if (!raw.startsWith(' ')) {
      flush();
      if (!raw.endsWith(':')) throw new LockfileError('expected an entry header ending with ":"', n + 1);
      const specs = splitSpecs(raw.slice(0, -1), n + 1);
      header = { specs, line: n + 1 };
      continue;
    }
    if (!header) throw new LockfileError('indented line outside an entry', n + 1);
    const m = /^( {2,})("(?:[^"\\]|\\.)*"|[^\s:"]+)(:?)(?:\s+(.*))?$/.exec(raw);
    if (!m) throw new LockfileError('malformed line', n + 1);
    if (m[1]!.length === 2 && unquote(m[2]!) === 'version') {
      const value = m[4];
      if (value === undefined) throw new LockfileError('version has no value', n + 1);
      version = unquote(value);
    }
  }
  flush();
  return out;
}

function splitSpecs(s: string, line: number): string[] {
  const specs: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[^,"\s]+)\s*(?:,|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s))) specs.push(unquote(m[1]!));
  if (specs.length === 0 || re.lastIndex < s.length) throw new LockfileError('malformed entry header', line);
  return specs;
}

function unquote(s: string): string {
  return s.startsWith('"') ? (JSON.parse(s) as string) : s;
}

function parseBerry(text: string): Package[] {
  const { root, lines } = loadYamlLock(text);
  const out: Package[] = [];
  for (const e of mapEntries(root)) {
    if (e.key === '__metadata') continue;
    if (!isMap(e.value)) throw lines.error(`entry "${e.key}" is not a mapping`, e.offset);
    const resolution = scalarAt(e.value, 'resolution');
    const version = scalarAt(e.value, 'version');
    if (resolution === undefined || version === undefined) throw lines.error(`entry "${e.key}" needs "resolution" and "version"`, e.offset);
    const split = splitNameAt(resolution);
    if (!split) throw lines.error(`cannot read the package name from resolution "${resolution}"`, e.offset);
    const [name, reference] = split;
    const fromRegistry = reference.startsWith('npm:') || (reference.startsWith('patch:') && reference.includes('npm%3A'));
    if (!fromRegistry || !isNpmVersion(version)) continue;
    // A patched package's resolution names the patch; the registry package is inside it.
    const realName = reference.startsWith('patch:') ? (splitNameAt(decodeURIComponent(reference.slice(6)))?.[0] ?? name) : name;
    const pos = lines.position(e.offset);
    out.push({ ecosystem: 'npm', name: realName, version, line: pos.line, column: pos.column });
  }
  return out;
}
