/**
 * PyPI API tokens are `pypi-` + base64url(macaroon, libmacaroons binary format v2):
 *   0x02, [location field], identifier field, EOS, { caveat fields..., EOS }*, EOS, signature field
 * where a field is varint(type) varint(length) bytes (types: 1 location, 2 identifier, 4 vid,
 * 6 signature) and EOS is a 0 byte. `pypi-AgEIcHlwaS5vcmc` is the encoding of 0x02 0x01 0x08 "pypi.org".
 */
import type { Validation } from '../types.js';

const LOCATION = 1;
const IDENTIFIER = 2;
const VID = 4;
const SIGNATURE = 6;
const SIGNATURE_BYTES = 32;
const LOCATIONS = new Set(['pypi.org', 'test.pypi.org']);

export interface Macaroon {
  location?: string;
  identifier: string;
  caveats: string[];
  signature: Uint8Array;
}

class Reader {
  at = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(): number {
    let n = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.at >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.at++]!;
      n |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return n;
    }
    throw new Error('varint too long');
  }
  /** Next field; type 0 (end of section) has no body. */
  field(): { type: number; data: Uint8Array } {
    const type = this.varint();
    if (type === 0) return { type, data: new Uint8Array() };
    const len = this.varint();
    if (this.at + len > this.buf.length) throw new Error('truncated field');
    const data = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return { type, data };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a v2 binary macaroon; throws on anything malformed, including trailing bytes. */
export function parseMacaroonV2(buf: Uint8Array): Macaroon {
  if (buf[0] !== 2) throw new Error('not a v2 macaroon');
  const r = new Reader(buf);
  r.at = 1;
  let f = r.field();
  let location: string | undefined;
  if (f.type === LOCATION) {
    location = utf8.decode(f.data);
    f = r.field();
  }
  if (f.type !== IDENTIFIER) throw new Error('missing identifier');
  const identifier = utf8.decode(f.data);
  if (r.field().type !== 0) throw new Error('header not terminated');
  const caveats: string[] = [];
  for (let i = 0; i < 1000; i++) {
    f = r.field();
    if (f.type === 0) break; // end of the caveat list
    if (f.type === LOCATION) f = r.field();
    if (f.type !== IDENTIFIER) throw new Error('caveat without identifier');
    caveats.push(utf8.decode(f.data));
    f = r.field();
    if (f.type === VID) f = r.field();
    if (f.type !== 0) throw new Error('caveat not terminated');
  }
  f = r.field();
  if (f.type !== SIGNATURE || f.data.length !== SIGNATURE_BYTES) throw new Error('missing signature');
  if (r.at !== buf.length) throw new Error('trailing bytes');
  return { location, identifier, caveats, signature: f.data };
}

/** Serializes a v2 macaroon (first-party caveats only): tests and corpora build real-format tokens. */
export function serializeMacaroonV2(m: Macaroon): Uint8Array {
  const out: number[] = [2];
  const varint = (n: number) => {
    do {
      out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
  };
  const field = (type: number, data: Uint8Array) => {
    varint(type);
    varint(data.length);
    out.push(...data);
  };
  const enc = new TextEncoder();
  if (m.location !== undefined) field(LOCATION, enc.encode(m.location));
  field(IDENTIFIER, enc.encode(m.identifier));
  out.push(0);
  for (const c of m.caveats) {
    field(IDENTIFIER, enc.encode(c));
    out.push(0);
  }
  out.push(0);
  field(SIGNATURE, m.signature);
  return Uint8Array.from(out);
}

export function validatePypiToken(token: string): Validation {
  const body = token.startsWith('pypi-') ? token.slice(5) : token;
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(body)) return { status: 'invalid', note: 'not base64url' };
  let m: Macaroon;
  try {
    m = parseMacaroonV2(Buffer.from(body, 'base64url'));
  } catch (e) {
    return { status: 'invalid', note: `malformed macaroon: ${(e as Error).message}` };
  }
  if (!m.location || !LOCATIONS.has(m.location)) return { status: 'invalid', note: 'macaroon location is not PyPI' };
  return {
    status: 'valid',
    note: 'well-formed PyPI macaroon',
    properties: { location: m.location, caveats: String(m.caveats.length) },
  };
}
