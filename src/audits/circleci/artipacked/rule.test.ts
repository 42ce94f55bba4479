import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('artipacked (circleci)', () => {
  it('flags artifacts of the checkout, the home directory and credential files, and credentials in the workspace', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - checkout
                - run: make
                - store_artifacts:
                    path: .
                - store_artifacts:
                    path: ~/.docker/config.json
                - store_artifacts:
                    path: /home/circleci
                - persist_to_workspace:
                    root: ~/
                    paths: [.ssh, project/dist]
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:9:17-9:18 medium/high job "build" uploads . as a build artifact, the whole checkout, including .git and any credential files written there; artifacts can be downloaded by anyone who can see the project\'s builds (everyone, for an open-source project); upload only the build outputs you need',
      '.circleci/config.yml:11:17-11:38 high/high job "build" uploads ~/.docker/config.json as a build artifact, a credential file or directory; artifacts can be downloaded by anyone who can see the project\'s builds (everyone, for an open-source project); upload only the build outputs you need',
      '.circleci/config.yml:13:17-13:31 high/high job "build" uploads /home/circleci as a build artifact, which includes ~/.ssh (the checkout key and keys from add_ssh_keys) and any tool credentials in the home directory; artifacts can be downloaded by anyone who can see the project\'s builds (everyone, for an open-source project); upload only the build outputs you need',
      '.circleci/config.yml:16:19-16:23 medium/medium job "build" persists ~/.ssh to the workspace, a credential file or directory; every later job of the workflow (including ones running other code or orbs) can read it; persist only build outputs',
    ]);
  });

  it('accepts build outputs, the workspace checkout, and "." before any checkout', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            report:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - attach_workspace: { at: . }
                - store_artifacts: { path: . }
            build:
              docker: [{ image: cimg/base:2024.01 }]
              working_directory: ~/app
              steps:
                - checkout
                - store_artifacts: { path: dist, destination: build }
                - store_artifacts: { path: ~/project }
                - persist_to_workspace: { root: ., paths: [.] }
        `,
      }),
    ).toEqual([]);
  });
});
