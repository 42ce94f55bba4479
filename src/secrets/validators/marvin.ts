/**
 * Marvin32, Microsoft's seeded 64-bit hash (SymCrypt's `marvin32.c`; .NET uses it for string
 * hash codes). Azure's "identifiable" keys end in a 32-bit Marvin checksum of the bytes before it,
 * the two halves of the 64-bit result XORed together, with a seed that names the key kind.
 *
 * The state is two 32-bit words, p0 (seed low half) and p1 (seed high half). Each little-endian
 * 32-bit word of input is added to p0 and mixed by one block; the 0-3 bytes left over, followed
 * by a 0x80 byte, make the last word (zero-filled); then two more blocks. The result is p1:p0.
 */

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

function block(s: Uint32Array): void {
  let p0 = s[0]!;
  let p1 = s[1]!;
  p1 = (p1 ^ p0) >>> 0;
  p0 = rotl(p0, 20);
  p0 = (p0 + p1) >>> 0;
  p1 = rotl(p1, 9);
  p1 = (p1 ^ p0) >>> 0;
  p0 = rotl(p0, 27);
  p0 = (p0 + p1) >>> 0;
  p1 = rotl(p1, 19);
  s[0] = p0;
  s[1] = p1;
}

/** The 64-bit Marvin hash of `data` under `seed`. */
export function marvin64(data: Uint8Array, seed: bigint): bigint {
  const s = new Uint32Array([Number(seed & 0xffffffffn), Number((seed >> 32n) & 0xffffffffn)]);
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    s[0] = s[0]! + (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    block(s);
  }
  let last = 0x80 << (8 * (data.length - whole));
  for (let i = whole; i < data.length; i++) last |= data[i]! << (8 * (i - whole));
  s[0] = s[0]! + (last >>> 0);
  block(s);
  block(s);
  return (BigInt(s[1]!) << 32n) | BigInt(s[0]!);
}

/** The 32-bit form: high half XOR low half, unsigned. */
export function marvin32(data: Uint8Array, seed: bigint): number {
  const h = marvin64(data, seed);
  return (Number(h >> 32n) ^ Number(h & 0xffffffffn)) >>> 0;
}
