import { describe, expect, it } from 'vitest';
import type { AddedBlock } from './diff.js';
import { historyArgs, listCommits, streamGitHistory } from './git.js';
import { commitAll, initRepo, tempDir, write } from '../../test/secrets/fixtures.js';

function repoWithCommits(n: number): string {
  const dir = tempDir('pw-hist-');
  initRepo(dir);
  for (let i = 0; i < n; i++) {
    write(dir, `f${i % 3}.txt`, Array.from({ length: i + 1 }, (_, j) => `line ${j} of ${i}`).join('\n') + '\n');
    commitAll(dir, `c${i}`, { date: `2024-01-${String(1 + i).padStart(2, '0')}T00:00:00Z` });
  }
  return dir;
}

const collect = async (dir: string, processes: number): Promise<string[]> => {
  const blocks: AddedBlock[] = [];
  await streamGitHistory(dir, undefined, { accept: () => true, maxLine: 1 << 20, onBlock: (b) => blocks.push({ ...b, lines: [...b.lines], lineNos: [...b.lineNos] }), processes, minCommits: 0 });
  return blocks.map((b) => `${b.commit?.commit.slice(0, 8)} ${b.file} ${b.lineNos.join(',')} ${b.lines.join('|')}`).sort();
};

describe('history streaming', () => {
  it('parallel git processes see exactly the same added lines as one', async () => {
    const dir = repoWithCommits(8);
    expect(listCommits(dir).length).toBe(8);
    const one = await collect(dir, 1);
    expect(one.length).toBe(8);
    expect(await collect(dir, 3)).toEqual(one);
  });

  it('history arguments exclude the since commit and never run helpers', () => {
    const args = historyArgs('abc');
    expect(args).toContain('^abc');
    expect(args).toEqual(expect.arrayContaining(['--all', '-p', '--no-ext-diff', '--no-textconv', '-U0']));
  });
});
