import { LockfileError, type Package } from '../model.js';
import { stripBom } from './text.js';

/** What a requirements file says beyond its pinned packages: whether pip can verify what it installs. */
export interface RequirementsInfo {
  packages: Package[];
  /** Requirements without an exact `==` pin (names and lines), which pip resolves at install time. */
  unpinned: Array<{ name: string; line: number }>;
  /** Every requirement carries `--hash` (pip then checks hashes for all of them). */
  hashed: boolean;
  /** Files included with `-r` / `-c` (as written). */
  includes: string[];
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const SPEC = /^(===|==|!=|<=|>=|~=|<|>)\s*([^\s,;]+)\s*/;
/** Options pip accepts in requirements files; anything else makes pip fail, so it is an error here too. */
const OPTIONS_WITH_VALUE = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '--no-binary', '--only-binary', '--use-feature', '--config-settings', '--global-option', '--hash']);
const FLAG_OPTIONS = new Set(['--pre', '--prefer-binary', '--require-hashes', '--no-index']);

/** requirements*.txt as pip reads it (PEP 508 requirements, pip options, `\` continuations). */
export function parseRequirements(input: string): RequirementsInfo {
  const lines = stripBom(input).split('\n');
  const packages: Package[] = [];
  const unpinned: RequirementsInfo['unpinned'] = [];
  const includes: string[] = [];
  let requirements = 0;
  let hashedCount = 0;
  for (let n = 0; n < lines.length; n++) {
    const startLine = n + 1;
    let logical = lines[n]!.replace(/\r$/, '');
    while (/(^|[^\\])\\$/.test(logical) && n + 1 < lines.length) logical = logical.slice(0, -1) + ' ' + lines[++n]!.replace(/\r$/, '');
    const text = logical.replace(/(^|\s)#.*$/, '').trim();
    if (text === '') continue;
    if (text.startsWith('-')) {
      const [opt, rest] = splitOption(text);
      if (FLAG_OPTIONS.has(opt)) continue;
      if (!OPTIONS_WITH_VALUE.has(opt)) throw new LockfileError(`unknown option "${opt}"`, startLine);
      if (!rest) throw new LockfileError(`option ${opt} needs a value`, startLine);
      if (opt === '-r' || opt === '--requirement' || opt === '-c' || opt === '--constraint') includes.push(rest.split(/\s+/)[0]!);
      continue;
    }
    if (/^(?:[a-z+]+:\/\/|\.{0,2}\/|[A-Za-z]:\\)/.test(text)) {
      requirements++; // a URL or path: nothing pinned to match, but pip installs it
      unpinned.push({ name: text.split(/\s/)[0]!, line: startLine });
      continue;
    }
    const m = NAME.exec(text);
    if (!m) throw new LockfileError(`cannot read a requirement from "${text.slice(0, 60)}"`, startLine);
    requirements++;
    let rest = text.slice(m[0].length);
    const name = m[1]!;
    const specs: Array<[string, string]> = [];
    let url = false;
    if (rest.startsWith('@')) {
      url = true;
      rest = rest.replace(/^@\s*\S+\s*/, '');
    } else {
      if (rest.startsWith('(')) rest = rest.slice(1);
      for (;;) {
        const s = SPEC.exec(rest);
        if (!s) break;
        specs.push([s[1]!, s[2]!]);
        rest = rest.slice(s[0].length).replace(/^\)\s*/, '');
        if (!rest.startsWith(',')) break;
        rest = rest.slice(1).trimStart();
      }
    }
    let hashes = 0;
    if (rest.startsWith(';')) rest = rest.replace(/^;[^-]*/, '').trim(); // environment markers
    while (rest !== '') {
      const opt = /^(--hash)[=\s]\s*(\S+)\s*|^(--global-option|--config-settings)[=\s]\s*(\S+)\s*/.exec(rest);
      if (!opt) throw new LockfileError(`unexpected text after requirement "${name}": "${rest.slice(0, 40)}"`, startLine);
      if (opt[1]) {
        if (!/^sha(256|384|512):[0-9a-f]+$/i.test(opt[2]!)) throw new LockfileError(`malformed --hash "${opt[2]}"`, startLine);
        hashes++;
      }
      rest = rest.slice(opt[0].length);
    }
    if (hashes > 0) hashedCount++;
    const pin = specs.length === 1 && (specs[0]![0] === '==' || specs[0]![0] === '===') && !specs[0]![1].includes('*') ? specs[0]![1] : undefined;
    if (pin && !url) packages.push({ ecosystem: 'PyPI', name, version: pin, line: startLine, column: 1 });
    else unpinned.push({ name, line: startLine });
  }
  return { packages, unpinned, hashed: requirements > 0 && hashedCount === requirements, includes };
}

function splitOption(text: string): [string, string] {
  const m = /^(-[A-Za-z]|--[a-z-]+)(?:[=\s]\s*(.*))?$/.exec(text);
  if (!m) return [text.split(/\s/)[0]!, ''];
  return [m[1]!, (m[2] ?? '').trim()];
}

export function parseRequirementsPackages(input: string): Package[] {
  return parseRequirements(input).packages;
}
