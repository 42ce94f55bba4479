import { describe, expect, it } from 'vitest';
import { findEncodedBlobs } from './decode.js';

/*
 * Every decoder must move past what it decoded and keep going: a later encoded token on the same
 * line, on the next line, or after a literal it could not decode is still found. Exact lists
 * (encoding, decoded text, span text, start offset), in text order per decoder.
 */

const T1 = 'token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs';
const T2 = 'secret=Hq3Jw5Ke7Lr9Zt2Xy4Cu6Vi8';
const T3 = 'apikey=Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3';

const all = (text: string) => findEncodedBlobs(text, { remaining: 1 << 20 }).map((b) => [b.encoding, b.decoded, text.slice(b.start, b.end), b.start]);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hex = (s: string) => Buffer.from(s).toString('hex');
const pct = (s: string) => [...s].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
const json = (s: string) => JSON.stringify(s).slice(1, -1);

describe('decoders advance to later tokens', () => {
  it('base64: three blobs on one line and one on the next', () => {
    const text = `a ${b64(T1)} b ${b64(T2)} c ${b64(T3)}\nd ${b64(T1)}`;
    expect(all(text)).toEqual([
      ['base64', T1, b64(T1), 2],
      ['base64', T2, b64(T2), 2 + b64(T1).length + 3],
      ['base64', T3, b64(T3), text.indexOf(b64(T3))],
      ['base64', T1, b64(T1), text.lastIndexOf(b64(T1))],
    ]);
  });

  it('hex: two blobs on one line, one after a run that is not text', () => {
    const binary = 'ff00fe01'.repeat(8);
    const text = `${hex(T1)} ${binary} ${hex(T2)}\n${hex(T3)}`;
    expect(all(text)).toEqual([
      ['hex', T1, hex(T1), 0],
      ['hex', T2, hex(T2), text.indexOf(hex(T2))],
      ['hex', T3, hex(T3), text.indexOf(hex(T3))],
    ]);
  });

  it('percent: two tokens on one line and one on the next', () => {
    const text = `GET /?a=${pct(T1)} HTTP ${pct(T2)}\nq=${pct(T3)}`;
    expect(all(text)).toEqual([
      ['percent', `/?a=${T1}`, `/?a=${pct(T1)}`, 4],
      ['percent', T2, pct(T2), text.indexOf(pct(T2))],
      ['percent', `q=${T3}`, `q=${pct(T3)}`, text.indexOf(`q=${pct(T3)}`)],
    ]);
  });

  it('json-escape: every escaped literal on a line, then the next lines, past undecodable ones', () => {
    const l1 = `{"a": "${json(`x\n${T1}`)}", "b": "${json(`y\n${T2}`)}"}`;
    const l2 = `{"bad": "\\n\\q not json ${'z'.repeat(30)}", "ok": "${json(`\n${T3}`)}"}`;
    const l3 = `'single\\n ${T1}' then "${json(`\u00e9 ${T2}`).replace('é', '\\u00e9')}"`;
    const text = [l1, l2, l3].join('\n');
    const found = all(text);
    expect(found.map((f) => [f[0], f[1]])).toEqual([
      ['json-escape', `x\n${T1}`],
      ['json-escape', `y\n${T2}`],
      ['json-escape', `\n${T3}`],
      ['json-escape', `\u00e9 ${T2}`],
    ]);
    for (const [, , span, start] of found) expect(text.slice(start as number, (start as number) + (span as string).length)).toBe(span);
  });

  it('all four encodings in one text: each decoder finds its own, none hides another', () => {
    const text = [`x: ${b64(T1)}`, `y: ${hex(T2)}`, `z: ${pct(T3)}`, `w: "${json(`\n${T1}`)}"`, `v: ${b64(T3)}`].join('\n');
    expect(all(text).map((f) => [f[0], f[1]])).toEqual([
      ['base64', T1],
      ['hex', T2],
      ['base64', T3],
      ['percent', T3],
      ['json-escape', `\n${T1}`],
    ]);
  });
});
