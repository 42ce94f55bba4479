/** CRC-32 (IEEE 802.3, the zlib one) and the fixed-width radix encodings token formats wrap it in. */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the UTF-8 bytes of `data` (or of the bytes themselves), as an unsigned 32-bit number. */
export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `n` in `alphabet`'s radix, left-padded with the zero digit to `width`. */
export function encodeRadix(n: number, alphabet: string, width: number): string {
  const radix = alphabet.length;
  let out = '';
  let v = n;
  do {
    out = alphabet[v % radix]! + out;
    v = Math.floor(v / radix);
  } while (v > 0);
  return out.padStart(width, alphabet[0]!);
}
