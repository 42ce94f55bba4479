import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unredacted-secrets', () => {
  it('flags a field read out of a JSON secret, at the expression', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          jobs:
            deploy:
              runs-on: ubuntu-latest
              steps:
                - uses: aws-actions/configure-aws-credentials@v4
                  with:
                    aws-secret-access-key: \${{ fromJSON(secrets.AWS_CREDS).secret_key }}
                - run: |
                    login --token "\${{ fromJson(secrets['CFG'])['api']['token'] }}"
        `,
      }),
    ).toEqual([
      '.github/workflows/a.yml:8:34-8:79 medium/high "fromJSON(secrets.AWS_CREDS).secret_key" in job "deploy" is a field parsed out of secret AWS_CREDS, and GitHub only masks the secret\'s whole value in logs; store the field as its own secret',
      '.github/workflows/a.yml:10:26-10:73 medium/high "fromJson(secrets[\'CFG\'])[\'api\'][\'token\']" in job "deploy" is a field parsed out of secret CFG, and GitHub only masks the secret\'s whole value in logs; store the field as its own secret',
    ]);
  });

  it('flags a whole parsed secret', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          env:
            CFG: \${{ toJSON(fromJSON(secrets.CONFIG)) }}
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo ok
        `,
      }),
    ).toEqual([
      '.github/workflows/a.yml:3:8-3:47 medium/high "fromJSON(secrets.CONFIG)" in the workflow parses secret CONFIG into values that GitHub does not mask in logs; store each field as its own secret',
    ]);
  });

  it('does not flag plain secrets, format() of secrets, or fromJSON of other data', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo ok
                  env:
                    A: \${{ secrets.TOKEN }}
                    B: \${{ format('Bearer {0}', secrets.TOKEN) }}
                    C: \${{ fromJSON(vars.CONFIG).region }}
                    D: \${{ fromJSON(needs.x.outputs.matrix).os }}
        `,
      }),
    ).toEqual([]);
  });
});
