import { describe, expect, it } from 'vitest';
import { activeDetectors, detectSecrets } from './detect.js';
import { DETECTORS } from './detectors/index.js';
import { Fake, Rng } from './detectors/fake.js';
import { detectWithPrefilter } from './engine.js';
import { base64Runs, canCrossLines, KeywordPrefilter, ownLinesSuffice } from './prefilter.js';
import type { Detector } from './types.js';
import fc from 'fast-check';

function corpus(seed: number): string {
  const f = new Fake(new Rng(seed));
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `  const value${i} = compute(path, pattern, task${i}); // ${f.str('abcdefgh ', 30)}`).join('\n');
  const secrets = [
    `GITHUB_TOKEN=${f.checksummed('ghp_')}`,
    `  "npm": "${f.checksummed('npm_')}",`,
    `aws_access_key_id = ${f.awsKeyId()}\naws_secret_access_key = ${f.awsSecret()}`,
    f.pem('rsa'),
    f.openssh(),
    f.ppk(),
    `Authorization: Bearer ${f.jwt()}`,
    `db_password: "${f.str('abcdefghijkLMNOPQ0123456789!@#', 18)}"`,
    `token = '${f.str('abcdefghijkLMNOPQ0123456789', 32)}'`,
    f.gcpServiceAccount().json,
    `SLACK=xoxb-${f.str('0123456789', 11)}-${f.str('0123456789', 12)}-${f.str('abcdefghijkLMNOPQ0123456789', 24)}`,
  ];
  const parts: string[] = [];
  for (const s of secrets) parts.push(filler(5 + f.rng.int(40)), s);
  parts.push(filler(10));
  return parts.join(f.rng.int(2) ? '\n' : '\r\n');
}

describe('keyword prefilter', () => {
  it('finds exactly what detectSecrets finds on the whole text', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const text = corpus(seed);
      const plain = detectSecrets(text, { detectors: DETECTORS });
      const fast = detectWithPrefilter(text, DETECTORS, []).matches;
      expect(plain.length).toBeGreaterThan(8);
      expect(fast).toEqual(plain);
    }
  });

  it('returns no detector for text without keywords, and windows only around hits', () => {
    const pre = new KeywordPrefilter(DETECTORS);
    expect(pre.run('lorem ipsum dolor\nfoo bar\n').detectors).toEqual([]);
    const text = 'a\nb\nc\nx GHP_ here\nd\ne\n';
    const r = pre.run(text);
    expect(r.detectors.map((d) => d.id)).toContain('github-pat-classic');
    expect(r.windows.map((w) => text.slice(w.start, w.end))).toEqual(['x GHP_ here']);
  });

  it('treats line-crossing regexes as multi-line', () => {
    expect(canCrossLines(/-----BEGIN[A-Za-z0-9\s]{1,10}/)).toBe(true);
    expect(canCrossLines(/key="[^"]{1,20}"/)).toBe(true);
    expect(canCrossLines(/key="[^"\r\n]{1,20}"/)).toBe(false);
    expect(canCrossLines(/ghp_[A-Za-z0-9]{36}/)).toBe(false);
    expect(canCrossLines(/a.b/s)).toBe(true);
  });
});

