import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('template-injection', () => {
  it('flags an issue title expanded into run: under issues, at the expression', () => {
    const out = run({
      '.github/workflows/triage.yml': yaml`
        on:
          issues:
            types: [opened]
        jobs:
          triage:
            runs-on: ubuntu-latest
            steps:
              - name: Echo title
                run: |
                  echo "Title: \${{ github.event.issue.title }}"
      `,
    });
    expect(out).toEqual([
      '.github/workflows/triage.yml:10:24-10:55 high/high "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "Echo title"; pass it through env: and read "$VAR" instead',
    ]);
  });

  it('does not flag the env indirection read as $VAR', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: issue_comment
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - env:
                    BODY: \${{ github.event.comment.body }}
                  run: echo "$BODY"
        `,
      }),
    ).toEqual([]);
  });

  it('follows env re-expansion with ${{ env.X }} and names the hop', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/env.yml': yaml`
        on: pull_request_target
        env:
          TITLE: \${{ github.event.pull_request.title }}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo \${{ env.TITLE }}
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/env.yml:8:19-8:35 high/medium "env.TITLE" (carrying github.event.pull_request.title) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual([
      '3:env TITLE is set from attacker-controlled data here',
      '1:"pull_request_target" lets an outside user set github.event.pull_request.title',
    ]);
  });

  it('ignores fields the triggers cannot populate, and safe values', () => {
    expect(
      run({
        '.github/workflows/push.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    echo \${{ github.event.issue.title }}
                    echo \${{ github.event.pull_request.number }} \${{ github.sha }}
                    echo \${{ contains(github.event.head_commit.message, 'skip') }}
                    echo \${{ needs.build.result }} \${{ steps.x.outcome }}
        `,
      }),
    ).toEqual([]);
  });

  it('counts expansions inside shell comments', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: issue_comment
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    # debug: \${{ github.event.comment.body }}
                    true
        `,
      }),
    ).toHaveLength(1);
  });

  it('flags github-script script: input and format()/|| pass-through', () => {
    const out = run({
      '.github/workflows/s.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@v7
                with:
                  script: console.log("\${{ format('{0}', github.head_ref) || 'x' }}")
      `,
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('"script" input of actions/github-script');
  });

  it('medium severity for pull_request (no secrets on forks)', () => {
    const out = run({
      '.github/workflows/pr.yml': yaml`
        on: pull_request
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ github.event.pull_request.head.ref }}"
      `,
    });
    expect(out).toEqual([
      '.github/workflows/pr.yml:6:20-6:61 medium/high "github.event.pull_request.head.ref" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
    ]);
  });

  it('resolves composite action inputs at their call sites (cross-file)', () => {
    const findings = auditFiles(rule, {
      '.github/actions/greet/action.yml': yaml`
        name: greet
        inputs:
          who:
            description: who
        runs:
          using: composite
          steps:
            - shell: bash
              run: echo "hello \${{ inputs.who }}"
      `,
      '.github/workflows/greet.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/greet
                with:
                  who: \${{ github.event.issue.user.login }} \${{ github.event.issue.body }}
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/actions/greet/action.yml:9:24-9:41 high/medium "inputs.who" (carrying github.event.issue.body) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related[0]!.file).toBe('.github/workflows/greet.yml');
    expect(findings[0]!.related[0]!.startLine).toBe(8);
  });

  it('does not flag composite inputs whose callers pass safe values', () => {
    expect(
      run({
        'act/action.yml': yaml`
          inputs:
            v: {}
          runs:
            using: composite
            steps:
              - shell: bash
                run: echo \${{ inputs.v }}
        `,
        '.github/workflows/x.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: ./act
                  with:
                    v: \${{ github.event.issue.number }}
        `,
      }),
    ).toEqual([]);
  });

  it('follows reusable workflow inputs from the caller', () => {
    const out = run({
      '.github/workflows/called.yml': yaml`
        on:
          workflow_call:
            inputs:
              title:
                type: string
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ inputs.title }}"
      `,
      '.github/workflows/caller.yml': yaml`
        on: pull_request_target
        jobs:
          call:
            uses: ./.github/workflows/called.yml
            with:
              title: \${{ github.event.pull_request.title }}
      `,
    });
    expect(out).toEqual([
      '.github/workflows/called.yml:10:20-10:39 high/medium "inputs.title" (carrying github.event.pull_request.title) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
    ]);
  });

  it('follows step outputs written to GITHUB_OUTPUT and job outputs', () => {
    const out = run({
      '.github/workflows/o.yml': yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            outputs:
              body: \${{ steps.get.outputs.body }}
            steps:
              - id: get
                run: echo "body=\${{ github.event.comment.body }}" >> "$GITHUB_OUTPUT"
          b:
            needs: a
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ needs.a.outputs.body }}"
      `,
    });
    expect(out.map((l) => l.split(' ')[0])).toEqual(['.github/workflows/o.yml:9:25-9:57', '.github/workflows/o.yml:14:20-14:47']);
  });

  it('treats static matrix values as safe', () => {
    expect(
      run({
        '.github/workflows/m.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              strategy:
                matrix:
                  node: [18, 20]
              steps:
                - run: echo \${{ matrix.node }}
        `,
      }),
    ).toEqual([]);
  });

  it("a release's tag and notes are writer-controlled (low); logins, SHAs and URLs carry no shell syntax", () => {
    const findings = auditFiles(rule, {
      '.github/workflows/news.yml': yaml`
        on:
          release:
            types: [published]
          issues:
            types: [opened]
        jobs:
          news:
            runs-on: ubuntu-latest
            steps:
              - name: Announce
                run: |
                  echo "Released \${{ github.event.release.tag_name }}" >> news.md
                  echo "by \${{ github.event.issue.user.login }} \${{ github.event.sender.login }}"
                  echo "\${{ github.event.issue.html_url }} \${{ github.event.release.id }}"
                  echo "\${{ github.event.issue.title }}"
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/news.yml:12:26-12:62 low/low "github.event.release.tag_name" is writer-controlled (only people with write access set it) and is expanded into the run: script of step "Announce"; pass it through env: and read "$VAR" instead',
      '.github/workflows/news.yml:15:17-15:48 high/high "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "Announce"; pass it through env: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => r.message)).toEqual(['"release" lets a user with write access set github.event.release.tag_name']);
  });
});

