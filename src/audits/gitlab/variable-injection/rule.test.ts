import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('variable-injection (gitlab)', () => {
  it('flags a commit message written into a dotenv report', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        meta:
          script:
            - echo "NOTES=$CI_COMMIT_MESSAGE" >> build.env
          artifacts:
            reports:
              dotenv: build.env
      `,
    });
    expect(summarize(findings)).toEqual([
      `.gitlab-ci.yml:3:19-3:37 high/high job "meta" writes $CI_COMMIT_MESSAGE (the commit message) into its dotenv report build.env; a newline in it defines any variable (LD_PRELOAD, BASH_ENV, NODE_OPTIONS...) for every later job that needs this one, above the variables of the file. Write only fixed names with validated values (e.g. strip newlines: printf 'X=%s\\n' "$(printf %s "$V" | tr -d '\\n')")`,
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(6);
  });

  it('follows variables and here-documents, and git log output', () => {
    const out = run({
      '.gitlab-ci.yml': yaml`
        meta:
          rules:
            - if: $CI_MERGE_REQUEST_IID
          variables:
            T: $CI_MERGE_REQUEST_TITLE
          script:
            - |
              cat > vars.env <<EOF
              TITLE=$T
              EOF
            - echo "LAST=$(git log -1 --format=%s)" | tee -a ./vars.env
          artifacts:
            reports:
              dotenv: [vars.env]
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.gitlab-ci.yml:9:13-9:15 high/high', '.gitlab-ci.yml:11:18-11:42 high/high']);
    expect(out[0]).toContain('writes $T (carrying the merge request title from CI_MERGE_REQUEST_TITLE)');
  });

  it('does not flag the fix its own message suggests, nor other newline-stripping substitutions; does flag a substitution that keeps newlines', () => {
    const out = run({
      '.gitlab-ci.yml': yaml`
        meta:
          script:
            - printf 'NOTES=%s\\n' "$(printf %s "$CI_COMMIT_MESSAGE" | tr -d '\\n')" >> build.env
            - echo "SUBJECT=$(echo "$CI_COMMIT_MESSAGE" | head -n 1)" >> build.env
            - echo "SAFE=$(printf %s "$CI_COMMIT_MESSAGE" | tr -cd '[:alnum:]._-')" >> build.env
            - echo "UPPER=$(printf %s "$CI_COMMIT_MESSAGE" | tr a-z A-Z)" >> build.env
          artifacts:
            reports:
              dotenv: build.env
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.gitlab-ci.yml:6:32-6:50 high/high']);
  });

  it('does not flag ref names (no newlines), fixed values, other files, or quoted here-documents', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          meta:
            script:
              - echo "BRANCH=$CI_COMMIT_REF_NAME" >> build.env
              - echo "SHA=$CI_COMMIT_SHA" >> build.env
              - echo "MSG=$CI_COMMIT_MESSAGE" >> notes.txt
              - |
                cat >> build.env <<'EOF'
                RAW=$CI_COMMIT_MESSAGE
                EOF
            artifacts:
              reports:
                dotenv: build.env
        `,
      }),
    ).toEqual([]);
  });
});
