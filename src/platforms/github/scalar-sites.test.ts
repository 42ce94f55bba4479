import { describe, expect, it } from 'vitest';
import { parseDocument, type Node } from 'yaml';
import { scalarSites } from './permissions.js';

function sites(text: string): string[] {
  const root = parseDocument(text).contents as Node;
  return scalarSites(root).map((s) => `${s.route}|${s.jobId ?? '-'}|${s.isCondition ? 'if' : ''}|${String(s.scalar.value)}`);
}

describe('scalarSites', () => {
  it('routes map keys with dots, sequence items by id, name or index, in source order', () => {
    const text = [
      'on: push',
      'env: { A: a }',
      'jobs:',
      '  build:',
      '    if: github.actor == x',
      '    steps:',
      '      - id: one',
      '        run: echo 1',
      '      - name: two',
      '        with: { k: v }',
      '      - uses: x/y@v1',
      '  "":',
      '    runs-on: [self-hosted, linux]',
      '',
    ].join('\n');
    expect(sites(text)).toEqual([
      'on|-||push',
      'env.A|-||a',
      'jobs.build.if|build|if|github.actor == x',
      'jobs.build.steps[one].id|build||one',
      'jobs.build.steps[one].run|build||echo 1',
      'jobs.build.steps[two].name|build||two',
      'jobs.build.steps[two].with.k|build||v',
      'jobs.build.steps[2].uses|build||x/y@v1',
      'jobs..runs-on[0]|||self-hosted',
      'jobs..runs-on[1]|||linux',
    ]);
  });

  it('renames the first segments when the root or jobs are sequences', () => {
    expect(sites('- a\n- { id: b, x: [c] }\n')).toEqual(['[0]|-||a', '[b].id|-||b', '[b].x[0]|-||c']);
    expect(sites('jobs:\n  - { name: n, if: "true" }\n')).toEqual(['jobs[n].name|-||n', 'jobs[n].if|-|if|true']);
    expect(sites('jobs:\n  j:\n    - { if: "x" }\n')).toEqual(['jobs.j[0].if|j[0]|if|x']);
  });
});
