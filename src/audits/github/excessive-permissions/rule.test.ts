import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('excessive-permissions', () => {
  it('flags write-all at workflow and job level', () => {
    const out = run({
      '.github/workflows/a.yml': yaml`
        on: push
        permissions: write-all
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: make
          deploy:
            runs-on: ubuntu-latest
            permissions: write-all
            steps:
              - run: make deploy
      `,
    });
    expect(out).toEqual([
      '.github/workflows/a.yml:2:14-2:23 high/high workflow-level "permissions: write-all" gives job "build" a token that can write to every scope; list only the scopes it uses',
      '.github/workflows/a.yml:10:18-10:27 high/high job "deploy" sets "permissions: write-all", a token that can write to every scope; list only the scopes it uses',
    ]);
  });

  it('does not flag a workflow-level write-all that every job overrides (jobs do not inherit it)', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          permissions: write-all
          jobs:
            build:
              runs-on: ubuntu-latest
              permissions:
                contents: read
              steps:
                - uses: actions/checkout@v4
        `,
      }),
    ).toEqual([]);
  });

  it('lowers write-all in a reusable workflow, which its callers cap', () => {
    expect(
      run({
        '.github/workflows/called.yml': yaml`
          on: workflow_call
          permissions: write-all
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/called.yml:2:14-2:23 medium/high workflow-level "permissions: write-all" gives job "a" a token that can write to every scope (capped by what each caller grants); list only the scopes it uses',
    ]);
  });

  it('flags workflow-level write scopes inherited by jobs that do not use them, naming the job that does', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/rel.yml': yaml`
        on:
          push:
            tags: ['v*']
        permissions:
          contents: write
          packages: write
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: npm ci && npm test
          release:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Publish
                uses: softprops/action-gh-release@v2
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/rel.yml:5:13-5:18 medium/medium workflow-level "contents: write" is inherited by job "test", which does not appear to use it; move it into the permissions of job "release"',
      '.github/workflows/rel.yml:6:13-6:18 medium/medium workflow-level "packages: write" is inherited by jobs "test" and "release", which do not appear to use it; lower it to "packages: none"',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual([
      '8:job "test" inherits contents: write without a step that uses it',
      '13:job "release" needs it: softprops/action-gh-release in step "Publish"',
    ]);
  });

  it('does not claim a scope is unused when an unknown action or a token-holding script may use it', () => {
    expect(
      run({
        '.github/workflows/u.yml': yaml`
          on: push
          permissions:
            contents: write
            pull-requests: write
          jobs:
            third-party:
              runs-on: ubuntu-latest
              steps:
                - uses: some-org/mystery-action@v1
            script:
              runs-on: ubuntu-latest
              steps:
                - run: npx semantic-release
                  env:
                    GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
            gh-api:
              runs-on: ubuntu-latest
              steps:
                - run: gh api repos/{owner}/{repo}/pulls
                  env:
                    GH_TOKEN: \${{ github.token }}
        `,
      }),
    ).toEqual([]);
  });

  it('recognises gh and git usage in run scripts', () => {
    expect(
      run({
        '.github/workflows/g.yml': yaml`
          on: push
          permissions:
            contents: write
            issues: write
            pull-requests: write
          jobs:
            tag:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - run: |
                    git tag v1
                    git push --tags
            comment:
              runs-on: ubuntu-latest
              steps:
                - run: gh pr comment 1 --body "done"
                  env:
                    GH_TOKEN: \${{ github.token }}
        `,
      }),
    ).toEqual([
      '.github/workflows/g.yml:3:13-3:18 medium/medium workflow-level "contents: write" is inherited by job "comment", which does not appear to use it; move it into the permissions of job "tag"',
      '.github/workflows/g.yml:4:11-4:16 medium/medium workflow-level "issues: write" is inherited by jobs "tag" and "comment", which do not appear to use it; lower it to "issues: none"',
      '.github/workflows/g.yml:5:18-5:23 medium/medium workflow-level "pull-requests: write" is inherited by job "tag", which does not appear to use it; move it into the permissions of job "comment"',
    ]);
  });

  it('flags id-token: write on events outsiders can cause, at the scope entry', () => {
    const out = run({
      '.github/workflows/oidc.yml': yaml`
        on:
          pull_request_target:
          push:
        jobs:
          deploy:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
              contents: read
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: arn:aws:iam::1:role/x
      `,
    });
    expect(out).toEqual([
      '.github/workflows/oidc.yml:8:17-8:22 high/high "id-token: write" lets job "deploy" mint OIDC tokens for cloud access while running on "pull_request_target", an event outside users can cause; grant it only in a job that cannot be started by untrusted events',
    ]);
  });

  it('honours if: gates on id-token (event_name excludes the trigger; trusted actor lowers severity)', () => {
    const out = run({
      '.github/workflows/oidc.yml': yaml`
        on: [push, issue_comment]
        jobs:
          on-push:
            if: github.event_name == 'push'
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
          maintainers:
            if: \${{ github.event_name == 'issue_comment' && github.event.comment.author_association == 'OWNER' }}
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
      `,
    });
    expect(out).toEqual([
      '.github/workflows/oidc.yml:14:17-14:22 medium/high "id-token: write" lets job "maintainers" mint OIDC tokens for cloud access while running on "issue_comment", an event outside users can cause (its if: admits only trusted actors); grant it only in a job that cannot be started by untrusted events',
    ]);
  });

  it('reports one workflow-level id-token finding for all inheriting jobs, not a second "unused" one', () => {
    const out = run({
      '.github/workflows/wr.yml': yaml`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        permissions:
          id-token: write
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo hi
          b:
            runs-on: ubuntu-latest
            steps:
              - run: echo hi
      `,
    });
    expect(out).toEqual([
      '.github/workflows/wr.yml:6:13-6:18 high/high "id-token: write" lets jobs "a" and "b" mint OIDC tokens for cloud access while running on "workflow_run", an event outside users can cause; grant it only in a job that cannot be started by untrusted events',
    ]);
  });

  it('flags a missing permissions block under risky triggers once, at the trigger', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/t.yml': yaml`
        on:
          push:
          pull_request_target:
            types: [opened]
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/labeler@v5
          greet:
            runs-on: ubuntu-latest
            steps:
              - run: echo hi
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/t.yml:3:3-3:22 medium/medium workflow runs on "pull_request_target" with no "permissions:" block, so jobs "label" and "greet" get the repository\'s default token, which is read-write on older repositories; add a top-level "permissions:" block with only what they use',
    ]);
    expect(findings[0]!.related.map((r) => r.startLine)).toEqual([6, 10]);
  });

  it('flags only the jobs without permissions when others set theirs', () => {
    expect(
      run({
        '.github/workflows/t.yml': yaml`
          on: issue_comment
          jobs:
            ok:
              runs-on: ubuntu-latest
              permissions:
                issues: write
              steps:
                - run: echo ok
            bare:
              runs-on: ubuntu-latest
              steps:
                - run: echo hi
        `,
      }),
    ).toEqual([
      '.github/workflows/t.yml:6:15-6:20 medium/medium job "ok" grants "issues: write" but none of its steps appears to use it; remove it',
      '.github/workflows/t.yml:9:3-9:7 medium/medium job "bare" runs on "issue_comment" without a "permissions:" block, so it gets the repository\'s default token, which is read-write on older repositories; give it its own "permissions:" with only what it uses',
    ]);
  });

  it('does not flag missing permissions for safe triggers, or for reusable workflows (the caller decides)', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: [push, pull_request]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
        '.github/workflows/called.yml': yaml`
          on: workflow_call
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
      }),
    ).toEqual([]);
  });

  it('reads a local reusable workflow to decide what a caller job needs', () => {
    expect(
      run({
        '.github/workflows/caller.yml': yaml`
          on: push
          permissions:
            contents: write
            pages: write
          jobs:
            call:
              uses: ./.github/workflows/release.yml
        `,
        '.github/workflows/release.yml': yaml`
          on: workflow_call
          jobs:
            r:
              runs-on: ubuntu-latest
              permissions:
                contents: write
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/caller.yml:4:10-4:15 medium/medium workflow-level "pages: write" is inherited by job "call", which does not appear to use it; lower it to "pages: none"',
      '.github/workflows/release.yml:6:17-6:22 low/medium job "r" grants "contents: write" but none of its steps appears to use it; remove it',
    ]);
  });

  it('treats an action given a PAT instead of GITHUB_TOKEN as not using the token', () => {
    expect(
      run({
        '.github/workflows/p.yml': yaml`
          on: schedule
          permissions:
            contents: write
            pull-requests: write
          jobs:
            bump:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: peter-evans/create-pull-request@v7
                  with:
                    token: \${{ secrets.BOT_PAT }}
        `,
      }),
    ).toEqual([
      '.github/workflows/p.yml:3:13-3:18 medium/medium workflow-level "contents: write" is inherited by job "bump", which does not appear to use it; lower it to "contents: read"',
      '.github/workflows/p.yml:4:18-4:23 medium/medium workflow-level "pull-requests: write" is inherited by job "bump", which does not appear to use it; lower it to "pull-requests: none"',
    ]);
  });

  it('raises severity when an unused write scope reaches a privileged trigger, and knows ghcr pushes', () => {
    expect(
      run({
        '.github/workflows/d.yml': yaml`
          on: workflow_run
          permissions:
            packages: write
            contents: write
          jobs:
            image:
              runs-on: ubuntu-latest
              steps:
                - uses: docker/login-action@v3
                  with:
                    registry: ghcr.io
                    username: \${{ github.actor }}
                    password: \${{ secrets.GITHUB_TOKEN }}
                - uses: docker/build-push-action@v6
                  with:
                    push: true
                    tags: ghcr.io/o/r:latest
        `,
      }),
    ).toEqual([
      '.github/workflows/d.yml:4:13-4:18 high/medium workflow-level "contents: write" is inherited by job "image", which does not appear to use it; lower it to "contents: none"',
    ]);
  });

  it('does not treat workflow scopes as inherited by jobs that set their own permissions', () => {
    expect(
      run({
        '.github/workflows/o.yml': yaml`
          on: pull_request_target
          permissions:
            contents: write
          jobs:
            test:
              runs-on: ubuntu-latest
              permissions:
                contents: read
              steps:
                - uses: actions/checkout@v4
            release:
              runs-on: ubuntu-latest
              permissions:
                contents: write
              steps:
                - uses: softprops/action-gh-release@v2
        `,
      }),
    ).toEqual([]);
  });

  describe("a job's own write scopes it does not use", () => {
    it('reports unused write and id-token scopes, keeps those its steps use, and a github-script with its own token needs none', () => {
      expect(
        run({
          '.github/workflows/release.yml': yaml`
            on:
              push:
                tags: ['v*']
            permissions: {}
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions:
                  contents: write
                  id-token: write
                  packages: write
                  pull-requests: write
                steps:
                  - uses: actions/checkout@v4
                  - run: npm ci && npm run build
                  - uses: softprops/action-gh-release@v2
                    with:
                      files: dist/*.tgz
                  - uses: actions/github-script@v7
                    with:
                      github-token: \${{ secrets.RELEASE_BOT_TOKEN }}
                      script: |
                        await github.rest.issues.createComment({ ...context.repo, issue_number: 1, body: 'released' });
              label:
                runs-on: ubuntu-latest
                permissions:
                  issues: write
                steps:
                  - uses: actions/github-script@v7
                    with:
                      script: |
                        await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: ['released'] });
          `,
        }),
      ).toEqual([
        '.github/workflows/release.yml:10:17-10:22 medium/medium job "publish" grants "id-token: write" but none of its steps appears to use it; remove it (any step of the job can mint OIDC tokens for the cloud roles trusted for this repository)',
        '.github/workflows/release.yml:11:17-11:22 low/medium job "publish" grants "packages: write" but none of its steps appears to use it; remove it',
        '.github/workflows/release.yml:12:22-12:27 low/medium job "publish" grants "pull-requests: write" but none of its steps appears to use it; remove it',
      ]);
    });

    it('keeps id-token: write for OIDC publishing and a github-script that asks for an ID token', () => {
      expect(
        run({
          '.github/workflows/pypi.yml': yaml`
            on: release
            jobs:
              pypi:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: pypa/gh-action-pypi-publish@release/v1
              oidc:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps:
                  - uses: actions/github-script@v7
                    with:
                      github-token: \${{ secrets.APP_TOKEN }}
                      script: core.setOutput('jwt', await core.getIDToken('sts.example.com'))
          `,
        }),
      ).toEqual([]);
    });
  });

  it('actions/stale with delete-branch: true uses contents: write (real-workflow false positive)', () => {
    const wf = (del: string) => yaml`
      on:
        schedule:
          - cron: '0 3 * * *'
      permissions: {}
      jobs:
        stale:
          runs-on: ubuntu-latest
          permissions:
            contents: write
            issues: write
            pull-requests: write
            actions: write
          steps:
            - uses: actions/stale@v9
              with:
                days-before-stale: 30
                delete-branch: ${del}
    `;
    expect(run({ '.github/workflows/stale.yml': wf('true') })).toEqual([]);
    expect(run({ '.github/workflows/stale.yml': wf('false') })).toEqual([
      '.github/workflows/stale.yml:9:17-9:22 low/medium job "stale" grants "contents: write" but none of its steps appears to use it; remove it',
    ]);
  });
});
