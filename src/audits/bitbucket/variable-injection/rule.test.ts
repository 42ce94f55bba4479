import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('variable-injection (bitbucket)', () => {
  it('flags tainted text written to a file sourced later, and commit text in the output-variables file', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Prepare
        script:
          - echo "export BRANCH=$BITBUCKET_BRANCH" >> set_env.sh
          - echo "export SHA=$BITBUCKET_COMMIT" >> set_env.sh
          - echo "MSG=$(git log -1 --pretty=%s)" >> $BITBUCKET_PIPELINES_VARIABLES_PATH
          - echo "BR=$BITBUCKET_BRANCH" >> $BITBUCKET_PIPELINES_VARIABLES_PATH
          - echo "X=$BITBUCKET_BRANCH" > data.txt
        artifacts:
          - set_env.sh
        output-variables:
          - MSG
    - step:
        name: Use
        script:
          - source set_env.sh
          - cat data.txt
`),
    ).toEqual([
      "bitbucket-pipelines.yml:6:33-6:50 medium/high step \"Prepare\" writes $BITBUCKET_BRANCH (BITBUCKET_BRANCH, set by anyone who can push a branch) into set_env.sh, which step \"Use\" runs as shell code (source set_env.sh); write it as a quoted assignment (printf 'X=%q\\n' \"$VALUE\") or read it as data instead of sourcing the file",
      "bitbucket-pipelines.yml:8:23-8:48 medium/medium step \"Prepare\" writes $(git log -1 --pretty=%s) (the commit message (git log --pretty=%s), set by commit authors (merge commits carry pull request titles and descriptions)) into $BITBUCKET_PIPELINES_VARIABLES_PATH; a line break in it adds NAME=value lines that overwrite other output variables of later steps; write a single sanitized line (tr -d '\\n') or a digest instead",
    ]);
  });

  it('ignores untainted writes, files never sourced, and branch names in the output-variables file', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        script:
          - echo "export SHA=$BITBUCKET_COMMIT" >> set_env.sh
          - echo "export B=$BITBUCKET_BRANCH" > never-sourced.sh
          - source set_env.sh
          - echo "B=$BITBUCKET_BRANCH" >> $BITBUCKET_PIPELINES_VARIABLES_PATH
`),
    ).toEqual([]);
  });
});
