import { describe, it, expect } from 'vitest';
import type { Location } from '../core/finding.js';
import { codeFrame, splitLines } from './frame.js';

const at = (startLine: number, startColumn: number, endLine: number, endColumn: number): Location => ({
  file: 'f.yml',
  startLine,
  startColumn,
  endLine,
  endColumn,
});

describe('codeFrame', () => {
  it('underlines the columns of a single line', () => {
    const lines = splitLines('a: 1\nrun: echo ${{ x }}\n');
    expect(codeFrame(lines, at(2, 11, 2, 19))).toEqual(['  2 | run: echo ${{ x }}', '    |           ^^^^^^^^']);
  });

  it('strips CRLF but shows a lone CR', () => {
    const lines = splitLines('x: a\rb\r\ny: 2\r\n');
    expect(codeFrame(lines, at(1, 1, 1, 2))).toEqual(['  1 | x: a\\x0db', '    | ^']);
  });

  it('aligns the underline after tabs and escaped characters', () => {
    const lines = splitLines('\t\x1bkey: v');
    expect(codeFrame(lines, at(1, 3, 1, 6))).toEqual(['  1 | \t\\x1bkey: v', '    | \t    ^^^']);
  });

  it('caps the frame at 5 lines, ignores an end at column 1 and pads the gutter', () => {
    const lines = splitLines(Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n'));
    expect(codeFrame(lines, at(8, 1, 15, 1))).toEqual([
      '   8 | l8',
      '     | ^^',
      '   9 | l9',
      '  10 | l10',
      '  11 | l11',
      '  12 | l12',
      '     | ... 2 more lines',
    ]);
    expect(codeFrame(lines, at(3, 2, 4, 1))).toEqual(['  3 | l3', '    |  ^']);
  });

  it('windows a long line around the start column', () => {
    const long = 'x'.repeat(300) + 'TARGET' + 'y'.repeat(300);
    const [line, marks] = codeFrame([long], at(1, 301, 1, 307));
    expect(line).toBe('  1 | …' + 'x'.repeat(40) + 'TARGET' + 'y'.repeat(154) + '…');
    expect(marks).toBe('    | ' + ' '.repeat(41) + '^^^^^^');
  });

  it('shows one caret at end of line and nothing for a line outside the file', () => {
    expect(codeFrame(['ab'], at(1, 3, 1, 3))).toEqual(['  1 | ab', '    |   ^']);
    expect(codeFrame(['ab'], at(5, 1, 5, 2))).toEqual([]);
  });

  it('prints an empty line without trailing space', () => {
    expect(codeFrame([''], at(1, 1, 1, 1))).toEqual(['  1 |', '    | ^']);
  });
});
