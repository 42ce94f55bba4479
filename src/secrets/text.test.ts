import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { renderReport } from '../report/index.js';
import { Fake, Rng } from './detectors/fake.js';
import { runSecretsScan } from './run.js';
import { decodeText, textKind } from './text.js';
import { leaks, tempDir, write } from '../../test/secrets/fixtures.js';

const fake = new Fake(new Rng(1611));
const TOKEN = fake.checksummed('ghp_');
const NPM = fake.checksummed('npm_');

const le = (s: string): Buffer => Buffer.from(s, 'utf16le');
const be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);

describe('decodeText', () => {
  it('decodes UTF-16 with a byte-order mark (dropped) in both byte orders', () => {
    expect(decodeText(Buffer.concat([LE_BOM, le('héllo 世界\n')]))).toBe('héllo 世界\n');
    expect(decodeText(Buffer.concat([BE_BOM, be('héllo 世界\n')]))).toBe('héllo 世界\n');
  });

  it('decodes BOM-less UTF-16 of mostly ASCII text by where its NUL bytes fall', () => {
    expect(textKind(le('a=1\r\nb=Müller\r\n'))).toBe('utf16');
    expect(decodeText(le('a=1\r\nb=Müller\r\n'))).toBe('a=1\r\nb=Müller\r\n');
    expect(decodeText(be('a=1\nb=Müller\n'))).toBe('a=1\nb=Müller\n');
    expect(decodeText(le('x'))).toBe('x');
  });

  it('drops a UTF-8 byte-order mark so that line 1 columns count from the first character', () => {
    expect(decodeText(Buffer.from('\ufeffa=é\n', 'utf8'))).toBe('a=é\n');
    expect(decodeText(Buffer.from('a=é\n', 'utf8'))).toBe('a=é\n');
  });

  it('keeps binary data binary: NUL units, control codes, odd lengths, non-Latin text without a BOM', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from(`token=${TOKEN}`)]);
    expect(textKind(png)).toBe('binary');
    // A table of small 16-bit integers has the zero high bytes of UTF-16LE, but its low bytes are control codes.
    expect(textKind(Buffer.from(new Uint16Array(Array.from({ length: 64 }, (_, i) => i + 1)).buffer))).toBe('binary');
    expect(textKind(Buffer.concat([le('abcdef'), Buffer.from([0x41])]))).toBe('binary'); // odd length
    expect(textKind(Buffer.from('a=1\0b=2\n'))).toBe('binary'); // one NUL in ASCII text
    expect(textKind(le('id: 日本語のテキストです'))).toBe('binary'); // mostly non-Latin: nothing says this is text
    expect(decodeText(png)).toBeUndefined();
  });

  it('decides on the first 8 KiB like the binary test: mostly ASCII is 90% of the units', () => {
    expect(textKind(le('a'.repeat(90) + '日'.repeat(10)))).toBe('utf16');
    expect(textKind(le('a'.repeat(89) + '日'.repeat(11)))).toBe('binary');
    expect(textKind(Buffer.concat([le('a'.repeat(4096)), Buffer.alloc(64)]))).toBe('utf16'); // NUL units past 8 KiB are not read
  });
});

describe('UTF-16 files in a directory scan', () => {
  it('finds secrets in UTF-16LE/BE files with or without a BOM at their real lines and columns; binary files stay skipped', async () => {
    const root = tempDir();
    const body = (eol: string) => ['# deploy settings (Müller)', 'REGION=eu-west-1', `GITHUB_TOKEN=${TOKEN}`, `  npm: "${NPM}"`, ''].join(eol);
    write(root, 'le-bom.env', Buffer.concat([LE_BOM, le(body('\r\n'))]));
    write(root, 'be-bom.env', Buffer.concat([BE_BOM, be(body('\n'))]));
    write(root, 'le.ps1.txt', le(body('\r\n')));
    write(root, 'be.txt', be(body('\n')));
    write(root, 'blob.bin', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), le(body('\n'))]));
    const r = await runSecretsScan(DEFAULT_CONFIG, { mode: 'tree', path: root, ignore: true, maxFileSize: 1 << 20, verify: false });
    const at = (file: string) => [
      `${file}:3:14-3:54 secrets/github-pat-classic`,
      `${file}:4:9-4:49 secrets/npm-access-token`,
    ];
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId}`)).toEqual([
      ...at('be-bom.env'),
      ...at('be.txt'),
      ...at('le-bom.env'),
      ...at('le.ps1.txt'),
    ]);
    expect(r.diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual(['blob.bin: binary file; skipped']);
    // The code frame is the decoded line, secret starred out.
    const out = renderReport(r.findings.slice(0, 1), 'text', { ...r, docsFor: () => undefined, toolVersion: 't', color: false, diagnostics: [], root, suppressedCount: 0 });
    expect(out.split('\n').slice(0, 3)).toEqual([
      'be-bom.env:3:14: critical[high] secrets/github-pat-classic: GitHub personal access token (classic) ghp_******** found',
      '  3 | GITHUB_TOKEN=ghp_************************************',
      '    |              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    ]);
    expect(leaks(out, [TOKEN, NPM])).toEqual([]);
  });
});
