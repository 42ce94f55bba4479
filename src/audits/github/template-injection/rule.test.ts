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

  describe('input defaults are what a caller that leaves the input out gets', () => {
    const notify = yaml`
      name: notify
      on:
        workflow_call:
          inputs:
            subject:
              type: string
              default: "\${{ github.event.pull_request.title }}"
      jobs:
        post:
          runs-on: ubuntu-latest
          steps:
            - run: ./scripts/post-status.sh "\${{ inputs.subject }}"
              env:
                CHAT_TOKEN: \${{ secrets.CHAT_TOKEN }}
    `;
    const ci = (withSubject: string) => yaml`
      on: pull_request_target
      jobs:
        notify:
          uses: ./.github/workflows/notify.yml
          ${withSubject ? `with:\n            subject: ${withSubject}` : ''}
          secrets: inherit
    `;

    it('a reusable workflow default: the PR title reaches run: when the pull_request_target caller omits the input', () => {
      const findings = auditFiles(rule, { '.github/workflows/notify.yml': notify, '.github/workflows/ci.yml': ci('') });
      expect(summarize(findings)).toEqual([
        '.github/workflows/notify.yml:12:40-12:61 high/medium "inputs.subject" (carrying github.event.pull_request.title) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/workflows/notify.yml:7:18 input "subject" defaults to attacker-controlled data here, and .github/workflows/ci.yml leaves it out',
      ]);
    });

    it('a reusable workflow default is harmless when the caller passes its own value, or the caller is a push', () => {
      expect(run({ '.github/workflows/notify.yml': notify, '.github/workflows/ci.yml': ci("'PR #${{ github.event.pull_request.number }}'") })).toEqual([]);
      expect(run({ '.github/workflows/notify.yml': notify, '.github/workflows/ci.yml': ci('').replace('pull_request_target', 'push') })).toEqual([]);
    });

    const label = yaml`
      name: label
      inputs:
        summary:
          description: one line for the changelog
          default: \${{ github.event.pull_request.title }}
      runs:
        using: composite
        steps:
          - shell: bash
            run: echo "\${{ inputs.summary }}" >> CHANGES.md
    `;
    const triage = (withSummary: string) => yaml`
      on: pull_request_target
      jobs:
        triage:
          runs-on: ubuntu-latest
          steps:
            - uses: ./.github/actions/label
              ${withSummary ? `with:\n                summary: ${withSummary}` : ''}
    `;

    it('a composite action default: the PR title reaches run: when the caller omits the input', () => {
      const findings = auditFiles(rule, { '.github/actions/label/action.yml': label, '.github/workflows/triage.yml': triage('') });
      expect(summarize(findings)).toEqual([
        '.github/actions/label/action.yml:10:18-10:39 high/medium "inputs.summary" (carrying github.event.pull_request.title) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/actions/label/action.yml:3:3 input "summary" of .github/actions/label defaults to attacker-controlled data here',
      ]);
    });

    it('a composite action default is harmless when the caller passes a number', () => {
      expect(run({ '.github/actions/label/action.yml': label, '.github/workflows/triage.yml': triage('"#${{ github.event.pull_request.number }}"') })).toEqual([]);
    });
  });

  describe('whole-context serialisation: toJSON(env), toJSON(inputs)', () => {
    const dump = (commentEnv: string) => yaml`
      on: issue_comment
      jobs:
        dump:
          runs-on: ubuntu-latest
          env:
            COMMENT: \${{ ${commentEnv} }}
            NODE_VERSION: 20
          steps:
            - run: |
                echo '\${{ toJSON(env) }}' > context.json
                node scripts/triage.js context.json
    `;

    it('toJSON(env) carries an attacker-controlled variable among the others', () => {
      const findings = auditFiles(rule, { '.github/workflows/dump.yml': dump('github.event.comment.body') });
      expect(summarize(findings)).toEqual([
        '.github/workflows/dump.yml:10:17-10:35 high/medium "toJSON(env)" (carrying github.event.comment.body) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      ]);
      expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '6:16 env COMMENT is set from attacker-controlled data here',
        '1:5 "issue_comment" lets an outside user set github.event.comment.body',
      ]);
    });

    it('toJSON(env) is quiet when every variable is safe', () => {
      expect(run({ '.github/workflows/dump.yml': dump('github.event.comment.id') })).toEqual([]);
    });

    const report = yaml`
      on:
        workflow_call:
          inputs:
            title:
              type: string
            attempt:
              type: number
      jobs:
        report:
          runs-on: ubuntu-latest
          steps:
            - run: echo '\${{ toJSON(inputs) }}' | jq -r .title
    `;
    const caller = (title: string) => yaml`
      on: pull_request_target
      jobs:
        report:
          uses: ./.github/workflows/report.yml
          with:
            title: \${{ ${title} }}
            attempt: \${{ github.run_attempt }}
    `;

    it('toJSON(inputs) carries an input a caller fills with a PR title', () => {
      expect(run({ '.github/workflows/report.yml': report, '.github/workflows/pr.yml': caller('github.event.pull_request.title') })).toEqual([
        '.github/workflows/report.yml:12:20-12:41 high/medium "toJSON(inputs)" (carrying github.event.pull_request.title) is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      ]);
    });

    it('toJSON(inputs) is quiet when callers pass only safe values', () => {
      expect(run({ '.github/workflows/report.yml': report, '.github/workflows/pr.yml': caller('github.event.pull_request.head.sha') })).toEqual([]);
    });
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

  it('PowerShell run steps (shell: pwsh, powershell, defaults) advise $env:VAR; script inputs of PowerShell and other command actions are sinks', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/triage.yml': yaml`
        on:
          issues:
            types: [opened]
        defaults:
          run:
            shell: powershell
        jobs:
          label:
            runs-on: windows-latest
            steps:
              - run: Write-Host "Triaging \${{ github.event.issue.title }}"
              - shell: pwsh
                run: |
                  $body = '\${{ github.event.issue.body }}'
                  ./triage.ps1 -Body $body
              - uses: azure/powershell@v2
                with:
                  azPSVersion: latest
                  inlineScript: Set-AzResourceGroup -Name ci -Tag @{ issue = "\${{ github.event.issue.title }}" }
              - uses: cypress-io/github-action@v6
                with:
                  command: npx cypress run --env grep="\${{ github.event.issue.title }}"
              - uses: vmactions/freebsd-vm@v1
                with:
                  run: echo "\${{ github.event.issue.body }}" > issue.txt
              - name: safe
                shell: pwsh
                env:
                  TITLE: \${{ github.event.issue.title }}
                run: Write-Host "Triaging $env:TITLE"
              - uses: cypress-io/github-action@v6
                with:
                  spec: \${{ github.event.issue.title }}
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/triage.yml:11:35-11:66 high/high "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$env:VAR" instead',
      '.github/workflows/triage.yml:14:20-14:50 high/high "github.event.issue.body" is attacker-controlled and is expanded into the run: script of step "step 2"; pass it through env: and read "$env:VAR" instead',
      '.github/workflows/triage.yml:19:71-19:102 high/high "github.event.issue.title" is attacker-controlled and is expanded into the "inlineScript" input of azure/powershell of step "azure/powershell@v2"; pass it through env: and read it from the environment instead',
      '.github/workflows/triage.yml:22:48-22:79 high/high "github.event.issue.title" is attacker-controlled and is expanded into the "command" input of cypress-io/github-action of step "cypress-io/github-action@v6"; pass it through env: and read it from the environment instead',
      '.github/workflows/triage.yml:25:22-25:52 high/high "github.event.issue.body" is attacker-controlled and is expanded into the "run" input of vmactions/freebsd-vm of step "vmactions/freebsd-vm@v1"; pass it through env: and read it from the environment instead',
    ]);
  });

  describe('composite actions whose callers are unknown', () => {
    const action = yaml`
      name: Post release notes
      description: Posts the release notes to the team chat
      inputs:
        title:
          description: Headline of the announcement
          required: true
        channel:
          description: Chat channel id
          default: releases
        notify:
          description: Whether to ping the channel
          default: "false"
        webhook-url:
          description: Incoming webhook
          required: true
      runs:
        using: composite
        steps:
          - shell: bash
            run: |
              ./post.sh --channel "\${{ inputs.channel }}" --title "\${{ inputs.title }}"
              if [ "\${{ inputs.notify }}" = true ]; then ./ping.sh "\${{ inputs.chanel }}"; fi
          - uses: actions/github-script@v7
            with:
              script: core.info("\${{ inputs.title || 'untitled' }} \${{ inputs.title == 'x' }}")
          - shell: bash
            env:
              TITLE: \${{ inputs.title }}
            run: ./post.sh --title "$TITLE" --hook "$WEBHOOK"
    `;

    it('reports inputs a root (published) action expands into code: free text high, other text and undeclared inputs low', () => {
      expect(run({ 'action.yml': action })).toEqual([
        'action.yml:21:30-21:51 low/low "inputs.channel" is set by the action\'s callers (none in this repository) and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
        'action.yml:21:62-21:81 high/medium "inputs.title" is set by the action\'s callers (none in this repository; a free-text input such as a title or message is what callers fill from issues and pull requests) and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
        'action.yml:22:63-22:83 low/low "inputs.chanel" is not a declared input of the action (a typo, or an input callers pass unchecked) and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
        'action.yml:25:28-25:61 high/medium "inputs.title" is set by the action\'s callers (none in this repository; a free-text input such as a title or message is what callers fill from issues and pull requests) and is expanded into the "script" input of actions/github-script of step "actions/github-script@v7"; pass it through env: and read it from the environment instead',
      ]);
    });

    it('an action in a subdirectory with local callers is judged by what they pass; without callers it is reported (one finding per expression and step)', () => {
      const caller = yaml`
        on: release
        jobs:
          announce:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/announce
                with:
                  title: Release \${{ github.sha }}
                  webhook-url: \${{ secrets.HOOK }}
      `;
      const chanelFixed = action.replace('inputs.chanel', 'inputs.channel');
      expect(run({ '.github/actions/announce/action.yml': chanelFixed, '.github/workflows/release.yml': caller })).toEqual([]);
      expect(run({ '.github/actions/announce/action.yml': chanelFixed }).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
        '.github/actions/announce/action.yml:21:30-21:51 low/low "inputs.channel"',
        '.github/actions/announce/action.yml:21:62-21:81 high/medium "inputs.title"',
        '.github/actions/announce/action.yml:25:28-25:61 high/medium "inputs.title"',
      ]);
    });
  });

  describe('toJSON(inputs) in a composite action whose callers are unknown', () => {
    const action = (inputs: string) => yaml`
      name: Report
      description: Sends the run's parameters to the dashboard
      inputs:
${inputs}
      runs:
        using: composite
        steps:
          - shell: bash
            run: |
              payload='\${{ toJSON(inputs) }}'
              curl -sf -X POST -d "$payload" https://dashboard.example.test/runs
    `;
    const withTitle = '        environment:\n          description: Target environment\n        summary:\n          description: Release summary shown on the dashboard\n        dry-run:\n          default: "false"';

    it('writes out every input: reported by the strongest (a free-text one is high)', () => {
      expect(run({ 'action.yml': action(withTitle) })).toEqual([
        'action.yml:15:18-15:39 high/medium "toJSON(inputs)" (carrying inputs.summary) is set by the action\'s callers (none in this repository; a free-text input such as a title or message is what callers fill from issues and pull requests) and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      ]);
      expect(run({ 'action.yml': action('        environment:\n          description: Target environment') }).map((l) => l.split(' is ')[0])).toEqual([
        'action.yml:11:18-11:39 low/low "toJSON(inputs)" (carrying inputs.environment)',
      ]);
    });

    it('is silent when every input is a boolean or number, or when the local callers pass fixed values', () => {
      expect(run({ 'action.yml': action('        dry-run:\n          default: "false"\n        retries:\n          default: 3') })).toEqual([]);
      const caller = yaml`
        on: push
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/report
                with:
                  environment: staging
                  summary: nightly build
      `;
      expect(run({ '.github/actions/report/action.yml': action(withTitle), '.github/workflows/report.yml': caller })).toEqual([]);
    });
  });

  it('an action called through a checkout in a subdirectory (./src/app/.github/actions/x) is not treated as uncalled', () => {
    expect(
      run({
        '.github/actions/build/action.yml': yaml`
          inputs:
            target: {}
          runs:
            using: composite
            steps:
              - shell: bash
                run: make "\${{ inputs.target }}"
        `,
        '.github/workflows/build.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    path: src/app
                - uses: ./src/app/.github/actions/build
                  with:
                    target: release
        `,
      }),
    ).toEqual([]);
  });
});
