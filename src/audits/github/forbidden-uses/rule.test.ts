import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: github/codeql-action/init@v3
          - uses: tj-actions/changed-files@v45
          - uses: ./local
          - uses: docker://alpine:3
      call:
        uses: octo-org/workflows/.github/workflows/deploy.yml@v1
  `,
};

const run = (options: Record<string, unknown>) => summarize(auditFiles(rule, files, options));

describe('forbidden-uses', () => {
  it('is off without options', () => {
    expect(run({})).toEqual([]);
  });

  it('deny list: reports what a pattern forbids, naming the pattern', () => {
    expect(run({ deny: ['tj-actions/*', 'github/codeql-action/init'] })).toEqual([
      '.github/workflows/ci.yml:7:15-7:43 high/high step 2 of job "build" uses github/codeql-action/init, which the deny list forbids (pattern "github/codeql-action/init"); remove it or use an approved action',
      '.github/workflows/ci.yml:8:15-8:43 high/high step 3 of job "build" uses tj-actions/changed-files, which the deny list forbids (pattern "tj-actions/*"); remove it or use an approved action',
    ]);
  });

  it('allow list: reports everything no pattern covers, including reusable workflows; local and docker uses are exempt', () => {
    expect(run({ allow: ['actions/*', 'GitHub/CodeQL-Action'] })).toEqual([
      '.github/workflows/ci.yml:8:15-8:43 high/high step 3 of job "build" uses tj-actions/changed-files, which no pattern of the allow list covers; remove it, use an approved action or add it to the allow list',
      '.github/workflows/ci.yml:12:11-12:61 high/high job "call" uses octo-org/workflows/.github/workflows/deploy.yml, which no pattern of the allow list covers; remove it, use an approved action or add it to the allow list',
    ]);
    expect(run({ allow: ['*'] })).toEqual([]);
    // owner/repo/path covers that path only, not its siblings
    expect(run({ allow: ['actions/*', 'github/codeql-action/analyze', 'tj-actions/*', 'octo-org/*'] })).toEqual([
      '.github/workflows/ci.yml:7:15-7:43 high/high step 2 of job "build" uses github/codeql-action/init, which no pattern of the allow list covers; remove it, use an approved action or add it to the allow list',
    ]);
  });

  it('rejects invalid options with a config error', () => {
    const err = (options: Record<string, unknown>) => () => auditFiles(rule, files, options);
    expect(err({ allow: ['a/b'], deny: ['c/d'] })).toThrow(/either "allow" or "deny"/);
    expect(err({ deny: 'tj-actions/*' })).toThrow(/must be a list/);
    expect(err({ deny: ['tj-actions/changed-files@v45'] })).toThrow(/not "\*", "owner\/\*"/);
    expect(err({ deny: ['*/checkout'] })).toThrow(/not "\*"/);
    expect(err({ block: ['x/y'] })).toThrow(/unknown option "block"/);
  });
});
