import { describe, expect, it } from 'vitest';
import { auditFiles, yaml } from '../testing.js';
import { rule } from './rule.js';

describe('unpinned-images (circleci): silent', () => {
  it('reports nothing when every image is pinned by digest', () => {
    const text = yaml`
      version: 2.1
      jobs:
        build:
          docker:
            - image: cimg/node:20.11@sha256:${'b'.repeat(64)}
            - image: postgres@sha256:${'c'.repeat(64)}
          steps: [checkout]
    `;
    expect(auditFiles(rule, { '.circleci/config.yml': text })).toEqual([]);
  });
});
