/**
 * The repository's own CI definitions and action.yml: audited by pipewarden at the strictest
 * threshold, and action.yml declares exactly the inputs and outputs the entry point handles.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../helpers.js';

const WORKFLOWS = readdirSync(join(REPO, '.github/workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `.github/workflows/${f}`);

describe("this repository's workflows and action.yml", { timeout: 300_000 }, () => {
  it('pass pipewarden at --fail-on low with every confidence: pinned by SHA, least privilege, no injection', () => {
    expect(WORKFLOWS).toEqual(['.github/workflows/ci.yml', '.github/workflows/release.yml']);
    const r = cli(['audit', ...WORKFLOWS, 'action.yml', 'templates/pipewarden.yml', '--fail-on', 'low', '--min-confidence', 'low', '-f', 'json']);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('every action is pinned to a full commit SHA with its version in a comment, and every job limits its token', () => {
    for (const file of WORKFLOWS) {
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const m of text.matchAll(/uses:\s*(\S+)(.*)$/gm)) {
        if (m[1] === './') continue;
        expect(m[1]).toMatch(/^[\w-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(m[2]).toMatch(/^ # v\d+\.\d+\.\d+$/);
      }
      const wf = parse(text) as { permissions: unknown; jobs: Record<string, { permissions?: unknown }> };
      expect(wf.permissions).toEqual({});
      for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeDefined();
    }
  });

  it('action.yml: node24 on the built entry point, the inputs and outputs the Action handles', () => {
    const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action/main.js' });
    expect(existsSync(join(REPO, action.runs.main))).toBe(true);
    expect(Object.keys(action.inputs)).toEqual([
      'command', 'paths', 'config', 'fail-on', 'min-confidence', 'baseline', 'new-only', 'sarif-file', 'upload-sarif', 'annotations', 'online', 'token',
    ]);
    expect(Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]))).toEqual({
      command: 'scan',
      paths: '',
      config: '',
      'fail-on': 'high',
      'min-confidence': '',
      baseline: '',
      'new-only': 'auto',
      'sarif-file': '',
      'upload-sarif': 'false',
      annotations: 'true',
      online: 'false',
      token: '${{ github.token }}',
    });
    expect(Object.keys(action.outputs)).toEqual(['findings', 'sarif-file', 'exit-code']);
  });
});
