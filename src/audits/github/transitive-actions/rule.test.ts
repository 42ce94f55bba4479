import { describe, expect, it } from 'vitest';
import { summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { actionKey } from '../../../online/facts.js';
import { rule } from './rule.js';

const TOP = 'a1'.repeat(20);
const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - name: Top
            uses: top/action@${TOP}
          - uses: loop/a@v1
  `,
};
const composite = (...uses: string[]): string => `runs:\n  using: composite\n  steps:\n${uses.map((u) => `    - uses: ${u}\n`).join('')}`;
const facts = factsWith(
  {},
  {
    actions: {
      [actionKey('top', 'action', '', TOP)]: { path: 'action.yml', text: composite('mid/action@v2', 'actions/setup-node@v4', `ok/pinned@${'b2'.repeat(20)}`, './local', 'docker://alpine:3', 'tj-actions/changed-files@v45.0.7') },
      [actionKey('mid', 'action', '', 'v2')]: { path: 'action.yml', text: composite('deep/action@main') },
      [actionKey('deep', 'action', '', 'main')]: { path: 'action.yml', text: composite('deeper/action@main') },
      [actionKey('deeper', 'action', '', 'main')]: { path: 'action.yml', text: composite('deepest/action@main') },
      [actionKey('loop', 'a', '', 'v1')]: { path: 'action.yml', text: composite(`loop/b@${'c3'.repeat(20)}`) },
      [actionKey('loop', 'b', '', 'c3'.repeat(20))]: { path: 'action.yml', text: composite(`loop/a@v1`) },
    },
  },
);

describe('transitive-actions', () => {
  it('reports unpinned and vulnerable actions inside composite actions, three levels deep, with the chain', () => {
    const got = summarize(auditWithFacts(rule, files, facts));
    const T = `top/action@${TOP}`;
    expect(got).toEqual([
      `.github/workflows/ci.yml:7:15-7:66 low/high step "Top" of job "build" uses ${T}, which runs actions/setup-node@v4 at a movable tag, not a commit SHA (${T} → actions/setup-node@v4); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `.github/workflows/ci.yml:7:15-7:66 medium/high step "Top" of job "build" uses ${T}, which runs deep/action@main at a branch-like ref, not a commit SHA (${T} → mid/action@v2 → deep/action@main); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `.github/workflows/ci.yml:7:15-7:66 medium/high step "Top" of job "build" uses ${T}, which runs deeper/action@main at a branch-like ref, not a commit SHA (${T} → mid/action@v2 → deep/action@main → deeper/action@main); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `.github/workflows/ci.yml:7:15-7:66 medium/high step "Top" of job "build" uses ${T}, which runs mid/action@v2 at a movable tag, not a commit SHA (${T} → mid/action@v2); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:7:15-7:66 high\/high step "Top" of job "build" uses top\/action@(a1)+, which runs tj-actions\/changed-files@v45\.0\.7 affected by GHSA-mrrh-fwg8-r2c3 \(CVE-2025-30066\): .*\(top\/action@(a1)+ → tj-actions\/changed-files@v45\.0\.7\); the action must move to 46\.0\.1 or later; upgrade the action or replace it$/),
      `.github/workflows/ci.yml:7:15-7:66 medium/high step "Top" of job "build" uses ${T}, which runs tj-actions/changed-files@v45.0.7 at a movable tag, not a commit SHA (${T} → tj-actions/changed-files@v45.0.7); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `.github/workflows/ci.yml:8:15-8:24 medium/high step 2 of job "build" uses loop/a@v1, which runs loop/a@v1 at a movable tag, not a commit SHA (loop/a@v1 → loop/b@${'c3'.repeat(20)} → loop/a@v1); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
    ]);
    // deepest/action is a fourth level: not followed.
    expect(got.join('\n')).not.toContain('deepest/action');
  });

  it('follows the policy of unpinned-uses (carried in the facts) or its own option', () => {
    const lenient = { policy: { '*': 'ref-pin' } };
    const vulnOnly = summarize(auditWithFacts(rule, files, { ...facts, usesPolicy: lenient.policy }));
    expect(vulnOnly).toHaveLength(1);
    expect(vulnOnly[0]).toContain('GHSA-mrrh-fwg8-r2c3');
    expect(summarize(auditWithFacts(rule, files, facts, lenient))).toHaveLength(1);
  });

  it('reports nothing when action files are missing or facts are absent', () => {
    expect(auditWithFacts(rule, files, factsWith({}))).toEqual([]);
    expect(auditWithFacts(rule, files, undefined)).toEqual([]);
  });
});
