import { maskTemplates, memoByScript, splitCode, statementsOf, type Script, type Span, type Statement } from '../../shell/script.js';

export type FileCommand = 'GITHUB_ENV' | 'GITHUB_PATH';

export interface FileCommandWrite {
  file: FileCommand;
  /** The statement that writes (holds the redirect, `tee` or cmdlet). */
  statement: Statement;
  /** What is written, in order: the statement itself, plus group/loop/here-document lines. */
  payload: Array<Span & { text: string; code: string; expands: boolean }>;
  via: 'redirect' | 'tee' | 'cmdlet' | 'heredoc' | 'block';
}

const TARGET_RE = /\$\{?(GITHUB_ENV|GITHUB_PATH)\}?(?![A-Za-z0-9_])|\$\{?env:(GITHUB_ENV|GITHUB_PATH)\}?(?![A-Za-z0-9_])|%(GITHUB_ENV|GITHUB_PATH)%/gi;
const CMDLET_RE = /^(?:out-file|add-content|set-content|ac|sc|tee-object|tee)$/i;

// Three rules ask for the writes of each script: found once, shared read-only (see statementsOf).
/** Every write to the environment or path file command files in a script. */
export const fileCommandWrites: (script: Script) => FileCommandWrite[] = memoByScript(fileCommandWritesUncached);

function fileCommandWritesUncached(script: Script): FileCommandWrite[] {
  if (script.dialect === 'other') return [];
  const out: FileCommandWrite[] = [];
  for (const st of statementsOf(script)) {
    for (const m of st.code.matchAll(TARGET_RE)) {
      const name = (m[1] ?? m[2] ?? m[3])!;
      // Bash variables are case-sensitive; $env: and %X% are not.
      if (m[1] && m[1] !== name.toUpperCase()) continue;
      const file = name.toUpperCase() as FileCommand;
      const at = m.index;
      const before = st.code.slice(0, at);
      const isRedirect = /(?:^|[^<>])>>?\s*["']?$/.test(before);
      const segments = splitCode(st.code, 'pipeline', script.dialect);
      const seg = segments.find((s) => s.start <= at && at < s.end);
      const cmd = seg ? firstWord(st.code.slice(seg.start, seg.end)) : '';
      const viaPipe = !isRedirect && CMDLET_RE.test(cmd);
      if (!isRedirect && !viaPipe) continue; // a read such as `cat "$GITHUB_ENV"`
      const self = { start: st.start, end: st.end, text: st.text, code: st.code, expands: true };
      const payload: FileCommandWrite['payload'] = [self];
      let via: FileCommandWrite['via'] = isRedirect ? 'redirect' : script.dialect === 'pwsh' ? 'cmdlet' : 'tee';
      const head = st.code.trimStart();
      const body = heredocBody(script, st.lineIndex);
      if (body.length > 0) {
        via = 'heredoc';
        payload.push(...body);
      } else if (isRedirect && /^(?:\}|\)|done\b)/.test(head)) {
        const block = blockBody(script, st.lineIndex, head[0] === '}' ? '{' : head[0] === ')' ? '(' : 'do');
        if (block.length > 0) {
          via = 'block';
          payload.push(...block);
        }
      }
      out.push({ file, statement: st, payload, via });
      break; // one write per statement
    }
  }
  return out;
}

function firstWord(code: string): string {
  const words = code.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && (words[i] === 'sudo' || /^-/.test(words[i]!) || /^[A-Za-z_]\w*=/.test(words[i]!))) i++;
  return (words[i] ?? '').replace(/^\\/, '');
}

function heredocBody(script: Script, opener: number): FileCommandWrite['payload'] {
  return script.lines
    .filter((l) => l.heredoc?.opener === opener && !l.heredoc.terminator)
    .map((l) => ({ start: l.start, end: l.end, text: l.text, code: maskTemplates(l.text), expands: l.heredoc!.expands }));
}

/** Lines between a `{`/`(`/`do` opener and the closer at `closer` (depth-aware, line based). */
function blockBody(script: Script, closer: number, open: '{' | '(' | 'do'): FileCommandWrite['payload'] {
  const opens = open === 'do' ? /(?:^|[;\s])do\s*$/ : open === '{' ? /(?:^|\s)\{\s*$/ : /(?:^|[\s=])\(\s*$/;
  const closes = open === 'do' ? /^done\b/ : open === '{' ? /^\}/ : /^\)/;
  let depth = 0;
  for (let i = closer - 1; i >= 0; i--) {
    const line = script.lines[i]!;
    if (line.heredoc) continue;
    const code = line.code.trim();
    if (closes.test(code)) depth++;
    else if (opens.test(code)) {
      if (depth === 0) {
        return script.lines
          .slice(i + 1, closer)
          .filter((l) => l.code.trim() !== '' || l.heredoc)
          .map((l) => ({ start: l.start, end: l.end, text: l.text, code: l.heredoc ? maskTemplates(l.text) : l.code, expands: l.heredoc ? l.heredoc.expands : true }));
      }
      depth--;
    }
  }
  return [];
}
