/**
 * How one ecosystem orders its versions. `compare` returns a negative number, zero or a positive
 * number; `parse` rejects strings that are not versions in the ecosystem, so a caller can say a
 * package could not be judged instead of guessing.
 */
export interface VersionScheme {
  valid(v: string): boolean;
  /** Both arguments must be valid. */
  compare(a: string, b: string): number;
}

export function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
