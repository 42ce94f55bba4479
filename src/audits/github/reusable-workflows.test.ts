import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from './testing.js';
import { rule as templateInjection } from './template-injection/rule.js';

/**
 * Injection across `workflow_call`: taint.ts follows `inputs.*` of a reusable workflow to the
 * `with:` of every local caller, so the finding lands in the called file (the line to change)
 * and the caller's `with:` entry and trigger are related locations.
 */
const caller = yaml`
  on:
    issue_comment:
      types: [created]
  jobs:
    call:
      uses: ./.github/workflows/reply.yml
      with:
        body: \${{ github.event.comment.body }}
        number: \${{ github.event.issue.number }}
`;

const called = yaml`
  on:
    workflow_call:
      inputs:
        body:
          type: string
        number:
          type: number
  jobs:
    reply:
      runs-on: ubuntu-latest
      steps:
        - name: Reply
          run: |
            echo "\${{ inputs.body }}"
            echo "\${{ inputs.number }}"
`;

describe('reusable workflows: injection through workflow_call inputs', () => {
  it('reports in the called workflow, with the caller as related', () => {
    const findings = auditFiles(templateInjection, {
      '.github/workflows/comment.yml': caller,
      '.github/workflows/reply.yml': called,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/reply.yml:14:17-14:35 high/medium "inputs.body" (carrying github.event.comment.body) is attacker-controlled and is expanded into the run: script of step "Reply"; pass it through env: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.message}`)).toEqual([
      '.github/workflows/comment.yml:8:input "body" is passed attacker-controlled data by .github/workflows/comment.yml',
    ]);
  });

  it('does not report when no caller passes attacker data, or the caller is gated to safe values', () => {
    const safeCaller = yaml`
      on: push
      jobs:
        call:
          uses: ./.github/workflows/reply.yml
          with:
            body: \${{ github.event.head_commit.id }}
    `;
    expect(summarize(auditFiles(templateInjection, { '.github/workflows/push.yml': safeCaller, '.github/workflows/reply.yml': called }))).toEqual([]);
  });

  it('reports nothing through inputs when no caller is in the repository (nothing known flows in)', () => {
    expect(summarize(auditFiles(templateInjection, { '.github/workflows/reply.yml': called }))).toEqual([]);
  });
});
