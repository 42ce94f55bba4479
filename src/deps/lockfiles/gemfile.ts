import { LockfileError, type Package } from '../model.js';
import { stripBom } from './text.js';

const SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE', 'PLATFORMS', 'DEPENDENCIES', 'RUBY VERSION', 'BUNDLED WITH', 'CHECKSUMS']);

/**
 * Gemfile.lock: gems under `GEM` / `specs:` (four spaces: `name (version[-platform])`). Gems from
 * `GIT` and `PATH` sections are not rubygems.org releases and are skipped.
 */
export function parseGemfileLock(input: string): Package[] {
  const out: Package[] = [];
  const seen = new Set<string>();
  let section: string | undefined;
  let inSpecs = false;
  stripBom(input)
    .split('\n')
    .forEach((raw, i) => {
      const n = i + 1;
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      if (!line.startsWith(' ')) {
        if (!SECTIONS.has(line.trim())) throw new LockfileError(`unknown section "${line.trim()}"`, n);
        section = line.trim();
        inSpecs = false;
        return;
      }
      if (!section) throw new LockfileError('indented line before any section', n);
      if (section !== 'GEM' && section !== 'GIT' && section !== 'PATH' && section !== 'PLUGIN SOURCE') return;
      if (/^ {2}specs:$/.test(line)) {
        inSpecs = true;
        return;
      }
      if (/^ {2}[a-z]+:/.test(line)) {
        inSpecs = false;
        return;
      }
      if (!inSpecs) throw new LockfileError('unexpected line', n);
      if (line.startsWith('      ')) {
        if (!/^ {6}\S+( \([^)]*\))?!?$/.test(line)) throw new LockfileError('malformed dependency line', n);
        return;
      }
      const m = /^ {4}(\S+) \(([^)\s]+)\)$/.exec(line);
      if (!m) throw new LockfileError('expected "    name (version)"', n);
      if (section !== 'GEM') return;
      const dash = m[2]!.indexOf('-');
      const version = dash === -1 ? m[2]! : m[2]!.slice(0, dash); // `1.16.0-x86_64-linux`: platform gem
      const id = `${m[1]}@${version}`;
      if (seen.has(id)) return;
      seen.add(id);
      out.push({ ecosystem: 'RubyGems', name: m[1]!, version, line: n, column: 5 });
    });
  if (section === undefined) throw new LockfileError('no sections found', 1);
  return out;
}
