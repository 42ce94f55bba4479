/* ------------------------------------------------------------------------------------------ */
/* Shell scripts                                                                                */
/* ------------------------------------------------------------------------------------------ */

export interface ShellCommand {
  /** Words with quotes removed; `${{ ... }}` templates kept whole. */
  words: string[];
  /** Offset of the first word in the script. */
  start: number;
  /** The separator before this command: `|` means it reads the previous command's output. */
  after: '' | '|' | ';' | '&&' | '||' | '&' | 'subshell';
}

/**
 * Splits a POSIX-ish script into simple commands. Handles quotes, escapes, line continuations,
 * comments, heredoc bodies (skipped: they are data), `;`, `&&`, `||`, `|`, `&`, `( )`, `$( )` and
 * backticks (their insides become commands of their own). Not a full shell parser.
 */
export function shellCommands(script: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let wordStart = -1;
  let cmdStart = -1;
  let after: ShellCommand['after'] = '';
  const heredocs: string[] = [];
  const nested: ShellCommand[] = [];
  const endWord = (): void => {
    if (inWord) {
      words.push(word);
      if (cmdStart === -1) cmdStart = wordStart;
    }
    word = '';
    inWord = false;
  };
  const endCmd = (next: ShellCommand['after']): void => {
    endWord();
    out.push(...nested.splice(0));
    if (words.length > 0) out.push({ words, start: cmdStart, after });
    words = [];
    cmdStart = -1;
    after = next;
  };
  const startWord = (i: number): void => {
    if (!inWord) {
      inWord = true;
      wordStart = i;
    }
  };
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      endCmd(';');
      i++;
      // Skip heredoc bodies opened on the line just ended.
      while (heredocs.length > 0) {
        const tag = heredocs.shift()!;
        while (i < n) {
          const nl = script.indexOf('\n', i);
          const line = script.slice(i, nl === -1 ? n : nl);
          i = nl === -1 ? n : nl + 1;
          if (line.trim() === tag) break;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '$' && script.startsWith('${{', i)) {
      const close = script.indexOf('}}', i + 3);
      const end = close === -1 ? n : close + 2;
      startWord(i);
      word += script.slice(i, end);
      i = end;
      continue;
    }
    if (c === "'") {
      startWord(i);
      const close = script.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      startWord(i);
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n) {
          const next = script[i + 1]!;
          word += '$`"\\\n'.includes(next) ? (next === '\n' ? '' : next) : `\\${next}`;
          i += 2;
          continue;
        }
        if (script.startsWith('${{', i)) {
          const close = script.indexOf('}}', i + 3);
          const end = close === -1 ? n : close + 2;
          word += script.slice(i, end);
          i = end;
          continue;
        }
        if (script.startsWith('$(', i) && script[i + 2] !== '(') {
          // Command substitution inside double quotes: its commands run too.
          const close = matchingParen(script, i + 1);
          const inner = script.slice(i + 2, close);
          for (const c of shellCommands(inner)) nested.push({ ...c, start: c.start + i + 2, after: 'subshell' });
          word += script.slice(i, Math.min(n, close + 1));
          i = close + 1;
          continue;
        }
        word += script[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      startWord(i);
      word += script[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '<' && script.startsWith('<<', i) && !script.startsWith('<<<', i)) {
      const m = /^<<-?\s*(['"]?)([A-Za-z0-9_.-]+)\1/.exec(script.slice(i, i + 80));
      if (m) {
        heredocs.push(m[2]!);
        endWord();
        i += m[0].length;
        continue;
      }
    }
    if (c === '$' && script[i + 1] === '(' && script[i + 2] !== '(') {
      endCmd('subshell');
      i += 2;
      continue;
    }
    if (c === '`' || c === '(' || c === ')') {
      endCmd('subshell');
      i++;
      continue;
    }
    if (c === ';') {
      endCmd(';');
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = script.slice(i, i + 2);
      if (c === '&' && (script[i + 1] === '>' || (i > 0 && script[i - 1] === '>'))) {
        startWord(i);
        word += c;
        i++;
        continue;
      }
      if (two === '&&' || two === '||') {
        endCmd(two);
        i += 2;
      } else {
        endCmd(c === '|' ? '|' : '&');
        i++;
      }
      continue;
    }
    startWord(i);
    word += c;
    i++;
  }
  endCmd('');
  return out;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; the end of the text if unclosed. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const e = text.indexOf("'", i + 1);
      if (e === -1) return text.length;
      i = e;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return text.length;
}

const PREFIX_WORDS = new Set(['sudo', 'time', 'exec', 'command', 'nohup', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'xvfb-run', 'builtin', 'eval']);

/** The command's own words, without leading `VAR=x` assignments and wrappers (`sudo`, `env`, `timeout 5`...). */
export function commandWords(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (PREFIX_WORDS.has(w)) i++;
    else if (w === 'env') {
      i++;
      while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith('-'))) i++;
    } else if (w === 'timeout') {
      i++;
      while (i < words.length && (words[i]!.startsWith('-') || /^\d/.test(words[i]!))) i++;
    } else break;
  }
  return words.slice(i);
}
