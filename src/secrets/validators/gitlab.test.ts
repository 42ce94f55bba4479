import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildGitlabRoutableToken, gitlabRoutableChecksum, validateGitlabRoutable } from './gitlab.js';

/**
 * Independent generator following GitLab's Authn::TokenField::Generator::RoutableToken:
 * prefix + base64url(random16 + payload + byte(len)) + '.01.' + len36(2) + crc36(7).
 */
function makeRoutable(prefix: string, payload: string, withVersion = true): string {
  const raw = Buffer.concat([randomBytes(16), Buffer.from(payload), Buffer.from([payload.length])]);
  const b64 = raw.toString('base64url');
  const encoded = `${prefix}${b64}.${withVersion ? '01.' : ''}${b64.length.toString(36).padStart(2, '0')}`;
  return encoded + crc32(encoded).toString(36).padStart(7, '0');
}

describe('GitLab routable token checksum', () => {
  it('accepts tokens from an independent generator, with and without the version segment', () => {
    for (const prefix of ['glpat-', 'gldt-', 'glrt-t1_']) {
      for (let i = 0; i < 30; i++) {
        expect(validateGitlabRoutable(makeRoutable(prefix, 'o:1\nu:2s')).status).toBe('valid');
        expect(validateGitlabRoutable(makeRoutable(prefix, 'c:2s\no:9ix', false)).status).toBe('valid');
      }
    }
  });

  it('decodes routing ids (base36 in the token) as decimal properties', () => {
    const v = validateGitlabRoutable(makeRoutable('glpat-', `g:${(4242).toString(36)}\no:${(17).toString(36)}\nt:pat`));
    expect(v.properties).toEqual({ group: '4242', organization: '17', type: 'pat' });
  });

  it('covers the prefix with the CRC: the same body under another prefix fails', () => {
    const t = makeRoutable('glpat-', 'o:1');
    expect(validateGitlabRoutable('gldt-' + t.slice('glpat-'.length)).status).toBe('invalid');
  });

  it('rejects a changed character or a wrong length field', () => {
    const t = makeRoutable('glpat-', 'o:1');
    const i = 12;
    expect(validateGitlabRoutable(t.slice(0, i) + (t[i] === 'a' ? 'b' : 'a') + t.slice(i + 1)).status).toBe('invalid');
    const lenAt = t.length - 9;
    const body = t.slice(0, lenAt) + 'zz';
    expect(validateGitlabRoutable(body + gitlabRoutableChecksum(body)).status).toBe('invalid');
  });

  it('leaves non-routable shapes to the caller', () => {
    expect(validateGitlabRoutable('glpat-' + 'x1Y2'.repeat(5)).status).toBe('unknown');
  });

  it('builds tokens that validate', () => {
    const t = buildGitlabRoutableToken('glpat-', new Uint8Array(16).fill(7), { o: 12345, u: 99 });
    expect(validateGitlabRoutable(t)).toMatchObject({ status: 'valid', properties: { organization: '12345', user: '99' } });
    expect(() => buildGitlabRoutableToken('glpat-', new Uint8Array(3), { o: 1 })).toThrow();
  });
});
