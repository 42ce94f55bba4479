import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('template-injection (gitlab)', () => {
  it('flags a commit message expanded into eval, at the variable', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          notes:
            script:
              - eval "echo $CI_COMMIT_MESSAGE"
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:3:18-3:36 high/high "$CI_COMMIT_MESSAGE" (the commit message) is attacker-controlled and the shell expands it into code that eval parses again, in job "notes"; keep it data: single-quote the code so the inner shell reads "$CI_COMMIT_MESSAGE" from the environment, or drop eval',
    ]);
  });

  it('does not flag a plain "$VAR" read by the shell, nor single-quoted code', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            rules:
              - if: $CI_PIPELINE_SOURCE == "merge_request_event"
            script:
              - echo "$CI_MERGE_REQUEST_TITLE"
              - echo $CI_COMMIT_MESSAGE | tee msg.txt
              - sh -c 'echo "$CI_COMMIT_MESSAGE"'
              - eval 'echo "$CI_COMMIT_TITLE"'
              - bash -c "echo \\$CI_COMMIT_TITLE"
        `,
      }),
    ).toEqual([]);
  });

  it('follows job and global variables, and names the hop', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        variables:
          BRANCH: $CI_COMMIT_REF_NAME
        build:
          variables:
            MSG: "Title: \${CI_MERGE_REQUEST_TITLE}"
          rules:
            - if: $CI_MERGE_REQUEST_IID
          script:
            - bash -c "git checkout $BRANCH"
            - python3 -c "print('$MSG')"
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:9:29-9:36 medium/high "$BRANCH" (carrying the branch or tag name from CI_COMMIT_REF_NAME) is attacker-controlled and the shell expands it into code that bash -c parses again, in job "build"; keep it data: single-quote the code so the inner shell reads "$BRANCH" from the environment, or drop bash -c',
      '.gitlab-ci.yml:10:26-10:30 high/high "$MSG" (carrying the merge request title from CI_MERGE_REQUEST_TITLE) is attacker-controlled and the shell expands it into code that python3 -c parses again, in job "build"; keep it data: single-quote the code so the inner shell reads "$MSG" from the environment, or drop python3 -c',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['2:variable BRANCH is set from CI_COMMIT_REF_NAME here']);
  });

  it('ignores merge request variables in jobs that never run in merge request pipelines', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            script:
              - eval "echo $CI_MERGE_REQUEST_TITLE"
        `,
      }),
    ).toEqual([]);
  });

  it('follows shell assignments and git log output (medium confidence)', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            script:
              - MSG="$(git log -1 --pretty=%B)"
              - eval "$MSG"
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:4:13-4:17 high/medium "$MSG" (carrying a commit message or author read with git log) is attacker-controlled and the shell expands it into code that eval parses again, in job "a"; keep it data: single-quote the code so the inner shell reads "$MSG" from the environment, or drop eval',
    ]);
  });

  it('reports a template line once for every job that extends it', () => {
    const out = run({
      '.gitlab-ci.yml': yaml`
        .t:
          script:
            - eval "$CI_COMMIT_TITLE"
        a:
          extends: .t
        b:
          extends: .t
      `,
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('in job "a" (and 1 other job)');
  });

  it('flags an unconstrained pipeline input pasted into a script, not constrained ones', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        spec:
          inputs:
            notes:
              default: ''
            env:
              options: [staging, production]
            version:
              regex: ^v\\d+\\.\\d+\\.\\d+$
            dry:
              type: boolean
              default: false
        ---
        release:
          script:
            - echo "$[[ inputs.notes ]]" > notes.txt
            - deploy --env $[[ inputs.env ]] --version $[[ inputs.version ]] --dry=$[[ inputs.dry ]]
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:15:13-15:32 medium/medium "$[[ inputs.notes ]]" is pasted into the script of job "release" before the shell runs, and whoever runs the pipeline (Run pipeline form, API, trigger token, schedule) chooses its text; pass it through variables: (VAR: $[[ inputs.notes ]]) and read "$VAR" in the script, or restrict the input with options: or an anchored regex:',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['3:input "notes" is declared here without options: or an anchored regex:']);
  });

  it('follows inputs through local includes: a literal value is safe, a forwarded input is not', () => {
    const out = run({
      '.gitlab-ci.yml': yaml`
        spec:
          inputs:
            title:
              default: x
        ---
        include:
          - local: ci/greet.yml
            inputs:
              who: $[[ inputs.title ]]
          - local: ci/fixed.yml
            inputs:
              who: world
      `,
      'ci/greet.yml': yaml`
        spec:
          inputs:
            who:
        ---
        greet:
          script:
            - echo "hello $[[ inputs.who ]]"
      `,
      'ci/fixed.yml': yaml`
        spec:
          inputs:
            who:
        ---
        fixed:
          script:
            - echo "hello $[[ inputs.who ]]"
      `,
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^ci\/greet\.yml:7:19-7:36 medium\/medium "\$\[\[ inputs\.who \]\]" is pasted into the script of job "greet" .*\(through input "title" of \.gitlab-ci\.yml\)/);
  });
});
