import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('variable-injection (circleci)', () => {
  it('flags tainted values written into $BASH_ENV', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              environment:
                SUBJECT: << pipeline.git.commit.subject >>
              steps:
                - run: |
                    echo "export IMAGE_TAG=$CIRCLE_BRANCH" >> $BASH_ENV
                    echo "export TITLE='$SUBJECT'" | tee -a "$BASH_ENV"
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:9:11-9:62 medium/medium run step 1 in job "build" writes the value of "$CIRCLE_BRANCH" (the branch name) into $BASH_ENV, which every later step sources as shell code; write the reference instead (echo \'export X="$CIRCLE_BRANCH"\' >> "$BASH_ENV") or quote it with printf %q',
      '.circleci/config.yml:10:11-10:62 high/medium run step 1 in job "build" writes the value of "$SUBJECT" (set from pipeline.git.commit.subject, the commit subject) into $BASH_ENV, which every later step sources as shell code; write the reference instead (echo \'export X="$SUBJECT"\' >> "$BASH_ENV") or quote it with printf %q',
    ]);
  });

  it('accepts references written literally, printf %q, and untainted values', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: |
                    echo 'export IMAGE_TAG="$CIRCLE_BRANCH"' >> $BASH_ENV
                    printf 'export B=%q\\n' "$CIRCLE_BRANCH" >> "$BASH_ENV"
                    echo "export SHA=$CIRCLE_SHA1" >> $BASH_ENV
                    echo "$CIRCLE_BRANCH" > branch.txt
        `,
      }),
    ).toEqual([]);
  });
});
