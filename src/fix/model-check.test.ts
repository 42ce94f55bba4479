import { describe, expect, it } from 'vitest';
import type { Fix } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { DEFAULT_CONFIG } from '../config/types.js';
import type { GithubModel } from '../platforms/github/model.js';
import { fixFiles } from './engine.js';
import { unintendedChange } from './model-check.js';

const BEFORE = 'jobs:\n  a:\n    steps:\n      - uses: x/y@v1\n        with:\n          persist-credentials: true\n          other: 1\n';
const WITH_AT = BEFORE.indexOf('persist-credentials');
const fixOf = (intents: Fix['intents']): Fix => ({ description: 'd', safety: 'safe', edits: [], intents });

describe('unintendedChange (the fix engine refuses edits outside their intent)', () => {
  it('accepts a change at the intended key with the intended value', () => {
    const after = BEFORE.replace('persist-credentials: true', 'persist-credentials: false');
    expect(unintendedChange('w.yml', BEFORE, after, [fixOf([{ at: WITH_AT, key: 'persist-credentials', value: false }])])).toBeUndefined();
  });

  it('refuses `key:false` that turns the mapping into a string, naming the path and both shapes', () => {
    const before = BEFORE.replace('persist-credentials: true\n          other: 1\n', 'persist-credentials:\n');
    const after = before.replace('persist-credentials:\n', 'persist-credentials:false\n');
    expect(unintendedChange('w.yml', before, after, [fixOf([{ at: before.indexOf('persist-credentials'), key: 'persist-credentials', value: false }])])).toBe(
      'it would change jobs.a.steps.0.with from a mapping to string "persist-credentials:false", outside what the fix may change (jobs.a.steps.0.with.persist-credentials)',
    );
  });

  it('refuses a change to a sibling key, and a wrong value at the intended key', () => {
    const sibling = BEFORE.replace('persist-credentials: true\n          other: 1', 'persist-credentials: false\n          other: 2');
    expect(unintendedChange('w.yml', BEFORE, sibling, [fixOf([{ at: WITH_AT, key: 'persist-credentials' }])])).toBe(
      'it would change jobs.a.steps.0.with.other from number 1 to number 2, outside what the fix may change (jobs.a.steps.0.with.persist-credentials)',
    );
    const comment = BEFORE.replace('persist-credentials: true', 'persist-credentials: false# keep');
    expect(unintendedChange('w.yml', BEFORE, comment, [fixOf([{ at: WITH_AT, key: 'persist-credentials', value: false }])])).toBe(
      'it would leave jobs.a.steps.0.with.persist-credentials as string "false# keep" instead of boolean false',
    );
  });

  it('refuses a fix that declares no intent', () => {
    expect(unintendedChange('w.yml', BEFORE, BEFORE, [fixOf(undefined)])).toBe('it declares no intended change');
  });
});

describe('fixFiles refuses a fix whose result changes more than it declared', () => {
  it('reports an error and leaves the file as it was', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    const stepAt = text.indexOf('run:');
    const bad: Rule<GithubModel> = {
      meta: { id: 'bad-fix', title: 't', platform: 'github', severity: 'high', confidence: 'high', owasp: [], cwe: [], fixable: true, online: false, docs: new URL('file:///x') },
      check(model, report) {
        const wf = model.workflows[0]!;
        report({
          message: 'm',
          location: { file: wf.source.path, startLine: 6, startColumn: 9, endLine: 6, endColumn: 12 },
          route: 'r',
          // Says it changes `run`, but also renames the job's runner.
          fix: {
            description: 'rewrite the step',
            safety: 'safe',
            edits: [
              { file: wf.source.path, start: text.indexOf('echo hi'), end: text.indexOf('echo hi') + 7, replacement: 'echo bye' },
              { file: wf.source.path, start: text.indexOf('ubuntu-latest'), end: text.indexOf('ubuntu-latest') + 13, replacement: 'self-hosted' },
            ],
            intents: [{ at: stepAt, key: 'run' }],
          },
        });
      },
    };
    const r = await fixFiles([{ path: 'ci.yml', repoPath: '.github/workflows/ci.yml', text, kind: 'workflow' }], { config: DEFAULT_CONFIG, unsafe: false, rules: [bad] });
    expect(r.texts.get('ci.yml')).toBe(text);
    expect(r.applied).toEqual([]);
    expect(r.diagnostics[0]).toEqual({
      level: 'error',
      file: 'ci.yml',
      line: 6,
      message:
        'bad-fix: fix "rewrite the step" refused: it would change jobs.a.runs-on from string "ubuntu-latest" to string "self-hosted", outside what the fix may change (jobs.a.steps.0.run); the file is left as it was there (please report this as a pipewarden bug)',
    });
  });
});
