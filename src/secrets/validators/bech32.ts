/**
 * Bech32 (BIP 173) checksum, used by age secret keys (`AGE-SECRET-KEY-1...`, upper case). A
 * mistyped or hand-made key fails the 6-character checksum.
 */
import type { Validation } from '../types.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}

export function bech32Verify(s: string): boolean {
  const lower = s.toLowerCase();
  if (lower !== s && s.toUpperCase() !== s) return false; // mixed case is invalid
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return false;
  const data: number[] = [];
  for (const c of lower.slice(sep + 1)) {
    const v = CHARSET.indexOf(c);
    if (v < 0) return false;
    data.push(v);
  }
  return polymod([...hrpExpand(lower.slice(0, sep)), ...data]) === 1;
}

/** Appends the checksum to `hrp` + data (5-bit values): builds valid strings for tests and corpora. */
export function bech32Encode(hrp: string, data: number[]): string {
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const check: number[] = [];
  for (let i = 0; i < 6; i++) check.push((mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...check].map((v) => CHARSET[v]).join('')}`;
}

export function validateAgeSecretKey(key: string): Validation {
  return bech32Verify(key) ? { status: 'valid', note: 'bech32 checksum matches' } : { status: 'invalid', note: 'bech32 checksum does not match' };
}
