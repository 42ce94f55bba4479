import { describe, expect, it } from 'vitest';
import { templateSpans } from './template-spans.js';

const spans = (text: string) => templateSpans(text).map((s) => `${text.slice(s.start, s.end)}${s.closed ? '' : ' (open)'}`);

describe('templateSpans', () => {
  it('finds each ${{ }} with its delimiters, none in plain text', () => {
    expect(spans('echo ${{ github.ref }} and ${{inputs.x}}')).toEqual(['${{ github.ref }}', '${{inputs.x}}']);
    expect(spans('echo $HOME ${ x } {{ y }}')).toEqual([]);
  });

  it('a }} inside a single-quoted literal does not close the template', () => {
    expect(spans("${{ format('}}{0}', x) }} tail")).toEqual(["${{ format('}}{0}', x) }}"]);
  });

  it('an unterminated template runs to the end of the text and is the last span', () => {
    expect(spans('a ${{ x }} b ${{ y ${{ z }}')).toEqual(['${{ x }}', '${{ y ${{ z }}']);
    expect(spans('a ${{ x }} b ${{ y')).toEqual(['${{ x }}', '${{ y (open)']);
    expect(templateSpans('${{ x')).toEqual([{ start: 0, end: 5, closed: false }]);
  });
});
