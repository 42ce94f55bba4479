/** Randomness measures for telling generated secrets from words, placeholders and identifiers. */

/** Shannon entropy in bits per character (0 for the empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  if (/^[\x00-\x7f]*$/.test(s)) return asciiEntropy(s); // the common case, without a Map
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...s].length;
  let h = 0;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

function asciiEntropy(s: string): number {
  const counts = new Uint32Array(128);
  for (let i = 0; i < s.length; i++) counts[s.charCodeAt(i)]!++;
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const k = counts[c]!;
    if (k > 0) {
      const p = k / s.length;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/** How many of lower, upper, digit, other characters occur (0-4). */
export function charClasses(s: string): number {
  return (/[a-z]/.test(s) ? 1 : 0) + (/[A-Z]/.test(s) ? 1 : 0) + (/[0-9]/.test(s) ? 1 : 0) + (/[^A-Za-z0-9]/.test(s) ? 1 : 0);
}

/**
 * Entropy a random string of this length would be expected to reach, capped by its alphabet:
 * short strings cannot show many distinct characters, so a fixed threshold would reject them.
 */
export function expectedEntropy(length: number, alphabetSize: number): number {
  if (length <= 1) return 0;
  // Expected distinct symbols when drawing `length` from `alphabetSize`, then log2 of that, less a margin.
  const distinct = alphabetSize * (1 - Math.pow(1 - 1 / alphabetSize, length));
  return Math.log2(distinct);
}

/** Longest run of one repeated character (`aaaa` → 4). */
export function longestRun(s: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    run = i > 0 && s[i] === s[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/** Longest ascending or descending run of consecutive character codes (`abcdef`, `54321`). */
export function longestSequence(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    best = Math.max(best, up, down);
  }
  return best;
}

/**
 * True for identifiers made of words (`thisIsNotASecret`, `MY_CONFIG_VALUE`, `some-words`), split
 * at camelCase humps and separators.
 */
export function wordLike(s: string): boolean {
  // A version or counter suffix (`Token$1`, `config2`) does not make words random; other digits do.
  const body = s.replace(/[$_.-]?[0-9]{1,3}$/, '');
  if (/[0-9]/.test(body)) return false;
  const parts = body
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z]{1,10}/)
    .filter(Boolean);
  if (parts.length === 0) return false;
  // Random mixed-case letters split into parts of ~2 characters; words are longer, have vowels
  // and are not 20+ letters long.
  const letters = parts.reduce((n, p) => n + p.length, 0);
  // English text is ~40% vowels, random letters ~19%.
  const vowels = body.match(/[aeiouy]/gi)?.length ?? 0;
  return vowels / letters >= 0.3 && letters / parts.length >= 3 && parts.every((p) => p.length <= 20 && (p.length < 3 || /[aeiouy]/i.test(p) || /^[A-Z]{3,5}$/.test(p)));
}

/**
 * True when `s` looks machine-generated: long enough, diverse characters, entropy near what a
 * random draw from its own alphabet would give, and no long runs or keyboard sequences.
 */
export function looksRandom(s: string, minLength = 12): boolean {
  if (s.length < minLength) return false;
  const alphabet = /^[0-9a-f]+$/i.test(s) ? 16 : /^[0-9]+$/.test(s) ? 10 : /^[A-Za-z0-9]+$/.test(s) ? 62 : 64;
  if (alphabet === 10) return false; // all digits: ids, timestamps, phone numbers
  if (wordLike(s)) return false;
  const expected = expectedEntropy(s.length, alphabet);
  // Margins keep false rejections of real random strings around 1 in 10,000 (16-20 letters-only: ~0.1%) (see entropy.test.ts).
  if (shannonEntropy(s) < expected * 0.78) return false;
  if (alphabet !== 16 && charClasses(s) < 2) return false;
  if (longestRun(s) > Math.max(4, s.length / 6)) return false;
  if (longestSequence(s) >= 6) return false;
  return true;
}
