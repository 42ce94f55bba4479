import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingTransport, redact, redactUrl, ReplayingTransport, snapshotFileOf } from './snapshot.js';
import type { PostureTransport } from './types.js';
import { nextPath } from '../fetched.js';
import { parseTargetSpec } from '../run.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('snapshot files', () => {
  it('name one file per request, query sorted, never outside the folder', () => {
    expect(snapshotFileOf({ path: '/orgs/acme/repos?type=all&per_page=100' })).toBe('orgs/acme/repos@per_page=100&type=all.json');
    expect(snapshotFileOf({ path: '/repos/a/b/branches/release%2F1.x/protection' })).toBe('repos/a/b/branches/release%2F1.x/protection.json');
    expect(snapshotFileOf({ path: '/repos/a/b/contents/CODEOWNERS', accept: 'raw' })).toBe('repos/a/b/contents/CODEOWNERS+raw.json');
    expect(snapshotFileOf({ path: '/repos/../../etc/passwd' })).toBe('repos/%2E%2E/%2E%2E/etc/passwd.json');
    expect(snapshotFileOf({ path: '/graphql', graphql: { query: 'query { a }', variables: {} } })).toMatch(/^graphql\/[0-9a-f]{24}\.json$/);
  });

  it('redact variable values, tokens and webhook paths before writing', () => {
    expect(redact('/projects/1/variables?per_page=100', [{ key: 'A', value: 'hunter2', masked: false }])).toEqual([{ key: 'A', value: '[redacted]', masked: false }]);
    expect(redact('/repos/a/b/hooks', [{ id: 1, url: 'https://api.github.com/repos/a/b/hooks/1', config: { url: 'https://hooks.example.com/services/T0/B0/abc', secret: 'plain' } }])).toEqual([
      { id: 1, url: 'https://api.github.com/repos/a/b/hooks/1', config: { url: 'https://hooks.example.com/[redacted]', secret: '[redacted]' } },
    ]);
    expect(redact('/projects/1/hooks', [{ id: 2, url: 'http://user:pw@ci.example.com:8080/hook?token=x' }])).toEqual([{ id: 2, url: 'http://ci.example.com:8080/[redacted]' }]);
    expect(redactUrl('https://ci.example.com')).toBe('https://ci.example.com');
  });

  it('record and replay the same replies; an unrecorded request is status 0 (not evaluated), never a 404', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-snap-'));
    temps.push(dir);
    const inner: PostureTransport = {
      platform: 'github',
      webUrl: 'https://github.example.com',
      send: (req) => Promise.resolve(req.path === '/x' ? { status: 404, data: { message: 'Branch not protected' }, headers: {} } : { status: 200, data: { ok: true, token: 'ghp_notreal' }, headers: { link: '<https://api/x?page=2>; rel="next"' } }),
    };
    const rec = new RecordingTransport(inner, dir, 'acme', 'pipewarden test', new Date('2026-01-02T03:04:05.000Z'));
    await rec.send({ path: '/x' });
    await rec.send({ path: '/y?b=1&a=2' });
    expect(readFileSync(join(dir, 'api/y@a=2&b=1.json'), 'utf8')).not.toContain('ghp_notreal');
    const replay = new ReplayingTransport(dir);
    expect(replay.meta).toMatchObject({ platform: 'github', target: 'acme', webUrl: 'https://github.example.com', recordedAt: '2026-01-02T03:04:05.000Z' });
    expect(await replay.send({ path: '/x' })).toEqual({ status: 404, data: { message: 'Branch not protected' }, headers: {}, from: 'snapshot' });
    expect((await replay.send({ path: '/y?a=2&b=1' })).data).toEqual({ ok: true, token: '[redacted]' });
    expect((await replay.send({ path: '/z' })).status).toBe(0);
    writeFileSync(join(dir, 'api/broken.json'), '{');
    await expect(replay.send({ path: '/broken' })).rejects.toThrow(/not valid JSON/);
  });
});

describe('pagination and targets', () => {
  it('keeps the next page relative to the API base (github.com, GHES, GitLab)', () => {
    expect(nextPath('<https://api.github.com/organizations/9/repos?per_page=100&page=2>; rel="next", <https://api.github.com/organizations/9/repos?page=5>; rel="last"')).toBe('/organizations/9/repos?per_page=100&page=2');
    expect(nextPath('<https://ghe.example.com/api/v3/orgs/a/repos?page=2>; rel="next"')).toBe('/orgs/a/repos?page=2');
    expect(nextPath('<https://gitlab.example.com/api/v4/groups/1/projects?page=2>; rel="next"')).toBe('/groups/1/projects?page=2');
    expect(nextPath('<https://x/y?page=1>; rel="prev"')).toBeUndefined();
  });

  it('parses github:ORG and gitlab:GROUP, and rejects anything else', () => {
    expect(parseTargetSpec('github:acme')).toEqual({ platform: 'github', name: 'acme' });
    expect(parseTargetSpec('gitlab:acme/platform/')).toEqual({ platform: 'gitlab', name: 'acme/platform' });
    expect(() => parseTargetSpec('acme')).toThrow(/use github:ORG or gitlab:GROUP/);
    expect(() => parseTargetSpec('gitlab:a/../b')).toThrow(/not a valid GitLab group path/);
    expect(() => parseTargetSpec('github:a/b')).toThrow(/not a valid GitHub organisation/);
  });
});
