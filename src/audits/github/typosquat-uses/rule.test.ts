import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('typosquat-uses', () => {
  it('flags look-alike owners of popular actions at the uses: value', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actons/checkout@v4
                - uses: action/checkout@v4
                - uses: actoins/setup-node@v4
                - uses: actlons/cache@v4
                - uses: actions-checkout/checkout@v4
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:33 high/high step 1 of job "build" uses actons/checkout, which looks like actions/checkout but is not it: its owner "actons" is one letter away from "actions", so whoever owns "actons" decides what runs; use actions/checkout if that was meant',
      '.github/workflows/ci.yml:7:15-7:33 high/high step 2 of job "build" uses action/checkout, which looks like actions/checkout but is not it: its owner "action" is one letter away from "actions", so whoever owns "action" decides what runs; use actions/checkout if that was meant',
      '.github/workflows/ci.yml:8:15-8:36 high/high step 3 of job "build" uses actoins/setup-node, which looks like actions/setup-node but is not it: its owner "actoins" is a letter swap away from "actions", so whoever owns "actoins" decides what runs; use actions/setup-node if that was meant',
      '.github/workflows/ci.yml:9:15-9:31 high/high step 4 of job "build" uses actlons/cache, which looks like actions/cache but is not it: its owner "actlons" is a look-alike spelling of "actions", so whoever owns "actlons" decides what runs; use actions/cache if that was meant',
      '.github/workflows/ci.yml:10:15-10:43 high/medium step 5 of job "build" uses actions-checkout/checkout, which looks like actions/checkout but is not it: its owner "actions-checkout" borrows the name "actions", so whoever owns "actions-checkout" decides what runs; use actions/checkout if that was meant',
    ]);
  });

  it('reports a misspelt name under the right owner at low severity (only that owner could publish it)', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - name: Checkout
                  uses: actions/check-out@v4
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:7:15-7:35 low/medium step "Checkout" of job "build" uses actions/check-out, which is not a known action of "actions": "check-out" is a separator away from "checkout"; use actions/checkout if that was meant',
    ]);
  });

  it('checks reusable workflow calls and composite action steps too', () => {
    expect(
      run({
        '.github/workflows/call.yml': yaml`
          on: push
          jobs:
            call:
              uses: dockre/build-push-action/.github/workflows/x.yml@v1
        `,
        'tools/action.yml': yaml`
          name: tool
          runs:
            using: composite
            steps:
              - uses: peter-evens/create-pull-request@v6
        `,
      }),
    ).toEqual([
      '.github/workflows/call.yml:4:11-4:62 high/high job "call" uses dockre/build-push-action/.github/workflows/x.yml, which looks like docker/build-push-action but is not it: its owner "dockre" is a letter swap away from "docker", so whoever owns "dockre" decides what runs; use docker/build-push-action if that was meant',
      'tools/action.yml:5:13-5:47 high/high step 1 of action "tool" uses peter-evens/create-pull-request, which looks like peter-evans/create-pull-request but is not it: its owner "peter-evens" is one letter away from "peter-evans", so whoever owns "peter-evens" decides what runs; use peter-evans/create-pull-request if that was meant',
    ]);
  });

  it('does not flag the real actions, case differences, unrelated names, forks under your own org, or local and docker uses', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: Actions/Checkout@v4
                - uses: JamesIves/github-pages-deploy-action@v4
                - uses: jamesives/github-pages-deploy-action@v4
                - uses: my-org/checkout@v4
                - uses: actions/setup-go@v5
                - uses: nick-fields/retry@v3
                - uses: nick-invision/retry@v2
                - uses: codecov/codecov-action@v5
                - uses: some-person/some-action@v1
                - uses: ./local/checkout
                - uses: docker://actons/checkout:latest
                - uses: github/codeql-action/init@v3
        `,
      }),
    ).toEqual([]);
  });
});
