import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
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
      'test/deps/repo/go.mod:5 medium syntax-error: go.mod: "require (" block is never closed; its dependencies were not checked',
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
      'test/deps/ci-repo/.github/workflows/release.yml:1 low no-update-tool',
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

  it('usage errors exit 2', () => {
    expect(cli(['deps', 'db', 'import', 'no/such/path', '--data', data]).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-none-'));
    const info = cli(['deps', 'db', 'info', '--data', empty]);
    expect(info.code).toBe(2);
    expect(info.stderr).toMatch(/^error: no advisory database at /);
    rmSync(empty, { recursive: true });
  });
});
