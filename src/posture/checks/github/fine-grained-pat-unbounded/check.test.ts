import { describe, expect, it } from 'vitest';
import { missing } from '../../../fetched.js';
import { PAT_LIST } from '../../../github/collect.js';
import { evaluate, exampleGithub, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github), whose recording lists three
// fine-grained tokens: release-script (all repositories, workflows write, no expiry), triage-bot
// (issues write, expires, used this week) and docs-sync (contents write, unused since March).
describe('github posture/fine-grained-pat-unbounded', () => {
  it('reports: a never-expiring token that writes workflows everywhere (high) and a write token unused for months (medium)', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: fine-grained token "release-script" (id 25381) of bob-dev can write contents, pull_requests, workflows on every repository of acme-widgets; it never expires: whoever holds it changes code and pipelines as that person until someone revokes it",
          "acme-widgets medium: fine-grained token "docs-sync" (id 25502) of dave-old can write contents on selected repositories; it has not been used for 273 days: whoever holds it changes code and pipelines as that person until someone revokes it",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('medium, not high: a never-expiring token limited to selected repositories', async () => {
    const d = await exampleGithub();
    value(d.fineGrainedPats)[0]!.repository_selection = 'subset';
    expect(evaluate(check, d).findings[0]).toMatch(/^acme-widgets medium: fine-grained token "release-script" \(id 25381\) of bob-dev can write contents, pull_requests, workflows on selected repositories; it never expires:/);
  });

  it('high: organisation write permission on a token that never expires', async () => {
    const d = await exampleGithub();
    const t = value(d.fineGrainedPats)[1]!;
    t.permissions = { organization: { organization_secrets: 'write', members: 'read' }, repository: {} };
    t.token_expires_at = null;
    expect(evaluate(check, d).findings[1]).toBe(
      'acme-widgets high: fine-grained token "triage-bot" (id 25417) of alice-ops can write organisation organization_secrets; it never expires: whoever holds it changes code and pipelines as that person until someone revokes it',
    );
  });

  it('passes: expired tokens, read-only tokens, and write tokens that expire and are in use', async () => {
    const d = await exampleGithub();
    const [release, , docs] = value(d.fineGrainedPats);
    release!.token_expires_at = '2027-02-01T00:00:00Z';
    docs!.token_expired = true;
    const readOnly = structuredClone(release!);
    readOnly.id = 30000;
    readOnly.token_expires_at = null;
    readOnly.permissions = { repository: { contents: 'read', metadata: 'read' } };
    value(d.fineGrainedPats).push(readOnly);
    expect(evaluate(check, d)).toEqual({ findings: [], notEvaluated: [] });
  });

  it('a missing expiry field is not "never expires"; a token never used counts from when access was granted', async () => {
    const d = await exampleGithub();
    const t = value(d.fineGrainedPats)[0]!;
    delete t.token_expires_at;
    t.token_last_used_at = null; // granted 2024-05-14, recording made 2026-11-30
    expect(evaluate(check, d).findings[0]).toMatch(/^acme-widgets medium: .* on every repository of acme-widgets; it has not been used in the 930 days since it was granted:/);
  });

  it('option maxUnusedDays', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d, { maxUnusedDays: 300 }).findings).toHaveLength(1);
    expect(() => evaluate(check, d, { maxUnusedDays: 0 })).toThrow('maxUnusedDays must be a whole number of days, at least 1');
  });

  it('not evaluated: a personal access token cannot list fine-grained tokens', async () => {
    const d = await exampleGithub();
    d.fineGrainedPats = missing({ reason: 'scope', detail: `needs ${PAT_LIST}` });
    expect(evaluate(check, d)).toEqual({
      findings: [],
      notEvaluated: [`acme-widgets: scope: needs ${PAT_LIST}`],
    });
  });
});
