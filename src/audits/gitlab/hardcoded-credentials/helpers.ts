import type { ScalarVal } from '../../../platforms/gitlab/model.js';
import { placeKey } from '../util.js';

export { get } from '../../../platforms/gitlab/parse.js';

export function placeKeyOf(v: ScalarVal): string {
  return placeKey(v.at);
}
