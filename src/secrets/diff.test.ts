import { describe, expect, it } from 'vitest';
import { DiffParser, parseHeaderPath, type AddedBlock } from './diff.js';
import { LineSplitter } from './lines.js';

function parse(text: string, accept?: (f: string) => boolean): AddedBlock[] {
  const out: AddedBlock[] = [];
  const p = new DiffParser((b) => out.push({ ...b, lines: [...b.lines], lineNos: [...b.lineNos] }), accept);
  for (const l of text.split('\n')) p.line(l);
  p.end();
  return out;
}

describe('DiffParser', () => {
  it('keeps added lines with new-file line numbers, per commit and file', () => {
    const log = [
      '\x1eaaaa\x1fAlice\x1falice@example.com\x1f2024-01-02T03:04:05+00:00',
      '',
      'diff --git a/x.txt b/x.txt',
      'index 1..2 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -3,0 +4,2 @@ ctx',
      '+four',
      '+five',
      '@@ -10 +11 @@',
      '-old',
      '+eleven',
      'diff --git a/y.txt b/y.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/y.txt',
      '@@ -0,0 +1 @@',
      '+only',
      '\\ No newline at end of file',
      '\x1ebbbb\x1fBob\x1fbob@example.com\x1f2024-01-01T00:00:00+00:00',
      'diff --git a/x.txt b/x.txt',
      'deleted file mode 100644',
      '--- a/x.txt',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-a',
      '-b',
    ].join('\n');
    const blocks = parse(log);
    expect(blocks.map((b) => [b.commit?.commit, b.commit?.author, b.file, b.lines, b.lineNos])).toEqual([
      ['aaaa', 'Alice', 'x.txt', ['four', 'five', 'eleven'], [4, 5, 11]],
      ['aaaa', 'Alice', 'y.txt', ['only'], [1]],
    ]);
    expect(blocks[0]!.commit).toEqual({ commit: 'aaaa', author: 'Alice', email: 'alice@example.com', date: '2024-01-02T03:04:05+00:00' });
  });

  it('a content line that looks like a header is content (counts drive the hunk)', () => {
    const diff = ['diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -0,0 +1,3 @@', '+diff --git a/evil b/evil', '++++ b/evil', '+\x1efake\x1fX\x1fx\x1fd'].join('\n');
    expect(parse(diff).map((b) => [b.file, b.lines])).toEqual([['a', ['diff --git a/evil b/evil', '+++ b/evil', '\x1efake\x1fX\x1fx\x1fd']]]);
  });

  it('skips files the filter rejects and strips CR of CRLF files', () => {
    const diff = ['diff --git a/k b/k', '+++ b/k', '@@ -0,0 +1 @@', '+keep\r', 'diff --git a/package-lock.json b/package-lock.json', '+++ b/package-lock.json', '@@ -0,0 +1 @@', '+skip'].join('\n');
    expect(parse(diff, (f) => f !== 'package-lock.json').map((b) => [b.file, b.lines])).toEqual([['k', ['keep']]]);
  });

  it('splits a huge file into bounded blocks', () => {
    const out: AddedBlock[] = [];
    const p = new DiffParser((b) => out.push(b), () => true, 100);
    for (const l of ['diff --git a/a b/a', '+++ b/a', '@@ -0,0 +1,10 @@']) p.line(l);
    for (let i = 0; i < 10; i++) p.line('+' + 'x'.repeat(30));
    p.end();
    expect(out.length).toBeGreaterThan(2);
    expect(out.flatMap((b) => b.lineNos)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('parses quoted paths', () => {
    expect(parseHeaderPath('b/plain.txt')).toBe('plain.txt');
    expect(parseHeaderPath('"b/sp ace\\t\\"q\\".txt"')).toBe('sp ace\t"q".txt');
    expect(parseHeaderPath('"b/caf\\303\\251.txt"')).toBe('café.txt');
    expect(parseHeaderPath('b/with space.txt\t')).toBe('with space.txt');
    expect(parseHeaderPath('/dev/null')).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  const run = (chunks: Buffer[], max = 1000): Array<[string, boolean]> => {
    const out: Array<[string, boolean]> = [];
    const s = new LineSplitter(max);
    for (const c of chunks) s.push(c, (l, t) => out.push([l, t]));
    s.end((l, t) => out.push([l, t]));
    return out;
  };

  it('splits on LF only, across chunk boundaries and inside multi-byte characters', () => {
    const bytes = Buffer.from('a\rb\nca\u00e9f\nlast');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)];
    expect(run(chunks)).toEqual([
      ['a\rb', false],
      ['ca\u00e9f', false],
      ['last', false],
    ]);
  });

  it('truncates lines longer than the limit but still counts them', () => {
    const out = run([Buffer.from('x'.repeat(10)), Buffer.from('y'.repeat(10) + '\nok\n')], 15);
    expect(out).toEqual([
      ['x'.repeat(10) + 'y'.repeat(5), true],
      ['ok', false],
    ]);
  });
});
