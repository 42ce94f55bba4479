import { describe, expect, it } from 'vitest';
import { notAuditedFinding, meta } from './rule.js';
import { decodeWithBom } from '../../../sources/read.js';

describe('not-audited', () => {
  it('is high, CICD-SEC-10 and CWE-636, at line 1 of the file, with the reason', () => {
    const f = notAuditedFinding('.github/workflows/a.yml', 'file is 6.0 MiB, over the 5.0 MiB limit; skipped');
    expect([f.ruleId, f.severity, f.confidence, f.owasp, f.cwe]).toEqual(['not-audited', 'high', 'high', ['CICD-SEC-10'], ['CWE-636']]);
    expect(`${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.message}`).toBe('.github/workflows/a.yml:1:1 file is 6.0 MiB, over the 5.0 MiB limit; not audited');
    expect(meta.platform).toBe('core');
  });

  it('keeps the fingerprint when only the figures change, not when the reason does', () => {
    const a = notAuditedFinding('x.yml', 'file is 6.0 MiB, over the 5.0 MiB limit; skipped');
    const b = notAuditedFinding('x.yml', 'file is 7.5 MiB, over the 5.0 MiB limit; skipped');
    const c = notAuditedFinding('x.yml', 'binary file; skipped');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('decodeWithBom', () => {
  const text = 'on: push\njobs: {}\n';
  it('decodes UTF-8, UTF-8 with BOM, UTF-16LE and UTF-16BE with BOM to the same text', () => {
    expect([
      decodeWithBom(Buffer.from(text)),
      decodeWithBom(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
      decodeWithBom(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
      decodeWithBom(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])),
    ]).toEqual([{ text }, { text }, { text }, { text }]);
  });

  it('refuses binary data, BOM-less UTF-16 and undecodable UTF-16', () => {
    expect(decodeWithBom(Buffer.from(text, 'utf16le'))).toEqual({ error: 'binary file' });
    expect(decodeWithBom(Buffer.from([0xff, 0xfe, 0x00, 0x00]))).toEqual({ error: 'binary file' });
    expect(decodeWithBom(Buffer.from([0xfe, 0xff, 0x00]))).toEqual({ error: 'not valid UTF-16BE although it starts with that byte order mark' });
    expect(decodeWithBom(Buffer.from([0xef, 0xbb, 0xbf, 0x00]))).toEqual({ error: 'binary file' });
  });
});
