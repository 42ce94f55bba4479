import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('overprovisioned-secrets', () => {
  it('flags toJSON(secrets) at the expression', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - run: ./build.sh
                  env:
                    ALL: \${{ toJSON(secrets) }}
        `,
      }),
    ).toEqual([
      '.github/workflows/a.yml:8:16-8:38 high/high "toJSON(secrets)" reads the whole secrets context, so GitHub sends every secret to the runner of job "build"; reference only the secrets it needs as secrets.NAME',
    ]);
  });

  it('flags a computed index, in a block script, and at workflow level', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          env:
            EVERYTHING: \${{ format('{0}', secrets) }}
          jobs:
            deploy:
              runs-on: ubuntu-latest
              strategy:
                matrix:
                  env: [staging, prod]
              steps:
                - run: |
                    echo start
                    deploy --key "\${{ secrets[format('{0}_KEY', matrix.env)] }}"
        `,
      }),
    ).toEqual([
      ".github/workflows/a.yml:3:15-3:44 high/high \"format('{0}', secrets)\" reads the whole secrets context, so GitHub sends every secret to the runner of every job of the workflow; reference only the secrets it needs as secrets.NAME",
      ".github/workflows/a.yml:13:25-13:70 high/high \"secrets[format('{0}_KEY', matrix.env)]\" picks a secret by a computed name, so GitHub sends every secret to the runner of job \"deploy\"; reference each secret by its name, or use environment secrets that share one name",
    ]);
  });

  it('does not flag static member or literal index access', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - run: echo "\${{ secrets.A }} \${{ secrets['B'] }} \${{ toJSON(secrets.C) }} \${{ github.secrets }}"
                  if: \${{ env.secrets != '' }}
        `,
      }),
    ).toEqual([]);
  });

  it('flags secrets.* and bare if: conditions', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - if: join(secrets.*, ',') != ''
                  run: echo "\${{ join(secrets.*, ',') }}"
        `,
      }),
    ).toEqual([
      '.github/workflows/a.yml:6:13-6:39 high/high "secrets.*" reads the whole secrets context, so GitHub sends every secret to the runner of job "build"; reference only the secrets it needs as secrets.NAME',
      '.github/workflows/a.yml:7:20-7:47 high/high "secrets.*" reads the whole secrets context, so GitHub sends every secret to the runner of job "build"; reference only the secrets it needs as secrets.NAME',
    ]);
  });
});
