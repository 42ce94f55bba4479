import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const CONTINUE = yaml`
  version: 2.1
  jobs:
    noop:
      docker: [{ image: cimg/base:2024.01 }]
      steps: [{ run: "true" }]
  workflows:
    w:
      jobs: [noop]
`;

describe('dynamic-config-injection (circleci)', () => {
  it('flags attacker-controlled values written into continuation parameters and generated config', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          setup: true
          orbs:
            continuation: circleci/continuation@1.0.0
          jobs:
            setup:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - checkout
                - run: |
                    echo "{\\"branch\\": \\"$CIRCLE_BRANCH\\"}" > /tmp/params.json
                    cat > generated.yml \<<EOF
                    # built for $CIRCLE_TAG
                    EOF
                - continuation/continue:
                    configuration_path: generated.yml
                    parameters: /tmp/params.json
                - continuation/continue:
                    configuration_path: .circleci/continue_config.yml
                    parameters: '{"msg": "<< pipeline.git.commit.subject >>"}'
          workflows:
            setup:
              jobs: [setup]
        `,
        '.circleci/continue_config.yml': CONTINUE,
      }),
    ).toEqual([
      '.circleci/config.yml:11:11-11:69 medium/medium run step 2 in job "setup" writes "$CIRCLE_BRANCH" (the branch name) into /tmp/params.json, which the setup workflow hands to the continuation; a crafted value can add jobs or parameters to the continued pipeline; build it from trusted data or encode it (jq --arg) instead of pasting text',
      '.circleci/config.yml:12:11-12:36 medium/medium run step 2 in job "setup" writes "$CIRCLE_TAG" (the tag name) into generated.yml, which the setup workflow hands to the continuation; a crafted value can add jobs or parameters to the continued pipeline; build it from trusted data or encode it (jq --arg) instead of pasting text',
      '.circleci/config.yml:20:33-20:66 high/high "<< pipeline.git.commit.subject >>" (the commit subject) is written into the pipeline parameters JSON that job "setup" hands to the continuation; a value with a quote can add or override parameters of the continued pipeline; compute parameters from trusted data only',
    ]);
  });

  it('accepts jq-encoded values, quoted here-documents and non-setup configs', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          setup: true
          orbs:
            continuation: circleci/continuation@1.0.0
          jobs:
            setup:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: |
                    jq -n --arg b "$CIRCLE_BRANCH" '{branch: $b}' | tee /tmp/params.txt
                    cat > generated.yml \<<'EOF'
                    branch: $CIRCLE_BRANCH
                    EOF
                - continuation/continue:
                    configuration_path: generated.yml
                    parameters: /tmp/params.txt
          workflows:
            setup:
              jobs: [setup]
        `,
        'other/.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            a:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: echo "$CIRCLE_BRANCH" > out.json
        `,
      }),
    ).toEqual([]);
  });
});
