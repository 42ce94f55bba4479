import { describe, expect, it } from 'vitest';
import { decodeJwt, validateJwt } from './jwt.js';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (h: object, p: object, sig = 'c2lnbmF0dXJlLWJ5dGVzLWZvci10ZXN0cw') => `${enc(h)}.${enc(p)}.${sig}`;

describe('JWT validation', () => {
  it('decodes header and payload and exposes alg, typ, iss and exp', () => {
    const v = validateJwt(jwt({ alg: 'RS256', typ: 'JWT' }, { iss: 'https://token.actions.githubusercontent.com', exp: 4102444800 }));
    expect(v.status).toBe('valid');
    expect(v.properties).toEqual({ alg: 'RS256', typ: 'JWT', iss: 'https://token.actions.githubusercontent.com', exp: '2100-01-01T00:00:00.000Z' });
    expect(v.note).toBe('decodes as a JWT');
  });

  it('notes unsigned (alg none) and expired tokens', () => {
    expect(validateJwt(jwt({ alg: 'none' }, { sub: 'x' }, '')).note).toMatch(/alg none/);
    expect(validateJwt(jwt({ alg: 'HS256' }, { exp: 1000 })).note).toMatch(/expired/);
  });

  it('rejects non-JSON parts, a missing alg and a signed token without signature', () => {
    expect(validateJwt('eyJub3QganNvbg.eyJhIjoxfQ.sig').status).toBe('invalid');
    expect(validateJwt(jwt({ typ: 'JWT' }, { a: 1 })).status).toBe('invalid');
    expect(validateJwt(jwt({ alg: 'HS256' }, { a: 1 }, '')).status).toBe('invalid');
    expect(validateJwt(`${enc({ alg: 'HS256' })}.${enc([1, 2])}.sig`).status).toBe('invalid');
    expect(decodeJwt('a.b')).toBeUndefined();
  });

  it('drops the jwt.io sample token', () => {
    const sample = jwt({ alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c');
    expect(validateJwt(sample)).toMatchObject({ status: 'invalid', note: 'well-known example token' });
  });
});
