/**
 * Masking for display: a short prefix so a person can tell which secret it is, then a fixed
 * `********` so the output does not reveal the secret's length.
 */

export const MASK = '********';
const MAX_PREFIX = 4;

/**
 * A leading vendor prefix (`ghp_`, `sk-`, `xoxb-`, `AKIA`, `SG.`) names the token type without
 * revealing any random characters; when one fits in the budget it is shown alone.
 */
const KNOWN_PREFIX = /^(?:[A-Za-z][A-Za-z0-9]{0,3}[_.-]|AKIA|ASIA|ABIA|ACCA|AIza|-----)/;

/**
 * `ghp_********`: at most 4 characters and never more than a quarter of the secret are kept
 * (a known prefix counts towards both limits), then 8 asterisks whatever the length.
 */
export function maskSecret(secret: string): string {
  const chars = [...secret]; // code points, so a surrogate pair is never split
  const budget = Math.min(MAX_PREFIX, Math.floor(chars.length / 4));
  const known = KNOWN_PREFIX.exec(secret)?.[0];
  const keep = known !== undefined && known.length <= budget ? known.length : budget;
  // A prefix never shows line breaks or other control characters.
  const shown = chars.slice(0, keep).join('').replace(/[\x00-\x1f\x7f]/g, '');
  return shown + MASK;
}
