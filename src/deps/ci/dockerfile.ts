import type { Location } from '../../core/finding.js';

export interface FromLine {
  /** Image reference after ARG substitution (`node:16-alpine`), or undefined when an ARG has no default. */
  image?: string;
  raw: string;
  location: Location;
  /** `FROM x AS name`. */
  stage?: string;
}

/**
 * The `FROM` instructions of a Dockerfile: line continuations joined, `ARG` defaults declared
 * before the first `FROM` substituted (`${NODE_VERSION:-20}` style defaults too), references to
 * earlier build stages and `scratch` dropped: they are not images pulled from a registry.
 */
export function dockerfileImages(path: string, text: string): FromLine[] {
  const lines = text.split('\n');
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const out: FromLine[] = [];
  let escape = '\\';
  let seenFrom = false;
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!.replace(/\r$/, '');
    if (!seenFrom) {
      const directive = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(line);
      if (directive) escape = directive[1]!;
    }
    if (/^\s*#/.test(line)) continue;
    while (line.endsWith(escape) && i + 1 < lines.length) {
      line = line.slice(0, -1) + ' ' + lines[++i]!.replace(/\r$/, '').replace(/^\s*#.*$/, '');
    }
    const m = /^\s*(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (instruction === 'ARG' && !seenFrom) {
      for (const decl of rest.split(/\s+/)) {
        const eq = decl.indexOf('=');
        if (eq > 0) args.set(decl.slice(0, eq), decl.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
      }
    }
    if (instruction !== 'FROM') continue;
    seenFrom = true;
    const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
    const raw = words[0] ?? '';
    const stage = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
    const image = substitute(raw, args);
    const col = lines[startLine - 1]!.indexOf(raw) + 1;
    const location = { file: path, startLine, startColumn: Math.max(col, 1), endLine: startLine, endColumn: Math.max(col, 1) + raw.length };
    if (image !== undefined && image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase())) out.push({ image, raw, location, ...(stage && { stage }) });
    if (stage) stages.add(stage.toLowerCase());
  }
  return out;
}

function substitute(raw: string, args: Map<string, string>): string | undefined {
  let unresolved = false;
  const value = raw.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_m, a: string | undefined, def: string | undefined, b: string | undefined) => {
    const name = a ?? b!;
    const v = args.get(name) ?? def;
    if (v === undefined || v === '') unresolved = true;
    return v ?? '';
  });
  return unresolved ? undefined : value;
}
