import { describe, expect, it } from 'vitest';
import { findEncodedBlobs } from './decode.js';

const budget = () => ({ remaining: 1 << 20 });
const blobs = (text: string) => findEncodedBlobs(text, budget()).map((b) => [b.encoding, b.decoded, text.slice(b.start, b.end)]);

describe('findEncodedBlobs', () => {
  const inner = 'api_token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs';

  it('decodes base64 (standard and URL-safe) that turns out to be text', () => {
    const std = Buffer.from(inner).toString('base64');
    const url = Buffer.from(inner + '??>>').toString('base64url');
    expect(blobs(`data: ${std}\nx=${url}`)).toEqual([
      ['base64', inner, std],
      ['base64', inner + '??>>', url],
    ]);
  });

  it('ignores identifiers, paths, digests and binary base64', () => {
    const text = [
      'someVeryLongIdentifierNameWithoutDigitsAtAll',
      'src/components/widgets/AbstractWidgetFactory2.tsx',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256)).toString('base64'),
    ].join('\n');
    expect(blobs(text)).toEqual([]);
  });

  it('decodes hex and percent-encoding', () => {
    const hex = Buffer.from(inner).toString('hex');
    expect(blobs(`k = ${hex}`)).toEqual([['hex', inner, hex]]);
    const pct = encodeURIComponent('{"token": "Zk29Lq0xPw7Nc5Rt1Ym9HbQs"}');
    expect(blobs(`GET ${pct}&x=1 HTTP/1.1`)[0]).toEqual(['percent', '{"token": "Zk29Lq0xPw7Nc5Rt1Ym9HbQs"}&x=1', `${pct}&x=1`]);
  });

  it('unescapes JSON strings that hold escaped newlines (PEM keys in JSON)', () => {
    const text = JSON.stringify({ key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n' });
    const [b] = findEncodedBlobs(text, budget());
    expect(b?.encoding).toBe('json-escape');
    expect(b?.decoded).toContain('\nMIIEvQIBADANBg\n');
  });

  it('stops at the decoded-bytes budget', () => {
    const one = Buffer.from(inner).toString('base64');
    const text = Array.from({ length: 10 }, () => one).join('\n');
    expect(findEncodedBlobs(text, { remaining: inner.length * 3 }).length).toBe(3);
  });
});

describe('anchored scanners', () => {
  it('json-escape: the literal around the escape, with escaped quotes inside', () => {
    const text = `x = "say \\"hi\\" then\\n token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs"; y = "100%"`;
    const [b] = findEncodedBlobs(text, { remaining: 1e6 });
    expect(b?.encoding).toBe('json-escape');
    expect(b?.decoded).toBe('say "hi" then\n token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs');
  });

  it('percent: text full of % signs but no encoded token costs nothing and finds nothing', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `printf("%d%% done %s", ${i}, name); width: 50%;`).join('\n');
    const started = performance.now();
    expect(findEncodedBlobs(text, { remaining: 1e6 })).toEqual([]);
    // Catches a runaway rescan, not a speed test: a loaded machine or Stryker's instrumented
    // build takes seconds here where an idle one takes milliseconds (speed belongs in bench/).
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
