import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('use-trusted-publishing', () => {
  it('flags npm publish with a token from secrets, at the command, with the binding as related', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/release.yml': yaml`
        on:
          release:
            types: [published]
        jobs:
          npm:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with:
                  registry-url: https://registry.npmjs.org
              - name: Publish
                run: |
                  npm ci
                  npm publish --access public
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/release.yml:14:11-14:38 low/high step "Publish" of job "npm" publishes to npm with the long-lived token NPM_TOKEN; configure a trusted publisher for the package on npmjs.com, grant "id-token: write" and run npm publish (npm 11.5+) without the token',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['16:NODE_AUTH_TOKEN is bound to secret NPM_TOKEN here']);
  });

  it('flags the pypi publish action with password:, twine, cargo and gem with tokens', () => {
    expect(
      run({
        '.github/workflows/publish.yml': yaml`
          on: push
          env:
            CARGO_REGISTRY_TOKEN: \${{ secrets.CRATES_TOKEN }}
          jobs:
            py:
              runs-on: ubuntu-latest
              steps:
                - uses: pypa/gh-action-pypi-publish@release/v1
                  with:
                    password: \${{ secrets.PYPI_API_TOKEN }}
                - run: twine upload dist/*
                  env:
                    TWINE_USERNAME: __token__
                    TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}
            rust:
              runs-on: ubuntu-latest
              steps:
                - run: cargo publish --locked
            ruby:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    gem build *.gemspec
                    GEM_HOST_API_KEY="\${{ secrets.RUBYGEMS_KEY }}" gem push *.gem
        `,
      }),
    ).toEqual([
      '.github/workflows/publish.yml:10:11-10:19 low/high step 1 of job "py" publishes to PyPI with the long-lived token PYPI_API_TOKEN as "password"; configure a trusted publisher on pypi.org, grant "id-token: write" and publish with pypa/gh-action-pypi-publish (or uv publish) without a password',
      '.github/workflows/publish.yml:11:14-11:33 low/high step 2 of job "py" publishes to PyPI with the long-lived token PYPI_TOKEN; configure a trusted publisher on pypi.org, grant "id-token: write" and publish with pypa/gh-action-pypi-publish (or uv publish) without a password',
      '.github/workflows/publish.yml:18:14-18:36 low/high step 1 of job "rust" publishes to crates.io with the long-lived token CRATES_TOKEN; configure trusted publishing for the crate on crates.io, grant "id-token: write" and get a short-lived token from rust-lang/crates-io-auth-action',
      '.github/workflows/publish.yml:24:11-24:72 low/high step 1 of job "ruby" publishes to RubyGems with the long-lived token RUBYGEMS_KEY; configure a trusted publisher on rubygems.org, grant "id-token: write" and publish with rubygems/release-gem (or rubygems/configure-rubygems-credentials)',
    ]);
  });

  it('does not flag trusted publishing, private registries, GitHub Packages, or publishing without a secret', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          permissions:
            id-token: write
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: pypa/gh-action-pypi-publish@release/v1
                - uses: pypa/gh-action-pypi-publish@release/v1
                  with:
                    repository-url: https://pypi.internal.example/legacy/
                    password: \${{ secrets.INTERNAL_PYPI }}
                - run: npm publish --provenance
                - run: twine upload --repository-url https://nexus.example/repository/pypi/ dist/*
                  env:
                    TWINE_PASSWORD: \${{ secrets.NEXUS }}
                - run: cargo publish --registry my-registry
                  env:
                    CARGO_REGISTRY_TOKEN: \${{ secrets.MY_REGISTRY }}
                - run: echo "npm publish is done with NPM_TOKEN elsewhere"
                  env:
                    NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
            gpr:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-node@v4
                  with:
                    registry-url: https://npm.pkg.github.com
                - run: npm publish
                  env:
                    NODE_AUTH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
                - run: npm publish
                  env:
                    NODE_AUTH_TOKEN: \${{ secrets.GPR_TOKEN }}
        `,
      }),
    ).toEqual([]);
  });

  it('recognises launchers (python -m, pipx run, bundle exec, bunx), bun publish, NuGet pushes, toolchains and continued lines; not dry runs', () => {
    const out = run({
      '.github/workflows/pub.yml': yaml`
        on: workflow_dispatch
        permissions:
          contents: read
        env:
          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
          CARGO_REGISTRY_TOKEN: \${{ secrets.CRATES_TOKEN }}
          GEM_HOST_API_KEY: \${{ secrets.RUBYGEMS_KEY }}
        jobs:
          all:
            runs-on: ubuntu-latest
            steps:
              - run: python -m twine upload dist/*
              - run: pipx run twine upload dist/*
              - run: bundle exec gem push pkg/x.gem
              - run: bunx npm publish --access public
              - run: bun publish
              - run: cargo +stable publish --locked
              - run: |
                  dotnet nuget push out/*.nupkg \\
                    --api-key \${{ secrets.NUGET_KEY }} \\
                    --source https://api.nuget.org/v3/index.json
              - run: npm publish --dry-run
              - run: cargo +nightly publish -n
      `,
    });
    expect(out.map((l) => l.replace(/; configure.*$/, ''))).toEqual([
      '.github/workflows/pub.yml:13:14-13:43 low/high step 1 of job "all" publishes to PyPI with the long-lived token PYPI_TOKEN',
      '.github/workflows/pub.yml:14:14-14:42 low/high step 2 of job "all" publishes to PyPI with the long-lived token PYPI_TOKEN',
      '.github/workflows/pub.yml:15:14-15:44 low/high step 3 of job "all" publishes to RubyGems with the long-lived token RUBYGEMS_KEY',
      '.github/workflows/pub.yml:16:14-16:46 low/high step 4 of job "all" publishes to npm with the long-lived token NPM_TOKEN',
      '.github/workflows/pub.yml:17:14-17:25 low/high step 5 of job "all" publishes to npm with the long-lived token NPM_TOKEN',
      '.github/workflows/pub.yml:18:14-18:44 low/high step 6 of job "all" publishes to crates.io with the long-lived token CRATES_TOKEN',
      '.github/workflows/pub.yml:20:11-22:57 low/high step 7 of job "all" publishes to NuGet with the long-lived token NUGET_KEY',
    ]);
  });

  it('a publish with no visible token in a job that cannot mint an OIDC token still uses a long-lived credential (medium confidence)', () => {
    const wf = (perms: string) => yaml`
      on: workflow_dispatch
      ${perms}
      jobs:
        npm:
          runs-on: ubuntu-latest
          steps:
            - run: npm publish --provenance
    `;
    expect(run({ '.github/workflows/p.yml': wf('permissions: { contents: read }') })).toEqual([
      '.github/workflows/p.yml:7:14-7:38 low/medium step 1 of job "npm" publishes to npm in a job without "id-token: write", so it can only authenticate with a long-lived credential (configured outside this step); configure a trusted publisher for the package on npmjs.com, grant "id-token: write" and run npm publish (npm 11.5+) without the token',
    ]);
    expect(run({ '.github/workflows/p.yml': wf('permissions: { contents: read, id-token: write }') })).toEqual([]);
  });
});
