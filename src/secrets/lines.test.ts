import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lines.js';

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
