import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cli, tree } from '../helpers.js';
import { makeZip } from './zip.js';

const OSV = 'test/deps/osv';
let data: string;

beforeAll(() => {
  data = mkdtempSync(join(tmpdir(), 'pw-deps-data-'));
  const r = cli(['deps', 'db', 'import', OSV, '--data', data]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('test/deps/osv: 6 records (npm 4, PyPI 2); 6 written, 0 unchanged\n');
});

afterAll(() => rmSync(data, { recursive: true, force: true }));

function findings(args: string[]): { code: number; rows: string[]; stderr: string } {
  const r = cli(['deps', ...args, '--data', data, '--format', 'json']);
  const json = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; severity: string; location: { file: string; startLine: number }; message: string }> };
  return { code: r.code, rows: json.findings.map((f) => `${f.location.file}:${f.location.startLine} ${f.severity} ${f.ruleId}: ${f.message}`), stderr: r.stderr };
}

describe('pipewarden deps (offline database)', () => {
  it('reports vulnerable and malicious packages at their lockfile lines; a malformed file is an error, the rest is scanned', () => {
    const r = findings(['test/deps/repo']);
    expect(r.rows).toEqual([
      'test/deps/repo/go.mod:5 high syntax-error: go.mod: "require (" block is never closed; its dependencies were not checked',
      'test/deps/repo/package-lock.json:1 low no-update-tool: no Dependabot or Renovate configuration: nothing proposes updates for npm (test/deps/repo/package-lock.json), pip (test/deps/repo/requirements.txt); add .github/dependabot.yml (or a Renovate config)',
      'test/deps/repo/package-lock.json:7 high vulnerable-dependency: lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337) [high 7.2]: Command Injection in lodash; fixed in 4.17.21; upgrade to 4.17.21',
      'test/deps/repo/package-lock.json:8 critical vulnerable-dependency: minimist 1.2.5 is affected by GHSA-xvch-5gv4-984h (CVE-2021-44906) [critical 9.8]: Prototype Pollution in minimist; fixed in 0.2.4, 1.2.6; upgrade to 1.2.6 (development dependency)',
      'test/deps/repo/package-lock.json:9 critical malicious-dependency: eslint-config-prettier 10.1.7 is a malicious release (Phished maintainer token: eslint-config-prettier and eslint-plugin-prettier releases dropped a Windows DLL (CVE-2025-54313), published 2025-07-18; https://github.com/prettier/eslint-config-prettier/issues/339; MAL-2025-6022): remove it, reinstall from a clean lockfile and rotate every credential the machines that installed it could read',
      'test/deps/repo/package-lock.json:10 critical malicious-dependency: chalk 5.6.1 is a malicious release (Phished maintainer account: chalk, debug and related packages shipped a browser crypto-wallet hijacker, published 2025-09-08; https://github.com/chalk/chalk/issues/656): remove it, reinstall from a clean lockfile and rotate every credential the machines that installed it could read',
      'test/deps/repo/requirements.txt:1 medium vulnerable-dependency: requests 2.28.0 is affected by GHSA-j8r2-6x86-q33q (PYSEC-2023-74, CVE-2023-32681) [medium 6.1]: Unintended leak of Proxy-Authorization header in requests; fixed in 2.31.0; upgrade to 2.31.0',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('test/deps/repo/go.mod:5:1: error: go.mod: "require (" block is never closed; its dependencies were not checked\n');
  });

  it('SARIF carries package, version, advisory, aliases, severity and fixes as properties', () => {
    const r = cli(['deps', 'test/deps/repo', '--data', data, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const lodash = sarif.runs[0].results.find((x: { properties?: { package?: string } }) => x.properties?.package === 'lodash');
    expect(lodash.properties).toMatchObject({ ecosystem: 'npm', package: 'lodash', version: '4.17.20', advisory: 'GHSA-35jh-r3h4-6jhm', aliases: 'CVE-2021-23337', advisorySeverity: 'high', cvssScore: 7.2, fixedVersions: '4.17.21', smallestFix: '4.17.21' });
  });

  it('without a database: says vulnerabilities were not checked, still flags shipped malicious releases', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-empty-'));
    const r = cli(['deps', 'test/deps/repo', '--data', empty, '--format', 'json', '--quiet']);
    expect(r.stderr).toContain(`error: no advisory database at ${join(empty, 'advisories.sqlite')}`);
    expect(r.stderr).toContain('Known-vulnerable versions were NOT checked');
    const ids = (JSON.parse(r.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId);
    expect(ids).toEqual(['syntax-error', 'no-update-tool', 'malicious-dependency', 'malicious-dependency']);
    expect(readdirSync(empty)).toEqual([]);
    rmSync(empty, { recursive: true });
  });

  it('imports an OSV export zip by streaming it; re-import of older records leaves newer ones; info shows sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-deps-zip-'));
    const zipPath = join(dir, 'npm-all.zip');
    const files = ['GHSA-35jh-r3h4-6jhm.json', 'MAL-2025-6022.json'];
    writeFileSync(zipPath, makeZip([...files.map((f) => ({ name: f, data: readFileSync(join(OSV, f)) })), { name: 'broken.json', data: '{"id": 1}' }]));
    const r = cli(['deps', 'db', 'import', zipPath, '--data', dir]);
    expect(r.stdout).toBe(`${zipPath}: 2 records (npm 2); 2 written, 0 unchanged, 1 rejected\n`);
    expect(r.stderr).toBe(`${zipPath}: broken.json: warning: OSV record without an "id"\n`);
    const again = cli(['deps', 'db', 'import', zipPath, '--data', dir]);
    expect(again.stdout).toBe(`${zipPath}: 2 records (npm 2); 0 written, 2 unchanged, 1 rejected\n`);
    const info = JSON.parse(cli(['deps', 'db', 'info', '--data', dir, '--format', 'json']).stdout);
    expect(info).toMatchObject({ advisories: 2, malicious: 1, withdrawn: 0, byEcosystem: { npm: 2 } });
    expect(info.sources).toEqual([expect.objectContaining({ name: 'npm-all.zip', records: 2, newestModified: '2025-07-21T06:24:05Z', ecosystems: { npm: 2 } })]);
    rmSync(dir, { recursive: true });
  });

  it('CI links, actions, images, installs and update tools across platforms (test/deps/ci-repo)', () => {
    const r = findings(['test/deps/ci-repo']);
    expect(r.rows.map((x) => x.replace(/: .*$/, ''))).toEqual([
      'test/deps/ci-repo/.github/workflows/release.yml:10 medium outdated-image',
      'test/deps/ci-repo/.github/workflows/release.yml:15 medium unlocked-install',
      'test/deps/ci-repo/.github/workflows/release.yml:16 medium unlocked-install',
      'test/deps/ci-repo/.github/workflows/release.yml:23 medium outdated-action',
      'test/deps/ci-repo/.github/workflows/release.yml:24 medium outdated-action',
      'test/deps/ci-repo/.github/workflows/release.yml:27 high install-scripts-in-privileged-job',
      'test/deps/ci-repo/.github/workflows/release.yml:27 medium unlocked-install',
      'test/deps/ci-repo/.gitlab-ci.yml:2 medium outdated-image',
      'test/deps/ci-repo/.gitlab-ci.yml:2 medium outdated-image',
      'test/deps/ci-repo/.gitlab-ci.yml:4 medium unlocked-install',
      'test/deps/ci-repo/Dockerfile:1 low no-update-tool',
      'test/deps/ci-repo/Dockerfile:2 medium outdated-image',
      'test/deps/ci-repo/Dockerfile:5 medium outdated-image',
      'test/deps/ci-repo/package-lock.json:7 critical vulnerable-dependency',
    ]);
    expect(r.rows.at(-1)).toBe(
      'test/deps/ci-repo/package-lock.json:7 critical vulnerable-dependency: lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337) [high 7.2]: Command Injection in lodash; fixed in 4.17.21; upgrade to 4.17.21; installed by job "publish" in test/deps/ci-repo/.github/workflows/release.yml, which holds NPM_TOKEN, id-token: write, GITHUB_TOKEN (contents: write)',
    );
  });

  it('`rules` lists the deps checks and prints their docs', () => {
    const list = cli(['rules']).stdout;
    for (const id of ['vulnerable-dependency', 'malicious-dependency', 'outdated-action', 'outdated-image', 'unlocked-install', 'install-scripts-in-privileged-job', 'no-update-tool']) expect(list).toMatch(new RegExp(`^${id} .* deps `, 'm'));
    expect(cli(['rules', 'unlocked-install']).stdout).toMatch(/^# unlocked-install\n/);
  });

  it('deps.ignore: by advisory id or alias and package, with reason; an expired entry warns and no longer applies', () => {
    const lock = readFileSync('test/deps/repo/package-lock.json', 'utf8');
    const root = tree({
      'package-lock.json': lock,
      'pipewarden.yml': 'deps:\n  ignore:\n    - advisory: CVE-2021-23337\n      package: lodash\n      reason: template() never sees user input\n    - advisory: GHSA-xvch-5gv4-984h\n      reason: dev only\n      expires: 2024-01-31\n',
    });
    const r = cli(['deps', '.', '--data', data, '--format', 'json'], { cwd: root });
    const ids = (JSON.parse(r.stdout).findings as Array<{ ruleId: string; properties?: { package?: string } }>).map((f) => `${f.ruleId}:${f.properties?.package ?? ''}`);
    expect(ids).toEqual(['no-update-tool:', 'vulnerable-dependency:minimist', 'malicious-dependency:eslint-config-prettier', 'malicious-dependency:chalk']);
    expect(r.stderr).toBe(`${join(root, 'pipewarden.yml')}:6:7: warning: deps.ignore entry 2 (advisory GHSA-xvch-5gv4-984h) expired on 2024-01-31 and no longer applies\n`);
    rmSync(root, { recursive: true });
  });

  it('--new-only BASE: only what the change introduces (the base is read with git plumbing and scanned with the same database)', () => {
    const root = tree({ 'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.20"}}}\n', 'renovate.json': '{}' });
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'base');
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {\n  "node_modules/lodash": {"version": "4.17.20"},\n  "node_modules/minimist": {"version": "1.2.5"}\n}}\n');
    const r = cli(['deps', '.', '--data', data, '--format', 'json', '--new-only', 'main'], { cwd: root });
    expect((JSON.parse(r.stdout).findings as Array<{ message: string }>).map((f) => f.message.split(' is ')[0])).toEqual(['minimist 1.2.5']);
    expect(r.code).toBe(1);
    rmSync(root, { recursive: true });
  });

  it('scan includes deps (and only warns when there is no database)', () => {
    const root = tree({ 'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/chalk": {"version": "5.6.1"}}}\n', 'renovate.json': '{}' });
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-empty-'));
    const r = cli(['scan', '.', '--data', empty, '--format', 'json'], { cwd: root });
    expect((JSON.parse(r.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId)).toEqual(['malicious-dependency']);
    expect(r.stderr).toContain('warning: no advisory database at');
    expect(r.code).toBe(1);
    const withDb = cli(['scan', '.', '--data', data, '--format', 'json'], { cwd: root });
    expect(withDb.stderr).toBe('');
    rmSync(root, { recursive: true });
    rmSync(empty, { recursive: true });
  });

  it('deps without a database fails closed (exit 2) unless --no-advisories', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-empty-'));
    expect(cli(['deps', 'test/deps/ci-repo', '--data', empty, '--format', 'json', '--fail-on', 'never']).code).toBe(2);
    expect(cli(['deps', 'test/deps/ci-repo', '--data', empty, '--format', 'json', '--fail-on', 'never', '--no-advisories']).code).toBe(0);
    rmSync(empty, { recursive: true });
  });

  it('usage errors exit 2', () => {
    expect(cli(['deps', 'db', 'import', 'no/such/path', '--data', data]).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-none-'));
    const info = cli(['deps', 'db', 'info', '--data', empty]);
    expect(info.code).toBe(2);
    expect(info.stderr).toMatch(/^error: no advisory database at /);
    rmSync(empty, { recursive: true });
  });
});
