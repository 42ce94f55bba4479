import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unprotected-deployment', () => {
  it('flags deploying jobs with secrets and no environment, at the job id, with the deploy step and secret as related', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/deploy.yml': yaml`
        on:
          push:
            branches: [main]
        jobs:
          site:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Deploy
                run: npx netlify deploy --prod
                env:
                  NETLIFY_AUTH_TOKEN: \${{ secrets.NETLIFY_TOKEN }}
          pypi:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  password: \${{ secrets.PYPI_TOKEN }}
          k8s:
            runs-on: ubuntu-latest
            env:
              KUBECONFIG_DATA: \${{ secrets.KUBECONFIG }}
            steps:
              - run: |
                  echo "$KUBECONFIG_DATA" > kubeconfig
                  kubectl --kubeconfig kubeconfig apply -f k8s/
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/deploy.yml:5:3-5:7 medium/medium job "site" publishes or deploys in step "Deploy" (netlify deploy) with secret NETLIFY_TOKEN but has no environment:, so no required reviewer, branch rule or wait timer guards those credentials; move them into a protected environment and set environment: on the job',
      '.github/workflows/deploy.yml:13:3-13:7 medium/medium job "pypi" publishes or deploys in step 1 (pypa/gh-action-pypi-publish) with secret PYPI_TOKEN but has no environment:, so no required reviewer, branch rule or wait timer guards those credentials; move them into a protected environment and set environment: on the job',
      '.github/workflows/deploy.yml:19:3-19:6 medium/medium job "k8s" publishes or deploys in step 1 (kubectl apply) with secret KUBECONFIG but has no environment:, so no required reviewer, branch rule or wait timer guards those credentials; move them into a protected environment and set environment: on the job',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn}:${r.message}`)).toEqual(['10:14:publishes or deploys here', '12:31:secret NETLIFY_TOKEN is read here']);
  });

  it('goreleaser deploys only when it releases: check, snapshots and skip=publish do not', () => {
    const wf = yaml`
      on: push
      jobs:
        check:
          runs-on: ubuntu-latest
          steps:
            - uses: goreleaser/goreleaser-action@v6
              with:
                distribution: goreleaser-pro
                args: check
              env:
                GORELEASER_KEY: \${{ secrets.GORELEASER_KEY }}
            - run: goreleaser release --snapshot --clean
              env:
                GORELEASER_KEY: \${{ secrets.GORELEASER_KEY }}
        release:
          runs-on: ubuntu-latest
          steps:
            - run: goreleaser release --clean
              env:
                GORELEASER_KEY: \${{ secrets.GORELEASER_KEY }}
    `;
    expect(run({ '.github/workflows/gr.yml': wf })).toEqual([
      '.github/workflows/gr.yml:15:3-15:10 medium/medium job "release" publishes or deploys in step 1 (goreleaser release) with secret GORELEASER_KEY but has no environment:, so no required reviewer, branch rule or wait timer guards those credentials; move them into a protected environment and set environment: on the job',
    ]);
  });

  it('does not flag jobs with an environment, trusted publishing without secrets, GITHUB_TOKEN-only releases, builds, or reusable workflow calls', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            prod:
              runs-on: ubuntu-latest
              environment: production
              steps:
                - run: terraform apply -auto-approve
                  env:
                    TF_TOKEN: \${{ secrets.TF_TOKEN }}
            oidc:
              runs-on: ubuntu-latest
              permissions:
                id-token: write
              steps:
                - uses: pypa/gh-action-pypi-publish@release/v1
            release:
              runs-on: ubuntu-latest
              steps:
                - uses: softprops/action-gh-release@v2
                  with:
                    token: \${{ secrets.GITHUB_TOKEN }}
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: docker/build-push-action@v6
                  with:
                    push: false
                    secrets: |
                      npm=\${{ secrets.NPM_READ_TOKEN }}
                - run: npm run build
                  env:
                    NPM_TOKEN: \${{ secrets.NPM_READ_TOKEN }}
            call:
              uses: ./.github/workflows/deploy.yml
              secrets: inherit
        `,
      }),
    ).toEqual([]);
  });
});
