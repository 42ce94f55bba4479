import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../core/finding.js';
import { commitAll, git, initRepo, tempDir, write } from '../../test/secrets/fixtures.js';
import { BatchReader, scanHistory, scanStaged, type ChangeBlock } from './history.js';

interface Seen {
  blocks: string[];
  diagnostics: Diagnostic[];
}

async function history(dir: string, since?: string): Promise<Seen> {
  const blocks: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const collect = (b: ChangeBlock): void => {
    const lines = b.text.split('\n').map((l, i) => `${b.lineOf(i)}:${l}`);
    blocks.push(`${b.commit?.commit.slice(0, 7) ?? 'index'} ${b.file} ${lines.join('|')}`);
  };
  await scanHistory(dir, since, { accept: (p) => !p.startsWith('ignored/'), maxFileSize: 1 << 20, onBlock: collect, diag: (d) => diagnostics.push(d) });
  return { blocks, diagnostics };
}

const short = (dir: string, rev: string): string => git(dir, ['rev-parse', '--short=7', rev]).trim();

/** Replaces a loose object with garbage, as disk corruption would. */
function corrupt(dir: string, id: string): void {
  const file = join(dir, '.git', 'objects', id.slice(0, 2), id.slice(2));
  chmodSync(file, 0o644);
  writeFileSync(file, 'garbage');
}

describe('history: each blob once, its added lines, the commit that introduced it', () => {
  it('added lines with their line numbers, per commit; a copied or restored blob is not scanned again', async () => {
    const dir = tempDir('pw-hist-');
    initRepo(dir);
    write(dir, 'a.txt', 'one\ntwo\nthree\n');
    const c1 = commitAll(dir, 'c1', { date: '2024-01-01T00:00:00Z' });
    write(dir, 'a.txt', 'one\nTWO\nthree\nfour\n');
    write(dir, 'ignored/x.txt', 'nope\n');
    const c2 = commitAll(dir, 'c2', { date: '2024-01-02T00:00:00Z' });
    write(dir, 'b.txt', 'one\nTWO\nthree\nfour\n'); // same blob as a.txt in c2
    write(dir, 'a.txt', 'one\ntwo\nthree\n'); // back to the blob of c1
    commitAll(dir, 'c3', { date: '2024-01-03T00:00:00Z' });
    const r = await history(dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.blocks).toEqual([`${c1.slice(0, 7)} a.txt 1:one|2:two|3:three|4:`, `${c2.slice(0, 7)} a.txt 2:TWO|4:four`]);
  });

  it('added lines keep their text: CRLF ends dropped, other CRs and non-ASCII kept, UTF-16 decoded (with or without a BOM)', async () => {
    const dir = tempDir('pw-hist-');
    initRepo(dir);
    write(dir, 'a.txt', 'one\r\ntwo\r\nthree\r\n');
    write(dir, 'u.txt', 'été\nzwei\n');
    writeFileSync(join(dir, 'w.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\nworld\n', 'utf16le')]));
    writeFileSync(join(dir, 'x.ps1'), Buffer.from('$a = 1\r\n$b = 2\r\n', 'utf16le')); // PowerShell 5 `Out-File`: UTF-16LE, no BOM
    commitAll(dir, 'c1', { date: '2024-01-01T00:00:00Z' });
    write(dir, 'a.txt', 'one\r\nnew\r\r\ntwo\r\nin\rline\r\nthree\r\nlast\r');
    write(dir, 'u.txt', 'été\nneu ü\nzwei\nnoch\n');
    writeFileSync(join(dir, 'w.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\nwörld 2\nworld\n', 'utf16le')]));
    writeFileSync(join(dir, 'x.ps1'), Buffer.from('$a = 1\r\n$t = "Müller"\r\n$b = 2\r\n', 'utf16le'));
    const c2 = commitAll(dir, 'c2', { date: '2024-01-02T00:00:00Z' });
    const r = await history(dir);
    expect(r.blocks.slice(4)).toEqual([`${c2.slice(0, 7)} a.txt 2:new\r|4:in\rline|6:last`, `${c2.slice(0, 7)} u.txt 2:neu ü|4:noch`, `${c2.slice(0, 7)} w.txt 2:wörld 2`, `${c2.slice(0, 7)} x.ps1 2:$t = "Müller"`]);
  });

  it('renamed and edited: only the edit; --since reads the older version for its lines only', async () => {
    const dir = tempDir('pw-hist-');
    initRepo(dir);
    const body = Array.from({ length: 30 }, (_, i) => `line ${i} of a file long enough for rename detection`).join('\n');
    write(dir, 'old.txt', `${body}\n`);
    commitAll(dir, 'c1', { date: '2024-01-01T00:00:00Z' });
    git(dir, ['mv', 'old.txt', 'new.txt']);
    write(dir, 'new.txt', `${body}\nappended\n`);
    const c2 = commitAll(dir, 'c2', { date: '2024-01-02T00:00:00Z' });
    expect((await history(dir)).blocks.slice(1)).toEqual([`${c2.slice(0, 7)} new.txt 31:appended`]);
    expect((await history(dir, git(dir, ['rev-parse', 'HEAD~1']).trim())).blocks).toEqual([`${c2.slice(0, 7)} new.txt 31:appended`]);
  });
});