describe('detectors that need only the lines holding their own keywords', () => {
  const det = (regex: RegExp, keywords: string[], validate?: Detector['validate']): Detector => ({
    id: 'x', title: 'x', family: 'test', keywords, regex, severity: 'high', confidence: 'high', ...(validate ? { validate } : {}),
  });

  it('are those whose every match holds a keyword on one line and whose validator takes the secret only', () => {
    expect(ownLinesSuffice(det(/(?<secret>qqx_(?<![A-Za-z0-9_]qqx_)[a-z0-9]{20})(?![A-Za-z0-9_])/dg, ['qqx_']))).toBe(true);
    expect(ownLinesSuffice(det(/QQX[a-z]{4}/g, ['qqx']))).toBe(true); // ASCII case folded like the prefilter
    expect(ownLinesSuffice(det(/zqqx_[a-z]{4}/gi, ['qqx_'], (s) => ({ status: s ? 'unknown' : 'invalid' })))).toBe(true);
    // A validator that takes the match may read around it.
    expect(ownLinesSuffice(det(/qqx_[a-z]{4}/g, ['qqx_'], (_s, m) => ({ status: m.input.length > 0 ? 'unknown' : 'invalid' })))).toBe(false);
    // Matches that may lack the keyword, or span lines, or depend on the text's start.
    expect(ownLinesSuffice(det(/qq[a-z]{4}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/qqx?_[a-z]{4}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/(?<secret>qqx_[a-z]{4})?[0-9]{8}/g, ['qqx_']))).toBe(false);
    // Alternatives each starting with a keyword are fine; one without a keyword is not.
    expect(ownLinesSuffice(det(/(?<![a-z])(?<secret>(?:qqx_|zzy_)[a-z]{4})/g, ['qqx_', 'zzy_']))).toBe(true);
    expect(ownLinesSuffice(det(/(?:qqx_|zz_)[a-z]{4}/g, ['qqx_', 'zzy_']))).toBe(false);
    expect(ownLinesSuffice(det(/(?:qqx_|zzy_)?[a-z]{4}/g, ['qqx_', 'zzy_']))).toBe(false);
    expect(ownLinesSuffice(det(/(?=qqx_)[a-z]{4}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/qqx_[a-z]{4}|[0-9]{8}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/qqx_[a-z]{4}|zzy_[0-9]{8}/g, ['qqx_', 'zzy_']))).toBe(true);
    expect(ownLinesSuffice(det(/qqx_\s{0,2}[a-z]{4}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/^qqx_[a-z]{4}/g, ['qqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/sqx_[a-z]{4}/giu, ['sqx_']))).toBe(false);
    expect(ownLinesSuffice(det(/sqx_[a-z]{4}/gi, ['sqx_']))).toBe(true); // `ſ` folds to `s` under `iu`
    expect(ownLinesSuffice(det(/qqx_[a-z]{4}/g, []))).toBe(false);
    expect(DETECTORS.filter(ownLinesSuffice).map((d) => d.id)).toEqual(expect.arrayContaining(['github-pat-classic', 'aws-access-key-id']));
    expect(DETECTORS.filter(ownLinesSuffice).map((d) => d.id)).not.toContain('azure-identifiable-key');
  });

  it('get the lines of their own keywords, once each, while the windows hold every keyword line', () => {
    const pre = new KeywordPrefilter(DETECTORS);
    const text = 'a\nx GHP_ here ghp_ again\nb\npassword = 1\ny ghp_\n';
    const r = pre.run(text);
    const at = r.detectors.findIndex((d) => d.id === 'github-pat-classic');
    expect(r.own[at]!.reduce<string[]>((acc, _v, k, a) => (k % 2 === 0 ? [...acc, text.slice(a[k]!, a[k + 1]!)] : acc), [])).toEqual(['x GHP_ here ghp_ again', 'y ghp_']);
    expect(r.windows.map((w) => text.slice(w.start, w.end))).toEqual(['x GHP_ here ghp_ again', 'password = 1', 'y ghp_']);
    expect(r.own[r.detectors.findIndex((d) => d.id === 'generic-password')]).toBeUndefined();
  });
});

describe('keyword prefilter on long texts (run as two interleaved halves)', () => {
  it('finds a keyword that straddles the middle, once, with its own line as window', () => {
    const pre = new KeywordPrefilter(DETECTORS);
    for (let shift = -6; shift <= 6; shift++) {
      const head = `${'lorem ipsum dolor sit amet\n'.repeat(300)}${'x'.repeat(40)} GHP_ here`;
      // Tail length puts the middle of the text `shift` characters from the keyword's middle.
      const at = head.indexOf('GHP_') + 2 + shift;
      const text = `${head}\n${'z'.repeat(2 * at - head.length - 1)}`;
      expect((text.length >> 1) - (text.indexOf('GHP_') + 2)).toBe(shift);
      const r = pre.run(text);
      expect(r.detectors.map((d) => d.id)).toContain('github-pat-classic');
      expect(r.windows.map((w) => text.slice(w.start, w.end))).toEqual([`${'x'.repeat(40)} GHP_ here`]);
    }
  });

  it('enables the detectors the keyword regex of detectSecrets enables, on any text', () => {
    const pre = new KeywordPrefilter(DETECTORS);
    const words = ['ghp_', 'AKIA', 'xoxb-', 'password', 'token', 'BEGIN', ' ', '\n', 'lorem ', 'abc', 'é', '\r\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 1500 }), (parts) => {
        const text = parts.join('');
        const ids = pre.run(text).detectors.map((d) => d.id).sort();
        const viaRegex = activeDetectors(text, DETECTORS).map((i) => DETECTORS[i]!.id).sort();
        expect(ids).toEqual(viaRegex);
      }),
      { numRuns: 150 },
    );
  });
});

describe('base64 runs from the prefilter pass', () => {
  it('samples the text but finds exactly the runs a character-by-character scan finds', () => {
    const pre = new KeywordPrefilter(DETECTORS);
    const classOf = (pre as unknown as { classOf: Uint8Array }).classOf;
    const naive = (text: string): number[] => {
      const out: number[] = [];
      for (const m of text.matchAll(/[A-Za-z0-9+/_-]{28,}/g)) out.push(m.index, m.index + m[0].length);
      return out;
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(' ', '.', '=', '\n', ':'), fc.integer({ min: 1, max: 60 }).map((n) => 'aZ9+/_-'.repeat(9).slice(0, n))), { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        expect(base64Runs(text, classOf)).toEqual(naive(text));
      }),
      { numRuns: 1000 },
    );
  });


  it('reports maximal base64-alphabet runs of 28+ characters, like the decoder would find', async () => {
    const { findEncodedBlobs } = await import('./decode.js');
    const pre = new KeywordPrefilter(DETECTORS);
    const b64 = Buffer.from('password=Zk29Lq0xPw7Nc5Rt1Ym9HbQs').toString('base64');
    const text = `short abc\nx: ${b64}\nend ${'a'.repeat(27)} ${'B'.repeat(40)}`;
    const { runs } = pre.run(text);
    expect(runs.length).toBe(4);
    expect(text.slice(runs[0], runs[1])).toBe(b64.replace(/=+$/, ''));
    const viaRuns = findEncodedBlobs(text, { remaining: 1e6 }, runs);
    const direct = findEncodedBlobs(text, { remaining: 1e6 });
    expect(viaRuns).toEqual(direct);
    expect(viaRuns.map((b) => b.decoded)).toEqual(['password=Zk29Lq0xPw7Nc5Rt1Ym9HbQs']);
  });
});
