import { describe, expect, it } from 'vitest';
import { GIT_LOG_TEXT } from './contexts.js';

describe('GIT_LOG_TEXT: git log/show printing commit text an author chose', () => {
  it('matches subjects, bodies and author/committer names, with any spacing', () => {
    for (const code of [
      'echo "$(git log -1 --format=%s)"',
      'X=$( git log -1 --pretty=%B)',
      'X=$(git  show -s --format=%b HEAD)',
      'X=$(git\tlog -1 --format=%f)',
      'X=$(git log -1 --format=%an)',
      'X=$(git log -1 --format=%aN)',
      'X=$(git log -1 --format=%cn)',
      'X=$(git log -1 --format=%cN)',
    ]) {
      expect({ code, matches: GIT_LOG_TEXT.test(code) }).toEqual({ code, matches: true });
    }
  });

  it('not hashes, dates or e-mail domains, nor other git commands', () => {
    for (const code of ['X=$(git log -1 --format=%H)', 'X=$(git log -1 --format=%ad)', 'X=$(git log -1 --format=%ae)', 'X=$(git log -1 --format=%ce)', 'X=$(git logx --format=%s)', 'X=$(git rev-parse %s)', 'git log -1 --format=%s']) {
      expect({ code, matches: GIT_LOG_TEXT.test(code) }).toEqual({ code, matches: false });
    }
  });
});
