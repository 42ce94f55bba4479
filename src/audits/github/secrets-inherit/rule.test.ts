import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('secrets-inherit', () => {
  it('flags secrets: inherit on a remote reusable workflow, at the value', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          call:
            uses: octo-org/shared/.github/workflows/build.yml@v1
            secrets: inherit
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/ci.yml:5:14-5:21 medium/high job "call" passes every repository and organization secret to octo-org/shared/.github/workflows/build.yml@v1 with "secrets: inherit"; pass only the secrets it needs under "secrets:"',
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(4);
  });

  it('names the secrets a local callee actually uses', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            deploy:
              uses: ./.github/workflows/deploy.yml
              secrets: inherit
        `,
        '.github/workflows/deploy.yml': yaml`
          on: workflow_call
          jobs:
            d:
              runs-on: ubuntu-latest
              steps:
                - run: ./deploy.sh
                  env:
                    KEY: \${{ secrets.deploy_key }}
                    TOKEN: \${{ secrets['NPM_TOKEN'] }}
                    GH: \${{ secrets.GITHUB_TOKEN }}
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:5:14-5:21 medium/high job "deploy" passes every repository and organization secret to ./.github/workflows/deploy.yml with "secrets: inherit"; it uses only DEPLOY_KEY and NPM_TOKEN, so pass those under "secrets:"',
    ]);
  });

  it('says so when a local callee uses no secret, and stays generic when it reads secrets dynamically', () => {
    const out = run({
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          lint:
            uses: ./.github/workflows/lint.yml
            secrets: inherit
          dyn:
            uses: ./.github/workflows/dyn.yml
            secrets: inherit
      `,
      '.github/workflows/lint.yml': yaml`
        on: workflow_call
        jobs:
          l:
            runs-on: ubuntu-latest
            steps:
              - run: make lint
      `,
      '.github/workflows/dyn.yml': yaml`
        on: workflow_call
        jobs:
          l:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ secrets[inputs.name] }}" > key
      `,
    });
    expect(out).toEqual([
      '.github/workflows/ci.yml:5:14-5:21 medium/high job "lint" passes every repository and organization secret to ./.github/workflows/lint.yml with "secrets: inherit"; it uses no secrets, so remove "secrets: inherit"',
      '.github/workflows/ci.yml:8:14-8:21 medium/high job "dyn" passes every repository and organization secret to ./.github/workflows/dyn.yml with "secrets: inherit"; pass only the secrets it needs under "secrets:"',
    ]);
  });

  it('stays generic when the callee passes every secret on to another workflow (its own expressions do not show what it needs)', () => {
    const out = run({
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          release:
            uses: ./.github/workflows/relay.yml
            secrets: inherit
      `,
      '.github/workflows/relay.yml': yaml`
        on: workflow_call
        jobs:
          publish:
            uses: ./.github/workflows/publish.yml
            secrets: inherit
      `,
      '.github/workflows/publish.yml': yaml`
        on: workflow_call
        jobs:
          p:
            runs-on: ubuntu-latest
            steps:
              - run: npm publish
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
      `,
    });
    expect(out).toEqual([
      '.github/workflows/ci.yml:5:14-5:21 medium/high job "release" passes every repository and organization secret to ./.github/workflows/relay.yml with "secrets: inherit"; pass only the secrets it needs under "secrets:"',
      '.github/workflows/relay.yml:5:14-5:21 medium/high job "publish" passes every repository and organization secret to ./.github/workflows/publish.yml with "secrets: inherit"; it uses only NPM_TOKEN, so pass that one under "secrets:"',
    ]);
  });

  it('does not flag explicit secrets or calls without secrets', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              uses: octo-org/shared/.github/workflows/build.yml@v1
              secrets:
                token: \${{ secrets.NPM_TOKEN }}
            b:
              uses: octo-org/shared/.github/workflows/build.yml@v1
            c:
              runs-on: ubuntu-latest
              steps:
                - run: echo inherit
        `,
      }),
    ).toEqual([]);
  });
});
