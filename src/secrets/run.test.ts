import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PipewardenConfig } from '../config/types.js';
import { runSecretsScan, type SecretsRunOptions } from './run.js';
import { commitAll, git, GH_PAT, GH_PAT_2, GH_PAT_3, initRepo, leaks, tempDir, write } from '../../test/secrets/fixtures.js';

const base: Omit<SecretsRunOptions, 'path' | 'mode'> = { ignore: true, maxFileSize: 10 * 1024 * 1024, verify: false };
const scan = (path: string, extra: Partial<SecretsRunOptions> = {}, config: PipewardenConfig = DEFAULT_CONFIG) =>
  runSecretsScan(config, { ...base, mode: 'tree', path, ...extra });
const brief = (r: Awaited<ReturnType<typeof scan>>) => r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId}`);
const isGithub = (id: string) => id.startsWith('secrets/github');

describe('directory source', () => {
  it('honours .gitignore unless ignore is off, and skips default ignores', async () => {
    const root = tempDir();
    write(root, '.gitignore', 'ignored.txt\n');
    write(root, 'ignored.txt', `token = ${GH_PAT}\n`);
    write(root, 'kept.txt', `\n\ntoken = ${GH_PAT_2}\n`);
    write(root, 'node_modules/pkg/index.js', `const t = "${GH_PAT_3}";\n`);
    write(root, 'dist/app.js.map', `{"sourcesContent":["var t='${GH_PAT_3}';"]}\n`);
    const r = await scan(root);
    expect(r.findings.map((f) => [f.location.file, f.location.startLine, f.location.startColumn])).toEqual([['kept.txt', 3, 9]]);
    expect(isGithub(r.findings[0]!.ruleId)).toBe(true);
    const all = await scan(root, { ignore: false });
    expect(all.findings.map((f) => f.location.file).sort()).toEqual(['dist/app.js.map', 'ignored.txt', 'kept.txt', 'node_modules/pkg/index.js']);
  });

  it('reads minified and bundled JavaScript by default (a build inlines keys there), not in vendored directories', async () => {
    const root = tempDir();
    write(root, 'dist/app.min.js', `var t="${GH_PAT}";\n`);
    write(root, 'public/main.bundle.js', `!function(){e.k="${GH_PAT_2}"}();\n`);
    write(root, 'vendor/lib.min.js', `var t="${GH_PAT_3}";\n`);
    write(root, 'dist/app.min.css', `.a{background:url("https://x.test/?t=${GH_PAT_3}")}\n`);
    expect(brief(await scan(root)).map((b) => b.replace(/ .*/, ''))).toEqual(['dist/app.min.js:1:8', 'public/main.bundle.js:1:18']);
  });

  it('does not follow symlinks (loops, or out of the tree) and notes them', async () => {
    const outside = tempDir('pw-outside-');
    write(outside, 'secret.txt', `token = ${GH_PAT}\n`);
    const root = tempDir();
    write(root, 'a/file.txt', 'nothing here\n');
    symlinkSync(root, join(root, 'a/loop'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(outside, join(root, 'outdir'));
    const r = await scan(root);
    expect(r.findings).toEqual([]);
    expect(r.diagnostics.filter((d) => /symbolic link/.test(d.message)).map((d) => d.file).sort()).toEqual(['a/loop', 'escape.txt', 'outdir']);
  });

  it('skips binary and oversize files with a note', async () => {
    const root = tempDir();
    write(root, 'bin.dat', Buffer.concat([Buffer.from([0x89, 0x50, 0, 1]), Buffer.from(`token = ${GH_PAT}\n`)]));
    write(root, 'big.txt', `token = ${GH_PAT}\n` + 'x'.repeat(5000));
    write(root, 'small.txt', `token = ${GH_PAT_2}\n`);
    const r = await scan(root, { maxFileSize: 1000 });
    expect(r.findings.map((f) => f.location.file)).toEqual(['small.txt']);
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'note', file: 'bin.dat', message: expect.stringMatching(/binary/) }),
        expect.objectContaining({ level: 'note', file: 'big.txt', message: expect.stringMatching(/over the 1000 B limit/) }),
      ]),
    );
  });

  it('secrets.paths-ignore, secrets.allow and custom detectors', async () => {
    const root = tempDir();
    write(root, 'fixtures/a.txt', `token = ${GH_PAT}\n`);
    write(root, 'src/b.txt', `token = ${GH_PAT_2}\nallowed = ${GH_PAT_3}\ninternal = ACME-0123456789abcdef\n`);
    const config: PipewardenConfig = {
      ...DEFAULT_CONFIG,
      secrets: {
        'paths-ignore': ['fixtures/**'],
        allow: [GH_PAT_3.slice(0, 12)],
        detectors: [{ id: 'acme-internal', regex: 'ACME-[0-9a-f]{16}', keywords: ['acme-'], severity: 'medium' }],
      },
    };
    const r = await scan(root, {}, config);
    expect(r.findings.map((f) => [f.location.file, f.location.startLine, f.ruleId.startsWith('secrets/github') ? 'github' : f.ruleId, f.severity])).toEqual([
      ['src/b.txt', 1, 'github', expect.any(String)],
      ['src/b.txt', 3, 'secrets/acme-internal', 'medium'],
    ]);
    expect(r.rules.some((m) => m.id === 'secrets/acme-internal')).toBe(true);
  });

  it('scans a single file given as the path', async () => {
    const root = tempDir();
    const file = write(root, 'deploy/.env', `\nDB_URL=https://app:Zq8xP2vLm9wK@db.corp.net/app\n`);
    const r = await scan(file);
    expect(brief(r)).toEqual(['.env:2:20 secrets/url-credentials']);
    expect(r.root).toBe(join(root, 'deploy'));
  });
});

