import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unsound-contains', () => {
  it('flags contains() with a string haystack and github.ref, at the call, with a fix', () => {
    const text = yaml`
      on: push
      jobs:
        deploy:
          if: github.event_name == 'push' && contains('refs/heads/main refs/heads/dev', github.ref)
          runs-on: ubuntu-latest
          steps:
            - run: ./deploy
    `;
    const findings = auditFiles(rule, { '.github/workflows/d.yml': text });
    expect(summarize(findings)).toEqual([
      `.github/workflows/d.yml:4:40-4:94 medium/medium job "deploy" checks github.ref with contains() against the string 'refs/heads/main refs/heads/dev', which matches any substring such as 'refs/heads/m'; use contains(fromJSON('["refs/heads/main","refs/heads/dev"]'), github.ref) for an exact match`,
    ]);
    const edit = findings[0]!.fix!.edits[0]!;
    const fixed = text.slice(0, edit.start) + edit.replacement + text.slice(edit.end);
    expect(fixed.split('\n')[3]).toBe(`    if: github.event_name == 'push' && contains(fromJSON('["refs/heads/main","refs/heads/dev"]'), github.ref)`);
    expect(findings[0]!.fix!.safety).toBe('unsafe');
  });

  it('is high for attacker-controlled needles under privileged triggers', () => {
    expect(
      run({
        '.github/workflows/t.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - if: \${{ contains('release-1 release-2', github.head_ref) }}
                  run: make
        `,
      }),
    ).toEqual([
      `.github/workflows/t.yml:6:17-6:65 high/high step "step 1" of job "a" checks attacker-controlled github.head_ref with contains() against the string 'release-1 release-2', which matches any substring such as 'releas'; use contains(fromJSON('["release-1","release-2"]'), github.head_ref) for an exact match`,
    ]);
  });

  it('follows env into the needle and keeps polarity through == true', () => {
    expect(
      run({
        '.github/workflows/e.yml': yaml`
          on: issue_comment
          env:
            CMD: \${{ github.event.comment.body }}
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - if: contains('/deploy /release', env.CMD) == true
                  run: make
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/e.yml:8:13-8:50 high/high']);
  });

  it('does not flag fromJSON lists, context haystacks, literal needles or negated checks', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              if: contains(fromJSON('["refs/heads/main","refs/heads/dev"]'), github.ref)
              runs-on: ubuntu-latest
              steps:
                - if: contains(github.event.pull_request.labels.*.name, 'safe to test')
                  run: make
                - if: contains(github.event.pull_request.title, '[skip ci]')
                  run: make
                - if: contains('abc', 'b')
                  run: make
                - if: "!contains('refs/heads/main', github.ref)"
                  run: make
        `,
      }),
    ).toEqual([]);
  });

  it('offers no fix inside a quoted YAML string', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/q.yml': yaml`
        on: push
        jobs:
          a:
            if: "contains('main', github.ref_name)"
            runs-on: ubuntu-latest
            steps:
              - run: make
      `,
    });
    expect(summarize(findings).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.github/workflows/q.yml:4:10-4:43 medium/medium']);
    expect(findings[0]!.fix).toBeUndefined();
  });
});
