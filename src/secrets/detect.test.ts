import { describe, expect, it } from 'vitest';
import { activeDetectors, detectSecrets } from './detect.js';
import { Fake, Rng, ALNUM, HEX, checkCase } from './detectors/fake.js';
import { DETECTORS } from './detectors/index.js';
import type { Detector } from './types.js';

const f = new Fake(new Rng(77));

function det(id: string, regex: RegExp, extra: Partial<Detector> = {}): Detector {
  return { id, title: id, family: 'test', keywords: [], regex, severity: 'high', confidence: 'medium', ...extra };
}

describe('detectSecrets', () => {
  it('reports the secret span, not the surrounding context', () => {
    const t = f.checksummed('ghp_');
    const text = `line one\nexport GITHUB_TOKEN="${t}"\n`;
    const [m] = detectSecrets(text);
    expect(m).toMatchObject({ detectorId: 'github-pat-classic', secret: t, confidence: 'high', severity: 'critical', validation: { status: 'valid' } });
    expect(text.slice(m!.start, m!.end)).toBe(t);
  });

  it('drops candidates whose checksum fails and keeps the detector confidence when unknown', () => {
    const t = f.checksummed('ghp_');
    expect(detectSecrets(`x ${t.slice(0, -1)}${t.endsWith('0') ? '1' : '0'}`)).toEqual([]);
    const [m] = detectSecrets(`STRIPE=sk_live_${f.str(ALNUM, 30)}`);
    expect(m).toMatchObject({ detectorId: 'stripe-secret-key', confidence: 'high', validation: { status: 'unknown' } });
  });

  it('keeps the most specific detector when matches overlap', () => {
    const t = f.checksummed('npm_');
    const hits = detectSecrets(`api_key = "${t}"\npassword: "${t}"`);
    expect(hits.map((h) => h.detectorId)).toEqual(['npm-access-token', 'npm-access-token']);
  });

  it('does not let a generic detector report what a provider detector rejected', () => {
    const t = f.checksummed('ghp_');
    const broken = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    expect(detectSecrets(`GITHUB_TOKEN=${broken}`)).toEqual([]);
    expect(detectSecrets(`AWS_SECRET_ACCESS_KEY=${f.str(HEX, 40)}`)).toEqual([]); // hex is no AWS secret
    // A rejection vetoes only less specific detectors, and only where it overlaps.
    const ok = f.checksummed('ghp_');
    expect(detectSecrets(`GITHUB_TOKEN=${broken}\nGH=${ok}`).map((m) => m.secret)).toEqual([ok]);
  });

  it('returns results sorted by offset', () => {
    const a = f.checksummed('ghp_');
    const b = `xoxb-${f.str('123456789', 12)}-${f.str('123456789', 12)}-${f.str(ALNUM, 24)}`;
    const hits = detectSecrets(`SLACK=${b}\nGH=${a}\nSLACK2=${b}`);
    expect(hits.map((h) => h.start)).toEqual([...hits.map((h) => h.start)].sort((x, y) => x - y));
    expect(hits.map((h) => h.detectorId)).toEqual(['slack-bot-token', 'github-pat-classic', 'slack-bot-token']);
  });

  it('skips allowed secrets (matching the secret or the whole match), with global allow regexes too', () => {
    const t = f.checksummed('ghp_');
    expect(detectSecrets(`T=${t}`, { allow: [new RegExp(t.slice(4, 12))] })).toEqual([]);
    const g = /ghp_/g;
    expect(detectSecrets(`T=${t}\nU=${t}`, { allow: [g] })).toEqual([]);
    expect(detectSecrets(`T=${t}`, { allow: [/nomatch/] })).toHaveLength(1);
  });

  it('applies minEntropy', () => {
    const d = det('low', /tok_(?<secret>[a-z]{8,20})/g, { keywords: ['tok_'], minEntropy: 2.5 });
    expect(detectSecrets('tok_aaaaaaaaaa', { detectors: [d] })).toEqual([]);
    expect(detectSecrets('tok_qwhxkzmvpd', { detectors: [d] })).toHaveLength(1);
  });

  it('only runs detectors whose keyword occurs (case-insensitively)', () => {
    let ran = 0;
    const d = det('kw', /x(?<secret>\d{3})/g, {
      keywords: ['magic'],
      validate: () => {
        ran++;
        return { status: 'unknown' };
      },
    });
    expect(detectSecrets('x123', { detectors: [d] })).toEqual([]);
    expect(ran).toBe(0);
    expect(detectSecrets('MaGiC x123', { detectors: [d] })).toHaveLength(1);
    expect(ran).toBe(1);
  });

  it('finds overlapping and nested keywords', () => {
    const ds = [det('ab', /$^/g, { keywords: ['ab'] }), det('bc', /$^/g, { keywords: ['bc'] }), det('b', /$^/g, { keywords: ['b'] }), det('none', /$^/g, { keywords: ['zz'] }), det('always', /$^/g)];
    expect(activeDetectors('abc', ds)).toEqual([0, 1, 2, 4]);
    expect(activeDetectors('', ds)).toEqual([4]);
  });

  it('accepts foreign detectors without d or g flags (or sticky), group 1 or the whole match as the secret', () => {
    const g1 = det('g1', /key=([a-z0-9]{6})/y, { keywords: ['key='] });
    const whole = det('whole', /ZZ[0-9]{4}/i, { keywords: ['zz'] });
    const hits = detectSecrets('key=abc123 zz1234 key=def456', { detectors: [g1, whole] });
    expect(hits.map((h) => [h.detectorId, h.secret, h.start])).toEqual([
      ['g1', 'abc123', 4],
      ['whole', 'zz1234', 11],
      ['g1', 'def456', 22],
    ]);
  });

  it('survives empty matches, absent secret groups and throwing validators', () => {
    const empty = det('empty', /(?<secret>x?)/g);
    const absent = det('absent', /a(?<secret>b)?c/g);
    const throws = det('throws', /boom(?<secret>\d{2})/g, {
      validate: () => {
        throw new Error('bug');
      },
    });
    const hits = detectSecrets('ac yy boom42', { detectors: [empty, absent, throws] });
    expect(hits).toEqual([expect.objectContaining({ detectorId: 'throws', secret: '42', validation: { status: 'unknown', note: 'validator failed: bug' } })]);
  });

  it('finds nothing in ordinary code and config', () => {
    const text = [
      'import { readFile } from "node:fs/promises";',
      'const commit = "3f786850e387550fdab836ed7e6dc881de23001b";',
      'export const API_URL = "https://api.example.org/v1";',
      'steps:',
      '  - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab',
      '  - run: npm ci && npm test',
      '    env:',
      '      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      '      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
      `request_id = "${f.uuid()}"`,
      `integrity: sha512-${f.str(ALNUM, 86)}==`,
      `checksum = "${f.str(HEX, 64)}"`,
    ].join('\n');
    expect(detectSecrets(text)).toEqual([]);
  });

  it('runs the full detector set on a 1 MB file quickly', () => {
    const chunk = `const x = ${JSON.stringify(f.str(ALNUM, 60))};\npassword = process.env.PASSWORD\nurl: https://example.org/path?token=\${TOKEN}\n`;
    const text = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
    const t0 = performance.now();
    detectSecrets(text);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('checkCase reports misses and false positives (the table-test harness)', () => {
    expect(checkCase({ id: 'gcp-api-key', pos: [['nothing here', 'x']], neg: [] }, detectSecrets)[0]).toMatch(/missed/);
    expect(checkCase({ id: 'gcp-api-key', pos: [], neg: [`AIza${f.str(ALNUM, 35)}`] }, detectSecrets)[0]).toMatch(/false positive/);
    expect(DETECTORS.length).toBeGreaterThan(150);
  });
});
