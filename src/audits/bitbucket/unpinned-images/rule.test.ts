import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('unpinned-images (bitbucket)', () => {
  it('flags images pulled by tag, at the image name', () => {
    expect(
      run(`image: node:20
definitions:
  services:
    db:
      image: postgres
    cache:
      image: redis:7@sha256:${'a'.repeat(64)}
pipelines:
  default:
    - step:
        name: Lint
        image:
          name: ghcr.io/acme/linter:latest
          username: $U
          password: $P
        script:
          - lint
    - step:
        image: $CUSTOM_IMAGE
        script:
          - x
`),
    ).toEqual([
      "bitbucket-pipelines.yml:1:8-1:15 medium/high the default image \"node:20\" is pulled by the tag \"20\", which can be re-pushed; pin it by digest (node:20@sha256:...)",
      "bitbucket-pipelines.yml:5:14-5:22 high/high service \"db\" image \"postgres\" is pulled by no tag (latest); pin it by digest (postgres@sha256:...)",
      "bitbucket-pipelines.yml:13:17-13:43 high/high step \"Lint\" image \"ghcr.io/acme/linter:latest\" is pulled by the moving tag \"latest\"; pin it by digest (ghcr.io/acme/linter@sha256:...)",
    ]);
  });

  it('accepts digests and variables', () => {
    expect(
      run(`image: node:20@sha256:${'c'.repeat(64)}
pipelines:
  default:
    - step:
        image: $CUSTOM_IMAGE
        script:
          - make
`),
    ).toEqual([]);
  });
});
