import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../../audits/github/testing.js';
import { rule as templateInjection } from '../../audits/github/template-injection/rule.js';
import { rule as unpinnedUses } from '../../audits/github/unpinned-uses/rule.js';

// GitHub's `parallel:` step groups run their steps side by side; every rule must see those steps.
const workflow = yaml`
  on: issues
  permissions: {}
  jobs:
    triage:
      runs-on: ubuntu-24.04
      steps:
        - run: echo start
        - parallel:
            - run: echo "\${{ github.event.issue.title }}"
            - uses: someone/labeler@v2
        - run: echo done
`;

describe('steps inside parallel: groups', () => {
  it('are audited like any other step, in file order', () => {
    expect(summarize(auditFiles(templateInjection, { '.github/workflows/triage.yml': workflow })).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '.github/workflows/triage.yml:9:24-9:55 high/high',
    ]);
    expect(summarize(auditFiles(unpinnedUses, { '.github/workflows/triage.yml': workflow })).map((l) => l.split(' ')[0])).toEqual(['.github/workflows/triage.yml:10:19-10:37']);
  });
});
