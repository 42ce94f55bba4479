import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const TAIL = "is whoever caused the latest event, which an outsider can arrange for a bot's pull request (for example by re-running it or pushing to the branch a bot updates)";

describe('bot-conditions', () => {
  it('flags a job gated on github.actor == dependabot[bot] under pull_request_target, at the comparison', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/auto.yml': yaml`
        on: pull_request_target
        jobs:
          automerge:
            if: github.event_name == 'pull_request_target' && github.actor == 'dependabot[bot]'
            runs-on: ubuntu-latest
            steps:
              - run: gh pr merge --auto "$PR"
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/auto.yml:4:55-4:88 high/high job "automerge" runs when github.actor == 'dependabot[bot]', but github.actor ${TAIL}; check github.event.pull_request.user.login == 'dependabot[bot]' instead`,
    ]);
    expect(findings[0]!.location.endColumn).toBe(88);
    expect(findings[0]!.related[0]!.startLine).toBe(1);
  });

  it('finds the comparison inside ${{ }}, with the literal on the left, and in steps', () => {
    expect(
      run({
        '.github/workflows/s.yml': yaml`
          on:
            workflow_run:
              workflows: [ci]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - name: Deploy
                  if: \${{ 'renovate[bot]' == github.triggering_actor }}
                  run: ./deploy
        `,
      }),
    ).toEqual([
      `.github/workflows/s.yml:9:17-9:59 high/high step "Deploy" of job "a" runs when 'renovate[bot]' == github.triggering_actor, but github.triggering_actor ${TAIL}; check the pull request author's login (github.event.pull_request.user.login) in the triggering workflow instead`,
    ]);
  });

  it('flags contains/startsWith/endsWith forms and fromJSON lists of bots', () => {
    const out = run({
      '.github/workflows/c.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            if: endsWith(github.actor, '[bot]')
            runs-on: ubuntu-latest
            steps:
              - if: contains(fromJSON('["dependabot[bot]","renovate[bot]"]'), github.actor)
                run: make
              - if: startsWith(github.actor, 'dependabot') || github.event.pull_request.draft
                run: make
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '.github/workflows/c.yml:4:9-4:40 high/high',
      '.github/workflows/c.yml:7:13-7:84 high/high',
      '.github/workflows/c.yml:9:13-9:51 high/high',
    ]);
  });

  it('is medium under issue_comment and silent under triggers without secrets', () => {
    expect(
      run({
        '.github/workflows/ic.yml': yaml`
          on: issue_comment
          jobs:
            a:
              if: github.actor == 'dependabot[bot]'
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
        '.github/workflows/pr.yml': yaml`
          on: [pull_request, push]
          jobs:
            a:
              if: github.actor == 'dependabot[bot]'
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/ic.yml:4:9-4:42 medium/high']);
  });

  it('does not flag denials, human actors, or checks joined to the pull request author', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              if: github.actor != 'dependabot[bot]'
              runs-on: ubuntu-latest
              steps:
                - if: "!(github.actor == 'dependabot[bot]')"
                  run: make
                - if: github.actor == 'octocat'
                  run: make
                - if: github.actor == 'dependabot[bot]' && github.event.pull_request.user.login == 'dependabot[bot]'
                  run: make
                - if: github.event.pull_request.user.login == 'dependabot[bot]'
                  run: make
        `,
      }),
    ).toEqual([]);
  });

  it('flags bot checks through account ids (github.actor_id, github.event.sender.id), number or string', () => {
    const wf = (cond: string) => ['on: pull_request_target', 'jobs:', '  merge:', `    if: ${cond}`, '    runs-on: ubuntu-latest', '    steps:', '      - run: gh pr merge --auto "$PR"', ''].join('\n');
    expect(run({ '.github/workflows/m.yml': wf('github.actor_id == 49699333') })).toEqual([
      `.github/workflows/m.yml:4:9-4:36 high/high job "merge" runs when github.actor_id == 49699333, but github.actor_id ${TAIL}; check github.event.pull_request.user.login == 'dependabot[bot]' instead`,
    ]);
    expect(run({ '.github/workflows/m.yml': wf("github.event.sender.id == '29139614'") })).toHaveLength(1);
    expect(run({ '.github/workflows/m.yml': wf("${{ '49699333' == github.actor_id }}") })).toHaveLength(1);
    // A human's id, or a denial, grants nothing to a spoofed bot.
    expect(run({ '.github/workflows/m.yml': wf('github.actor_id == 1234567') })).toEqual([]);
    expect(run({ '.github/workflows/m.yml': wf('github.actor_id != 49699333') })).toEqual([]);
  });

  it('a bot check beside an arm that already lets fork pull requests through gives outsiders nothing more', () => {
    const wf = (cond: string) => ['on:', '  workflow_run:', '    workflows: [CI]', '    types: [completed]', 'jobs:', '  comment:', `    if: ${cond}`, '    runs-on: ubuntu-latest', '    steps:', '      - run: echo hi', ''].join('\n');
    const forks = "github.event.workflow_run.conclusion == 'success' && (github.event.workflow_run.head_repository.full_name != github.repository || github.actor == 'dependabot[bot]')";
    expect(run({ '.github/workflows/c.yml': wf(forks) })).toEqual([]);
    expect(run({ '.github/workflows/c.yml': wf("github.event.workflow_run.head_repository.fork == true || github.actor == 'dependabot[bot]'") })).toEqual([]);
    // Same-repository runs only, or the bot alone: the spoofed actor is what lets an outsider in.
    expect(run({ '.github/workflows/c.yml': wf("github.event.workflow_run.head_repository.full_name == github.repository || github.actor == 'dependabot[bot]'") })).toHaveLength(1);
  });

  it('leaves interpolated (always-true) conditions to unsound-condition', () => {
    expect(
      run({
        '.github/workflows/i.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              if: |
                \${{ github.actor == 'dependabot[bot]' }}
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
      }),
    ).toEqual([]);
  });
});
