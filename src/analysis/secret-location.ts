import type { Scalar } from 'yaml';
import type { Location } from '../core/finding.js';
import { locationOf, nodeLocation, type SourceText } from '../yaml/load.js';

/**
 * Position of `secret` (found at `start` in the parsed value) in the file. The k-th occurrence in
 * the value is the k-th in the raw source when the text is not escaped or folded (block scalars
 * only strip indentation); otherwise the whole scalar is reported.
 */
export function placeInFile(src: SourceText, s: Scalar, value: string, start: number, secret: string): Location {
  if (!s.range || secret === '') return nodeLocation(src, s);
  let k = 0;
  for (let i = value.indexOf(secret); i !== -1 && i < start; i = value.indexOf(secret, i + 1)) k++;
  const raw = src.text.slice(s.range[0], s.range[1]);
  let at = -1;
  for (let i = 0, j = raw.indexOf(secret); j !== -1; i++, j = raw.indexOf(secret, j + 1)) {
    if (i === k) {
      at = j;
      break;
    }
  }
  if (at === -1) return nodeLocation(src, s);
  return locationOf(src, s.range[0] + at, s.range[0] + at + secret.length);
}
