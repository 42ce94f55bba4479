import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }));

describe('template-injection (bitbucket)', () => {
  it('flags a branch name re-parsed by bash -c and eval, at the expansion', () => {
    expect(
      run(yaml`
        pipelines:
          default:
            - step:
                name: Build
                script:
                  - bash -c "echo building $BITBUCKET_BRANCH"
                  - eval "make TARGET=\${BITBUCKET_BRANCH}"
      `),
    ).toEqual([
      `bitbucket-pipelines.yml:6:36-6:53 medium/high $BITBUCKET_BRANCH expands BITBUCKET_BRANCH (set by anyone who can push a branch) into code that bash -c parses again, in step "Build"; pass it as an argument instead (bash -c '... "$1"' _ "$VAR")`,
      'bitbucket-pipelines.yml:7:31-7:50 medium/high ${BITBUCKET_BRANCH} expands BITBUCKET_BRANCH (set by anyone who can push a branch) into code that eval parses again, in step "Build"; do not eval it; use the value directly as a quoted argument ("$VAR")',
    ]);
  });

  it('does not flag plain shell reads, single-quoted code, escaped dollars or positional arguments', () => {
    expect(
      run(yaml`
        pipelines:
          default:
            - step:
                script:
                  - echo "$BITBUCKET_BRANCH"
                  - echo $BITBUCKET_BRANCH
                  - bash -c 'echo "$BITBUCKET_BRANCH"'
                  - bash -c 'deploy "$1"' _ "$BITBUCKET_BRANCH"
                  - eval "echo \\$BITBUCKET_BRANCH"
                  - docker build -t app:$BITBUCKET_COMMIT .
      `),
    ).toEqual([]);
  });

  it('does not flag a branch pipeline for a fixed branch name', () => {
    expect(
      run(yaml`
        pipelines:
          branches:
            main:
              - step:
                  script:
                    - sh -c "deploy $BITBUCKET_BRANCH"
      `),
    ).toEqual([]);
  });

  it('flags commit messages (high) through an assignment, naming the hop', () => {
    const findings = auditFiles(rule, {
      'bitbucket-pipelines.yml': yaml`
        pipelines:
          branches:
            main:
              - step:
                  name: Notify
                  script:
                    - MSG=$(git log -1 --pretty=%B)
                    - python3 -c "print('''$MSG''')"
      `,
    });
    expect(summarize(findings)).toEqual([
      `bitbucket-pipelines.yml:8:36-8:40 high/medium $MSG expands the commit message (git log --pretty=%B) (set by commit authors (merge commits carry pull request titles and descriptions)) into code that python3 -c parses again, in step "Notify"; read it from the environment inside the program (os.environ, process.env) instead of writing it into the code`,
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual([
      '7:MSG is set from the commit message (git log --pretty=%B) here',
      '3:runs in the branches "main" pipeline',
    ]);
  });

  it('ignores git log formats without free text', () => {
    expect(
      run(yaml`
        pipelines:
          default:
            - step:
                script:
                  - SHA=$(git log -1 --format=%H)
                  - eval "echo $SHA"
      `),
    ).toEqual([]);
  });

  it('flags ssh remote commands, expanding here-documents and tags', () => {
    expect(
      run(yaml`
        pipelines:
          tags:
            'v*':
              - step:
                  name: Release
                  script:
                    - ssh -i key deploy@host "cd /srv && ./release.sh $BITBUCKET_TAG"
                    - |
                      bash <<EOF
                      echo releasing $BITBUCKET_TAG
                      EOF
      `),
    ).toEqual([
      `bitbucket-pipelines.yml:7:63-7:77 medium/high $BITBUCKET_TAG expands BITBUCKET_TAG (set by anyone who can push a tag) into code that ssh parses again, in step "Release"; send it as data, quoted for the remote shell (printf %q), or read it there from stdin`,
      `bitbucket-pipelines.yml:10:30-10:44 medium/high $BITBUCKET_TAG expands BITBUCKET_TAG (set by anyone who can push a tag) into code that bash <<here-document parses again, in step "Release"; quote the here-document delimiter (<<'EOF') and pass the value as an argument or environment variable`,
    ]);
  });

  it('does not flag a quoted here-document delimiter', () => {
    expect(
      run(yaml`
        pipelines:
          tags:
            'v*':
              - step:
                  script:
                    - |
                      bash <<'EOF'
                      echo releasing $BITBUCKET_TAG
                      EOF
      `),
    ).toEqual([]);
  });

  it('follows output variables to later steps and custom pipeline variables (low)', () => {
    expect(
      run(yaml`
        pipelines:
          custom:
            deploy:
              - variables:
                  - name: VERSION
              - step:
                  name: Prepare
                  script:
                    - echo "REF=$BITBUCKET_BRANCH" >> $BITBUCKET_PIPELINES_VARIABLES_PATH
                  output-variables:
                    - REF
              - step:
                  name: Go
                  script:
                    - sh -c "checkout $REF"
                    - node -e "release('$VERSION')"
      `),
    ).toEqual([
      `bitbucket-pipelines.yml:15:31-15:35 medium/medium $REF expands BITBUCKET_BRANCH (set by anyone who can push a branch) into code that sh -c parses again, in step "Go"; pass it as an argument instead (bash -c '... "$1"' _ "$VAR")`,
      `bitbucket-pipelines.yml:16:33-16:41 low/high $VERSION expands custom pipeline variable VERSION (set by whoever runs the custom pipeline) into code that node -e parses again, in step "Go"; read it from the environment inside the program (os.environ, process.env) instead of writing it into the code`,
    ]);
  });

  it('flags ssh-run COMMAND built from the branch, not MODE: script', () => {
    expect(
      run(yaml`
        pipelines:
          pull-requests:
            '**':
              - step:
                  name: Remote
                  script:
                    - pipe: atlassian/ssh-run:0.8.1
                      variables:
                        SSH_USER: deploy
                        SERVER: example.com
                        COMMAND: "deploy.sh $BITBUCKET_BRANCH"
                    - pipe: atlassian/ssh-run:0.8.1
                      variables:
                        MODE: script
                        COMMAND: "scripts/$BITBUCKET_BRANCH.sh"
      `),
    ).toEqual([
      'bitbucket-pipelines.yml:11:37-11:54 medium/high $BITBUCKET_BRANCH expands BITBUCKET_BRANCH (set by the pull request author (source branch name)) into the COMMAND variable of pipe atlassian/ssh-run, which the remote shell parses as code, in step "Remote"; validate it against a strict pattern first, or pass it as a separate, quoted argument to a fixed remote script',
    ]);
  });

  it('reports a step shared through an anchor once, at its definition', () => {
    expect(
      run(yaml`
        definitions:
          steps:
            - step: &build
                name: Build
                script:
                  - sh -c "make $BITBUCKET_BRANCH"
        pipelines:
          default:
            - step: *build
          pull-requests:
            '**':
              - step:
                  <<: *build
                  name: Build
      `),
    ).toEqual([
      `bitbucket-pipelines.yml:6:25-6:42 medium/high $BITBUCKET_BRANCH expands BITBUCKET_BRANCH (set by anyone who can push a branch) into code that sh -c parses again, in step "Build"; pass it as an argument instead (bash -c '... "$1"' _ "$VAR")`,
    ]);
  });
});
