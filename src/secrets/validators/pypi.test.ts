import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMacaroonV2, serializeMacaroonV2, validatePypiToken } from './pypi.js';

/** Independent serializer for the libmacaroons v2 binary format (single-byte lengths suffice here). */
function macaroonBytes(location: string, id: string, caveats: string[], sig: Uint8Array): Buffer {
  const field = (type: number, data: Buffer) => {
    if (data.length > 127) throw new Error('keep test fields short');
    return Buffer.concat([Buffer.from([type, data.length]), data]);
  };
  return Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from(location)),
    field(2, Buffer.from(id)),
    Buffer.from([0]),
    ...caveats.map((c) => Buffer.concat([field(2, Buffer.from(c)), Buffer.from([0])])),
    Buffer.from([0]),
    field(6, Buffer.from(sig)),
  ]);
}
const token = (b: Buffer) => 'pypi-' + b.toString('base64url');

describe('PyPI macaroon tokens', () => {
  it('starts with the documented prefix and validates', () => {
    const t = token(macaroonBytes('pypi.org', 'c0ffee00-1111-4222-8333-444455556666', ['{"version": 1, "permissions": "user"}'], randomBytes(32)));
    expect(t.startsWith('pypi-AgEIcHlwaS5vcmc')).toBe(true);
    expect(validatePypiToken(t)).toEqual({ status: 'valid', note: 'well-formed PyPI macaroon', properties: { location: 'pypi.org', caveats: '1' } });
  });

  it('accepts TestPyPI and any number of caveats', () => {
    const t = token(macaroonBytes('test.pypi.org', 'id', ['a', 'b', 'c'], randomBytes(32)));
    expect(validatePypiToken(t).properties).toEqual({ location: 'test.pypi.org', caveats: '3' });
  });

  it('rejects truncation, a foreign location, a short signature and trailing bytes', () => {
    const good = macaroonBytes('pypi.org', 'id', ['x'], randomBytes(32));
    expect(validatePypiToken(token(good.subarray(0, good.length - 5))).status).toBe('invalid');
    expect(validatePypiToken(token(macaroonBytes('evil.example', 'id', [], randomBytes(32)))).status).toBe('invalid');
    expect(validatePypiToken(token(macaroonBytes('pypi.org', 'id', [], randomBytes(16)))).status).toBe('invalid');
    expect(validatePypiToken(token(Buffer.concat([good, Buffer.from([0])]))).status).toBe('invalid');
    expect(validatePypiToken('pypi-AgEIcHlwaS5vcmc' + '!'.repeat(60)).status).toBe('invalid');
  });

  it('round-trips through its own serializer, including multi-byte lengths', () => {
    const m = { location: 'pypi.org', identifier: 'x'.repeat(300), caveats: ['y'.repeat(200)], signature: new Uint8Array(32).fill(1) };
    const parsed = parseMacaroonV2(serializeMacaroonV2(m));
    expect(parsed.identifier).toBe(m.identifier);
    expect(parsed.caveats).toEqual(m.caveats);
    expect(Buffer.from(parsed.signature)).toEqual(Buffer.from(m.signature));
    expect(macaroonBytes('pypi.org', 'id', ['c'], new Uint8Array(32))).toEqual(
      Buffer.from(serializeMacaroonV2({ location: 'pypi.org', identifier: 'id', caveats: ['c'], signature: new Uint8Array(32) })),
    );
  });
});
