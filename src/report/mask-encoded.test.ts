import { describe, expect, it } from 'vitest';
import { GH_PAT, NPM_TOKEN, leaks } from '../../test/secrets/fixtures.js';
import { maskedSourceOf } from './mask.js';

/*
 * Code frames of any rule star out secrets the engine finds inside encoded blobs, whatever the
 * encoding, even when no finding points at that line: the frame must not print a blob that
 * decodes to the token. Checked against every leaked form (plain, base64, base64url, hex,
 * percent, JSON escapes) and line by line.
 */

describe('maskedSourceOf: secrets inside encoded blobs', () => {
  /** How the DATA value reads once masked: a blob is starred out whole but its first 4 characters. */
  const starred = (blob: string) => blob.slice(0, 4) + '*'.repeat(blob.length - 4);
  const forms: Array<[name: string, encode: (s: string) => string, masked?: (blob: string, secret: string) => string]> = [
    ['base64', (s) => Buffer.from(`token=${s}`).toString('base64')],
    ['base64url', (s) => Buffer.from(`token=${s}??`).toString('base64url')],
    ['hex', (s) => Buffer.from(`token=${s}`).toString('hex')],
    ['percent', (s) => encodeURIComponent(`{"token": "${s}"}`)],
    // The token stands in the literal as is (only the newline is escaped): it is starred out alone.
    ['json-escape', (s) => JSON.stringify(`line one\ntoken=${s}`), (blob, s) => blob.replace(s.slice(4), '*'.repeat(s.length - 4))],
    ['base64 of base64', (s) => Buffer.from(`inner: ${Buffer.from(`token=${s}`).toString('base64')}`).toString('base64')],
  ];

  for (const [name, encode, maskedAs = starred] of forms) {
    it(`stars out a ${name} blob holding a token, keeping the line's other text`, () => {
      for (const secret of [GH_PAT, NPM_TOKEN]) {
        const blob = encode(secret);
        const source = `env:\n  IMAGE: node:20\n  DATA: ${blob}\n  NAME: build\n`;
        const masked = maskedSourceOf(() => source, [], [])('ci.yml')!;
        expect(leaks(masked, [secret])).toEqual([]);
        expect(masked).not.toContain(blob.slice(8, 24));
        const lines = masked.split('\n');
        expect([lines[0], lines[1], lines[3]]).toEqual(['env:', '  IMAGE: node:20', '  NAME: build']);
        expect(lines[2]).toBe(`  DATA: ${maskedAs(blob, secret)}`);
      }
    });
  }
});
