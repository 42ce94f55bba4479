import { describe, expect, it } from 'vitest';
import { commandWordLists } from './commands.js';

describe('commandWordLists', () => {
  it('splits on lines, &&, ||, ; and |, drops comments and leading assignments/sudo', () => {
    const script = 'A=1 sudo gh pr merge --auto && echo ok # done\nnpm ci || exit 1; cat x | \\\n  jq .a\n# only a comment\n';
    expect(commandWordLists(script)).toEqual([['gh', 'pr', 'merge', '--auto'], ['echo', 'ok'], ['npm', 'ci'], ['exit', '1'], ['cat', 'x'], ['jq', '.a']]);
  });

  it('answers a script seen before with the same lists, and a different script with its own', () => {
    const first = commandWordLists('git push origin main');
    expect(commandWordLists('git push origin main')).toBe(first);
    expect(commandWordLists('git push origin dev')).toEqual([['git', 'push', 'origin', 'dev']]);
    expect(first).toEqual([['git', 'push', 'origin', 'main']]);
  });
});
