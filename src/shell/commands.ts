/*
 * Scripts read as simple commands, for rules that only need the command words (which tools a
 * step runs, with which flags): a rough split on lines and `&&`, `||`, `;`, `|`, comments dropped.
 * For quotes, here-documents and positions use script.ts; for subshells and `cd`, words.ts.
 */

/**
 * The words of each simple command of a shell script, one list per command (split on lines, `&&`,
 * `||`, `;`, `|`; comments and leading `VAR=x`, `sudo`, `env`... dropped). Not `shellCommands`
 * (words.ts), which returns commands with quotes removed, offsets and separators.
 */
export function commandWordLists(script: string): string[][] {
  // The permission needs and the credential rule split the same run: scripts; results are shared, never mutated.
  const cached = wordListCache.get(script);
  if (cached) return cached;
  const lists = commandWordListsUncached(script);
  if (wordListCache.size >= 4096) wordListCache.clear();
  wordListCache.set(script, lists);
  return lists;
}

const wordListCache = new Map<string, string[][]>();

function commandWordListsUncached(script: string): string[][] {
  const out: string[][] = [];
  const joined = script.replace(/\\\r?\n/g, ' ');
  for (const line of joined.split(/\r?\n/)) {
    const code = line.replace(/(^|\s)#.*$/, '$1');
    for (const part of code.split(/&&|\|\||[;|]/)) {
      const words = part.trim().split(/\s+/).filter((w) => w !== '');
      while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || ['sudo', 'time', 'env', 'exec', 'then', 'do', 'else', '!'].includes(words[0]!))) words.shift();
      if (words.length > 0) out.push(words);
    }
  }
  return out;
}
