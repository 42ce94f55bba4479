import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('template-injection (circleci)', () => {
  it('flags a commit subject substituted into a run command, at the interpolation', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            notify:
              docker:
                - image: cimg/base:2024.01
              steps:
                - run:
                    name: Announce
                    command: |
                      echo "Building: << pipeline.git.commit.subject >>"
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:10:29-10:62 high/high "<< pipeline.git.commit.subject >>" (the commit subject) is attacker-controlled and is substituted into the command of run step "Announce" in job "notify" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
  });

  it('rates branch names medium and string pipeline parameters low; ignores typed parameters and safe values', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          parameters:
            target:
              type: string
              default: staging
            run-e2e:
              type: boolean
              default: false
            region:
              type: enum
              enum: [eu, us]
              default: eu
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: ./build.sh << pipeline.git.branch >> << pipeline.parameters.target >>
                - run: echo << pipeline.parameters.run-e2e >> << pipeline.parameters.region >> << pipeline.number >> << pipeline.git.revision >>
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:17:25-17:50 medium/high "<< pipeline.git.branch >>" (the branch name) is attacker-controlled and is substituted into the command of run step 1 in job "build" before the shell runs; pass it through environment: and read "$VAR" instead',
      '.circleci/config.yml:17:51-17:83 low/medium "<< pipeline.parameters.target >>" (the string pipeline parameter "target", which anyone allowed to trigger the pipeline (API, web app, scheduled trigger) can set) is attacker-controlled and is substituted into the command of run step 1 in job "build" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
  });

  it('does not flag the environment indirection read as "$VAR", nor escaped \\<<', () => {
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
                    echo "$SUBJECT" "$CIRCLE_BRANCH"
                    cat \\<< pipeline.git.branch >> notes.txt
        `,
      }),
    ).toEqual([]);
  });

  it('follows workflow arguments into job parameters and job parameters into commands', () => {
    const findings = auditFiles(rule, {
      '.circleci/config.yml': yaml`
        version: 2.1
        commands:
          say:
            parameters:
              text: { type: string }
            steps:
              - run: echo "<< parameters.text >>"
        jobs:
          greet:
            parameters:
              who: { type: string, default: world }
              mode: { type: enum, enum: [a, b], default: a }
            docker: [{ image: cimg/base:2024.01 }]
            steps:
              - say:
                  text: hello << parameters.who >>
        workflows:
          main:
            jobs:
              - greet:
                  who: << pipeline.trigger_parameters.webhook.body >>
      `,
    });
    expect(summarize(findings)).toEqual([
      '.circleci/config.yml:7:20-7:41 high/high "<< parameters.text >>" (carrying pipeline.trigger_parameters.webhook.body, the body of the custom webhook request) is attacker-controlled and is substituted into the command of run step 1 in command "say" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '21:16 parameter "who" of job "greet" is set from pipeline.trigger_parameters.webhook.body here',
      '16:23 parameter "text" of command "say" is set from pipeline.trigger_parameters.webhook.body here',
    ]);
  });

  it('does not follow enum or boolean parameters, and a parameter with a safe value', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            deploy:
              parameters:
                env: { type: enum, enum: [staging, prod] }
                tag: { type: string, default: latest }
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: ./deploy.sh << parameters.env >> << parameters.tag >>
          workflows:
            main:
              jobs:
                - deploy:
                    env: << pipeline.git.branch >>
                    tag: << pipeline.git.revision >>
        `,
      }),
    ).toEqual([]);
  });

  it('flags eval and sh -c re-parsing CIRCLE_BRANCH or a tainted environment variable, not single-quoted code', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run:
                    environment:
                      MSG: << pipeline.git.commit.body >>
                    command: |
                      eval "echo $CIRCLE_BRANCH"
                      docker run alpine sh -c "echo $MSG"
                      bash -c 'echo "$MSG"'
                      echo "$MSG" | tee out.txt
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:10:13-10:39 medium/medium "$CIRCLE_BRANCH" (the branch name) is attacker-controlled and is expanded into code that eval parses again in run step 1 in job "build"; pass it as an argument or read it inside the code instead',
      '.circleci/config.yml:11:13-11:48 high/medium "$MSG" (set from pipeline.git.commit.body, the commit message body) is attacker-controlled and is expanded into code that sh -c parses again in run step 1 in job "build"; pass it as an argument or read it inside the code instead',
    ]);
  });

  it('checks inline orb commands and workflow pre-steps', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          orbs:
            tools:
              commands:
                tag:
                  parameters:
                    name: { type: string }
                  steps:
                    - run: git tag << parameters.name >>
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - tools/tag:
                    name: << pipeline.git.tag >>
          workflows:
            w:
              jobs:
                - build:
                    pre-steps:
                      - run: echo << pipeline.event.github.pull_request.title >>
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:9:26-9:47 medium/high "<< parameters.name >>" (carrying pipeline.git.tag, the tag name) is attacker-controlled and is substituted into the command of run step 1 in command "tag" of inline orb "tools" before the shell runs; pass it through environment: and read "$VAR" instead',
      '.circleci/config.yml:21:25-21:71 high/high "<< pipeline.event.github.pull_request.title >>" (the pull request title) is attacker-controlled and is substituted into the command of run step 1 in pre-steps of "build" in workflow "w" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
  });

  it('reads jobs merged from YAML anchors (<<: *defaults)', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          defaults: &defaults
            docker: [{ image: cimg/base:2024.01 }]
            steps:
              - run: echo << pipeline.git.commit.author_name >>
          jobs:
            a:
              <<: *defaults
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:5:17-5:54 high/high "<< pipeline.git.commit.author_name >>" (the commit author name) is attacker-controlled and is substituted into the command of run step 1 in job "a" before the shell runs; pass it through environment: and read "$VAR" instead',
    ]);
  });
});