describe('history: what cannot be read is reported, the rest is scanned (issue 8 item 9)', () => {
  function threeCommits(): { dir: string; commits: string[] } {
    const dir = tempDir('pw-hist-');
    initRepo(dir);
    const commits: string[] = [];
    for (let i = 1; i <= 4; i++) {
      write(dir, `f${i}.txt`, `content ${i}\n`);
      commits.push(commitAll(dir, `c${i}`, { date: `2024-01-0${i}T00:00:00Z` }));
    }
    return { dir, commits };
  }

  it('a corrupt blob', async () => {
    const { dir, commits } = threeCommits();
    const blob = git(dir, ['rev-parse', `${commits[1]}:f2.txt`]).trim();
    corrupt(dir, blob);
    const r = await history(dir);
    expect(r.blocks.map((b) => b.split(' ')[1])).toEqual(['f1.txt', 'f3.txt', 'f4.txt']);
    expect(r.diagnostics).toEqual([
      { level: 'error', file: 'f2.txt', code: 'unreadable-object', failsGate: true, message: `history: object ${blob} (added in commit ${commits[1]}) cannot be read (corrupt or missing); not scanned` },
    ]);
  });

  it('a corrupt tree: its commit is unreadable, the next one is scanned against an empty tree', async () => {
    const { dir, commits } = threeCommits();
    const tree = git(dir, ['rev-parse', `${commits[1]}^{tree}`]).trim();
    corrupt(dir, tree);
    const r = await history(dir);
    expect(r.blocks.map((b) => `${b.split(' ')[0]} ${b.split(' ')[1]}`)).toEqual([`${short(dir, commits[0]!)} f1.txt`, `${short(dir, commits[2]!)} f2.txt`, `${short(dir, commits[2]!)} f3.txt`, `${short(dir, commits[3]!)} f4.txt`]);
    expect(r.diagnostics.map((d) => [d.level, d.code, d.failsGate ?? false, d.message.replace(/\(.*\)/, '(…)')])).toEqual([
      ['error', 'unreadable-object', true, `history: the changes of commit ${commits[1]} cannot be read (…); not scanned`],
      ['warning', 'unreadable-object', false, `history: the parent of commit ${commits[2]} cannot be read (…); every file of that commit was scanned as if added there`],
    ]);
  });

  it('a corrupt commit: the readable history around it is still scanned', async () => {
    const { dir, commits } = threeCommits();
    corrupt(dir, commits[1]!);
    const r = await history(dir);
    // c1 is behind the corrupt c2 and cannot be reached; c3 is scanned whole (its files as of c3), then c4.
    expect(r.blocks.map((b) => `${b.split(' ')[0]} ${b.split(' ')[1]}`)).toEqual([`${short(dir, commits[2]!)} f1.txt`, `${short(dir, commits[2]!)} f2.txt`, `${short(dir, commits[2]!)} f3.txt`, `${short(dir, commits[3]!)} f4.txt`]);
    expect(r.diagnostics.map((d) => [d.level, d.failsGate ?? false, d.message.replace(/ \(.*\)/, '')])).toEqual([
      ['error', true, `history: commit ${commits[1]} cannot be read; the history behind it on that path was not scanned`],
      ['warning', false, `history: the parent of commit ${commits[2]} cannot be read; every file of that commit was scanned as if added there`],
    ]);
  });

  it('a shallow clone says where history stops', async () => {
    const { dir, commits } = threeCommits();
    const clone = tempDir('pw-shallow-');
    git(clone, ['clone', '-q', '--depth', '2', `file://${dir}`, '.']);
    const r = await history(clone);
    expect(r.blocks.map((b) => b.split(' ')[1])).toEqual(['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
    expect(r.diagnostics).toEqual([
      {
        level: 'warning',
        code: 'history-truncated',
        message: `history is truncated: this is a shallow clone, so the history before commit ${commits[2]!.slice(0, 12)} (2024-01-03T00:00:00+00:00) is not in the repository and was not scanned (the boundary commit is scanned as if every file were added); run \`git fetch --unshallow\` to scan all of it`,
      },
    ]);
  });
});

describe('staged changes', () => {
  it('added lines of the index against HEAD, or every staged file before the first commit', async () => {
    const dir = tempDir('pw-staged-');
    initRepo(dir);
    write(dir, 'a.txt', 'x\n');
    git(dir, ['add', 'a.txt']);
    const seen: string[] = [];
    const opts = { accept: () => true, maxFileSize: 1 << 20, diag: () => {}, onBlock: (b: ChangeBlock) => void seen.push(`${b.file}:${b.lineOf(0)}:${b.text}`) };
    await scanStaged(dir, opts);
    expect(seen).toEqual(['a.txt:1:x\n']);
    commitAll(dir, 'c1');
    write(dir, 'a.txt', 'x\ny\n');
    git(dir, ['add', 'a.txt']);
    seen.length = 0;
    await scanStaged(dir, opts);
    expect(seen).toEqual(['a.txt:2:y']);
  });

  it('a staged UTF-16LE file without a BOM is read as text (its added lines), not skipped as binary; a UTF-8 BOM is dropped', async () => {
    const dir = tempDir('pw-staged-');
    initRepo(dir);
    writeFileSync(join(dir, 'x.ps1'), Buffer.from('$a = 1\r\n', 'utf16le'));
    writeFileSync(join(dir, 'bom.txt'), '\ufeffk=1\n');
    commitAll(dir, 'c1');
    writeFileSync(join(dir, 'x.ps1'), Buffer.from('$a = 1\r\n$t = "Müller"\r\n', 'utf16le'));
    writeFileSync(join(dir, 'bom.txt'), '\ufeffk=2\n'); // the UTF-8 BOM is dropped: line 1 starts at the k
    git(dir, ['add', 'x.ps1', 'bom.txt']);
    const seen: string[] = [];
    await scanStaged(dir, { accept: () => true, maxFileSize: 1 << 20, diag: () => {}, onBlock: (b: ChangeBlock) => void seen.push(`${b.file}:${b.lineOf(0)}:${b.text}`) });
    expect(seen).toEqual(['bom.txt:1:k=2', 'x.ps1:2:$t = "Müller"']);
  });
});

describe('BatchReader', () => {
  it('parses `cat-file --batch` output cut anywhere, skipping objects over the limit', () => {
    const objects = [Buffer.from('hello\nworld'), Buffer.alloc(0), Buffer.from('x'.repeat(50))];
    const stream = Buffer.concat([
      Buffer.from(`${'a'.repeat(40)} blob 11\n`),
      objects[0]!,
      Buffer.from(`\n${'b'.repeat(40)} missing\n${'c'.repeat(40)} blob 0\n\n${'d'.repeat(40)} blob 50\n`),
      objects[2]!,
      Buffer.from('\n'),
    ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const reader = new BatchReader(20);
        const out: Array<[string, number, boolean, string | undefined]> = [];
        let from = 0;
        for (const p of [...points, stream.length]) {
          for (const o of reader.push(stream.subarray(from, p))) out.push([o.id[0]!, o.size, o.missing, o.data?.toString()]);
          from = p;
        }
        expect(out).toEqual([
          ['a', 11, false, 'hello\nworld'],
          ['b', 0, true, undefined],
          ['c', 0, false, ''],
          ['d', 50, false, undefined],
        ]);
      }),
    );
  });
});
