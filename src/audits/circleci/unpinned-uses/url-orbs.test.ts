import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const SHA = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';
const config = (url: string) => ({ '.circleci/config.yml': `version: 2.1\norbs:\n  tool: ${url}\n` });
const run = (url: string) => summarize(auditFiles(rule, config(url)));

describe('unpinned-uses (circleci): URL orbs', () => {
  it('accepts a URL orb pinned to a commit on every host layout', () => {
    for (const url of [
      `https://raw.githubusercontent.com/acme/orbs/${SHA}/src/tool.yml`,
      `https://github.com/acme/orbs/raw/${SHA}/tool.yml`,
      `https://gitlab.com/acme/orbs/-/raw/${SHA}/tool.yml`,
      `https://raw.githubusercontent.com/acme/orbs/${SHA.toUpperCase()}/tool.yml`,
    ]) {
      expect({ url, findings: run(url) }).toEqual({ url, findings: [] });
    }
  });

  it('stays silent on a config whose orbs are all pinned', () => {
    const text = `version: 2.1\norbs:\n  node: circleci/node@5.2.0\n  tool: https://raw.githubusercontent.com/acme/orbs/${SHA}/tool.yml\n`;
    expect(auditFiles(rule, { '.circleci/config.yml': text })).toEqual([]);
  });

  it('reports a URL orb on a branch, a tag or an abbreviated commit, over the whole address', () => {
    for (const url of [
      'https://raw.githubusercontent.com/acme/orbs/main/tool.yml',
      'https://raw.githubusercontent.com/acme/orbs/v1.2.3/tool.yml',
      `https://raw.githubusercontent.com/acme/orbs/${SHA.slice(0, 12)}/tool.yml`,
    ]) {
      expect(run(url)).toEqual([
        `.circleci/config.yml:3:9-3:${9 + url.length} medium/medium orb "tool" is imported as ${url}, a URL orb whose content changes whenever the file at that address does; point it at an immutable address (a commit SHA) or publish it to the registry and pin an exact version`,
      ]);
    }
  });
});