describe('findings never carry the secret', () => {
  it('message masks, fingerprint hashes, redacted source hides it', async () => {
    const root = tempDir();
    write(root, 'app.py', `# config\nGITHUB_TOKEN = "${GH_PAT}"  # pipewarden:allow? no\n`);
    const r = await scan(root);
    const [f] = r.findings;
    expect(f).toBeDefined();
    expect(f!.message).toMatch(/ghp_\*{8} found$/);
    expect(f!.owasp).toEqual(['CICD-SEC-6']);
    expect(f!.cwe).toEqual(['CWE-798']);
    expect(f!.properties).toMatchObject({ formatCheck: 'passed' });
    expect(leaks(JSON.stringify(r.findings), [GH_PAT])).toEqual([]);
    const src = r.sourceOf('app.py')!;
    expect(leaks(src, [GH_PAT])).toEqual([]);
    expect(src.split('\n')[1]).toMatch(/^GITHUB_TOKEN = "ghp_\*+"/);
    // Same secret, same file: same identity wherever it moves.
    write(root, 'app.py', `\n\n\nGITHUB_TOKEN = "${GH_PAT}"\n`);
    expect((await scan(root)).findings[0]!.fingerprint).toBe(f!.fingerprint);
  });
});

describe('decoding', () => {
  const depth = (s: string, n: number): string => (n === 0 ? s : depth(Buffer.from(s).toString('base64'), n - 1));

  it('finds secrets in base64, nested base64 (depth 2), hex and percent-encoding, at the blob position', async () => {
    const root = tempDir();
    write(root, 'k8s.yaml', ['kind: Secret', 'data:', `  token: ${depth(`GH=${GH_PAT}`, 1)}`, `  nested: ${depth(`GH=${GH_PAT_2}`, 2)}`, `  deep: ${depth(`GH=${GH_PAT_3}`, 3)}`].join('\n'));
    write(root, 'hex.txt', `x = ${Buffer.from(`token=${GH_PAT}`).toString('hex')}\n`);
    write(root, 'pct.txt', `https://ci.example/cb?state=${encodeURIComponent(`{"token":"${GH_PAT}"}`)}\n`);
    const r = await scan(root);
    const rows = r.findings.map((f) => [f.location.file, f.location.startLine, f.location.startColumn, f.properties?.encoding]);
    expect(rows).toEqual([
      ['hex.txt', 1, 5, 'hex'],
      ['k8s.yaml', 3, 10, 'base64'],
      ['k8s.yaml', 4, 11, 'base64>base64'],
      // Past the decode depth the token is not seen, but a Secret's data value that decodes to
      // random text is still a Kubernetes Secret value (secrets/kubernetes-secret, unencoded).
      ['k8s.yaml', 5, 9, undefined],
      ['pct.txt', 1, 1, 'percent'], // the token touches `%22`, so only the decoded text shows it
    ]);
    expect(r.findings[1]!.message).toMatch(/found \(inside base64\)$/);
  });

  it('docker config auth holding a GitHub token reports the token once', async () => {
    const root = tempDir();
    const auth = Buffer.from(`bot:${GH_PAT}`).toString('base64');
    write(root, '.docker/config.json', JSON.stringify({ auths: { 'ghcr.io': { auth } } }, null, 2));
    const r = await scan(root);
    expect(r.findings.length).toBe(1);
    expect(isGithub(r.findings[0]!.ruleId)).toBe(true);
  });

  it('a PEM key inside a JSON string (service account file) and a kubeconfig client key', async () => {
    const { Fake, Rng } = await import('./detectors/fake.js');
    const f = new Fake(new Rng(7));
    const root = tempDir();
    write(root, 'sa.json', f.gcpServiceAccount().json);
    const pem = f.pem('rsa');
    write(root, 'kube/config', ['apiVersion: v1', 'kind: Config', 'clusters: []', 'users:', '- name: admin', '  user:', `    client-key-data: ${Buffer.from(pem).toString('base64')}`].join('\n'));
    const r = await scan(root);
    const ids = r.findings.map((x) => `${x.location.file}:${x.location.startLine} ${x.ruleId}`);
    expect(ids).toContain('kube/config:7 secrets/kubeconfig-client-key');
    expect(ids.some((x) => x.startsWith('sa.json:') && /private-key|gcp/.test(x))).toBe(true);
    for (const x of r.findings) expect(x.message).not.toContain('MII');
  });

  it('docker config auth with a plain password is docker-config-auth', async () => {
    const root = tempDir();
    const auth = Buffer.from('deploy:Vq8Lk2Xz0Wp7Rt5Y').toString('base64');
    write(root, 'config.json', JSON.stringify({ auths: { 'registry.corp': { auth } } }));
    expect(brief(await scan(root))).toEqual(['config.json:1:36 secrets/docker-config-auth']);
  });
});

describe('git history source', () => {
  function makeRepo(): { dir: string; c1: string; c2: string; c3: string } {
    const dir = tempDir('pw-git-');
    initRepo(dir);
    write(dir, 'README.md', 'hello\n');
    write(dir, 'config.py', `import os\n\nTOKEN = "${GH_PAT}"\n`);
    const c1 = commitAll(dir, 'add config', { author: 'Alice Leaker', email: 'alice@example.com', date: '2024-01-02T03:04:05Z' });
    write(dir, 'config.py', `import os\n\nTOKEN = os.environ["TOKEN"]\n`);
    const c2 = commitAll(dir, 'remove token', { author: 'Bob Fixer', email: 'bob@example.com', date: '2024-01-03T00:00:00Z' });
    write(dir, 'deploy/.npmrc', `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=Xk82Lq0Pz7Wv3Nc5Rt1Ym9Hb\n`);
    const c3 = commitAll(dir, 'npmrc', { author: 'Carol', email: 'carol@example.com', date: '2024-01-04T00:00:00Z' });
    return { dir, c1, c2, c3 };
  }

  it('finds a secret that was removed later, with commit, author, email, date, file and line', async () => {
    const { dir, c1, c3 } = makeRepo();
    const r = await scan(dir, { mode: 'git' });
    const gh = r.findings.find((f) => isGithub(f.ruleId));
    expect(gh?.location).toMatchObject({ file: 'config.py', startLine: 3, startColumn: 10 });
    expect(gh?.properties).toMatchObject({ commit: c1, author: 'Alice Leaker', email: 'alice@example.com', date: '2024-01-02T03:04:05+00:00' });
    const npmrc = r.findings.find((f) => f.ruleId === 'secrets/npmrc-auth');
    expect(npmrc?.location).toMatchObject({ file: 'deploy/.npmrc', startLine: 2 });
    expect(npmrc?.properties?.commit).toBe(c3);
    expect(r.root).toBe(git(dir, ['rev-parse', '--show-toplevel']).trim());
    // Code frames and allow comments work from the added lines, redacted.
    expect(r.sourceOf('config.py')!.split('\n')[2]).toMatch(/^TOKEN = "ghp_\*+"$/);
  });

  it('scans every ref, reports one finding per secret and file (the oldest commit)', async () => {
    const { dir } = makeRepo();
    git(dir, ['checkout', '-q', '-b', 'side']);
    write(dir, 'side.txt', `a\n${GH_PAT_2}\n`);
    const side1 = commitAll(dir, 'side 1', { date: '2024-02-01T00:00:00Z' });
    write(dir, 'side.txt', `b\n${GH_PAT_2}\nc\n`);
    commitAll(dir, 'side 2', { date: '2024-02-02T00:00:00Z' });
    git(dir, ['checkout', '-q', 'main']);
    const r = await scan(dir, { mode: 'git' });
    const side = r.findings.filter((f) => f.location.file === 'side.txt');
    expect(side.length).toBe(1);
    expect(side[0]!.properties?.commit).toBe(side1);
  });

  it('--since REV scans only commits not reachable from REV, on every ref', async () => {
    const { dir, c1, c2 } = makeRepo();
    const r = await scan(dir, { mode: 'git', since: c2 });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['secrets/npmrc-auth']);
    const all = await scan(dir, { mode: 'git', since: c1 });
    expect(all.findings.some((f) => isGithub(f.ruleId))).toBe(false);
    await expect(scan(dir, { mode: 'git', since: 'no-such-rev' })).rejects.toThrow(/not a commit/);
    await expect(scan(dir, { mode: 'git', since: '--output=/tmp/x' })).rejects.toThrow(/not a commit/);
  });

  it('scans a bare mirror', async () => {
    const { dir, c1 } = makeRepo();
    const bare = tempDir('pw-bare-');
    git(bare, ['clone', '-q', '--mirror', dir, '.']);
    const r = await scan(bare, { mode: 'git' });
    expect(r.findings.find((f) => isGithub(f.ruleId))?.properties?.commit).toBe(c1);
    await expect(scan(bare, { mode: 'staged' })).rejects.toThrow(/not a git repository/);
  });

  it('a directory that is not a repository is a clear error', async () => {
    await expect(scan(tempDir('pw-norepo-'), { mode: 'git' })).rejects.toThrow(/is not a git repository/);
  });

  it('ignores repository config that would run programs (textconv, external diff, fsmonitor)', async () => {
    const { dir } = makeRepo();
    write(dir, '.gitattributes', '*.py diff=evil\n');
    commitAll(dir, 'attrs');
    write(dir, 'staged.py', `TOKEN = "${GH_PAT_2}"\n`);
    git(dir, ['add', 'staged.py']);
    // Configured only now: the test's own git commands above must not trip it.
    const marker = join(dir, 'pwned');
    for (const key of ['diff.evil.textconv', 'diff.evil.command', 'diff.external', 'core.fsmonitor', 'core.pager', 'gpg.program']) {
      git(dir, ['config', key, `sh -c 'touch ${marker}; cat'`]);
    }
    git(dir, ['config', 'log.showSignature', 'true']);
    const r = await scan(dir, { mode: 'git' });
    expect(r.findings.filter((f) => isGithub(f.ruleId)).map((f) => f.location.file)).toEqual(['config.py']);
    const staged = await scan(dir, { mode: 'staged' });
    expect(staged.findings.map((f) => f.location.file)).toEqual(['staged.py']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('staged source', () => {
  it('scans only staged added lines, with new-file line numbers', async () => {
    const dir = tempDir('pw-staged-');
    initRepo(dir);
    write(dir, 'app.txt', 'one\ntwo\nthree\nfour\n');
    commitAll(dir, 'init');
    write(dir, 'app.txt', `one\ntwo\ntoken=${GH_PAT}\nthree\nfour\n`);
    write(dir, 'new.txt', `x\ny\nz\ntoken=${GH_PAT_2}\n`);
    write(dir, 'unstaged.txt', `token=${GH_PAT_3}\n`);
    git(dir, ['add', 'app.txt', 'new.txt']);
    const r = await scan(dir, { mode: 'staged' });
    expect(r.findings.map((f) => [f.location.file, f.location.startLine, f.location.startColumn])).toEqual([
      ['app.txt', 3, 7],
      ['new.txt', 4, 7],
    ]);
    expect(r.findings[0]!.properties?.commit).toBeUndefined();
  });

  it('works in a repository without commits', async () => {
    const dir = tempDir('pw-staged-');
    initRepo(dir);
    write(dir, 'a.txt', `token=${GH_PAT}\n`);
    git(dir, ['add', 'a.txt']);
    const r = await scan(dir, { mode: 'staged' });
    expect(r.findings.length).toBe(1);
  });
});

describe('stdin source', () => {
  it('strips GitHub timestamps, keeps line numbers, ignores *** masks', async () => {
    const log = [
      '2024-01-01T00:00:00.0000000Z ##[group]Run deploy',
      '2024-01-01T00:00:00.1000000Z \x1b[36;1mecho "token: ***"\x1b[0m',
      '2024-01-01T00:00:00.2000000Z password=***',
      '2024-01-01T00:00:00.3000000Z remote: https://x-access-token:***@github.com/o/r.git',
      `2024-01-01T00:00:00.4000000Z leaked ${GH_PAT} oops`,
    ].join('\n');
    const r = await scan('.', { mode: 'stdin', stdin: Readable.from([Buffer.from(log)]) });
    expect(r.findings.map((f) => [f.location.file, f.location.startLine, f.location.startColumn])).toEqual([['<stdin>', 5, 8]]);
    expect(r.sourceOf('<stdin>')!.split('\n')[4]).toMatch(/^leaked ghp_\*+ oops$/);
  });

  it('GitLab section markers and colour codes inside a token do not hide it', async () => {
    const mid = 10;
    const log = `section_start:1700000000:script\r\x1b[0K\x1b[32;1m$ deploy\x1b[0;m\nTOKEN=${GH_PAT.slice(0, mid)}\x1b[0m${GH_PAT.slice(mid)}\nsection_end:1700000001:script\r\x1b[0K\n`;
    const r = await scan('.', { mode: 'stdin', stdin: Readable.from([Buffer.from(log)]) });
    expect(r.findings.map((f) => f.location.startLine)).toEqual([2]);
  });
});

describe('verification wiring', () => {
  it('marks findings unknown when no provider can check them', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'x'));
    writeFileSync(join(root, 'x/.env'), 'DB_PASSWORD=Vq8Lk2Xz0Wp7Rt5Y\n');
    const r = await scan(root, { verify: true });
    expect(r.findings[0]?.properties).toMatchObject({ verified: 'unknown' });
  });

  it('hands the host found next to a Scalr token to its verifier (issue 11), and nothing else goes out', async () => {
    const root = tempDir();
    const jwt = ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify({ sub: 'user-9q2w7e', iss: 'scalr' })).toString('base64url'), 'bm90LWEtcmVhbC1zaWduYXR1cmUtYXQtYWxs'].join('.');
    writeFileSync(join(root, 'cli.tfrc'), `credentials "acme-prod.scalr.io" {\n  token = "${jwt}"\n}\n`);
    const asked: string[] = [];
    const http = async (url: string) => {
      asked.push(url);
      return { status: 200, json: async () => ({}) };
    };
    const r = await scan(root, { verify: true, verifyOptions: { env: {}, http } });
    expect(asked).toEqual(['https://acme-prod.scalr.io/api/iacp/v3/environments?page%5Bsize%5D=1']);
    expect(r.findings.map((f) => [f.ruleId, f.properties?.verified, f.properties?.verifier, f.severity])).toEqual([['secrets/scalr-cli-credentials', 'live', 'scalr', 'critical']]);
  });
});
