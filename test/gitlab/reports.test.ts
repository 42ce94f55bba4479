/**
 * GitLab's security reports (SAST, secret detection) and Code Quality report from one `scan`
 * run, validated against GitLab's published schemas (vendored in ./schemas with their licence),
 * and the CI/CD component (templates/pipewarden.yml) run as a GitLab job would run it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLI, cli, REPO, INJECTABLE } from '../helpers.js';
import { commitAll, git, GH_PAT, initRepo, leaks, tempDir, write } from '../secrets/fixtures.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const schemas = {
  sast: ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, 'schemas/sast-report-format.json'), 'utf8')) as object),
  secrets: ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, 'schemas/secret-detection-report-format.json'), 'utf8')) as object),
};

function errors(which: keyof typeof schemas, doc: unknown): string[] {
  const validate = schemas[which];
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

interface SecurityReport {
  version: string;
  schema: string;
  scan: Record<string, unknown>;
  vulnerabilities: Array<Record<string, unknown> & { location: Record<string, unknown> }>;
}

describe('GitLab security reports', { timeout: 300_000 }, () => {
  it('the examples repository: every finding in SAST or secret detection, both valid against the schemas', () => {
    const dir = tempDir('pw-gl-');
    const r = cli(
      ['scan', join(REPO, 'examples'), '--fail-on', 'never', '--format', 'json', '--gitlab-sast-output', join(dir, 'sast.json'), '--gitlab-secrets-output', join(dir, 'secrets.json'), '--gitlab-output', join(dir, 'cq.json')],
      { env: { SOURCE_DATE_EPOCH: '1767225600' } },
    );
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> };
    const sast = JSON.parse(readFileSync(join(dir, 'sast.json'), 'utf8')) as SecurityReport;
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as SecurityReport;
    const cq = JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8')) as unknown[];
    expect(errors('sast', sast)).toEqual([]);
    expect(errors('secrets', secrets)).toEqual([]);
    const secretCount = all.findings.filter((f) => f.ruleId.startsWith('secrets/')).length;
    expect(secretCount).toBe(6);
    expect(secrets.vulnerabilities).toHaveLength(secretCount);
    expect(sast.vulnerabilities).toHaveLength(all.findings.length - secretCount);
    expect(cq).toHaveLength(all.findings.length);
    // The secret detection schema wants a commit; a file of the work tree has none.
    expect(new Set(secrets.vulnerabilities.map((v) => JSON.stringify(v.location.commit)))).toEqual(new Set(['{"sha":"0000000"}']));
    expect(sast.scan).toEqual({
      analyzer: { id: 'pipewarden', name: 'pipewarden', url: 'https://github.com/pipewarden/pipewarden', vendor: { name: 'pipewarden' }, version: '0.1.0' },
      scanner: { id: 'pipewarden', name: 'pipewarden', url: 'https://github.com/pipewarden/pipewarden', vendor: { name: 'pipewarden' }, version: '0.1.0' },
      type: 'sast',
      start_time: '2026-01-01T00:00:00',
      end_time: '2026-01-01T00:00:00',
      status: 'success',
    });
    expect([sast.version, sast.schema]).toEqual(['15.2.1', 'https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/sast-report-format.json']);
    const injection = sast.vulnerabilities.find((v) => (v.location.file as string).endsWith('issue-triage.yml') && v.location.start_line === 16)!;
    expect(injection).toEqual({
      id: injection.id,
      name: 'Attacker-controlled expression expanded into code',
      description:
        '"github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "Log the title"; pass it through env: and read "$VAR" instead\n\n- ' +
        `${injection.description}`.split('\n- ')[1],
      severity: 'High',
      solution: injection.solution,
      identifiers: [
        { type: 'pipewarden_rule_id', name: 'pipewarden template-injection', value: 'template-injection', url: 'https://github.com/pipewarden/pipewarden/blob/main/docs/rules/template-injection.md' },
        { type: 'cwe', name: 'CWE-94', value: '94', url: 'https://cwe.mitre.org/data/definitions/94.html' },
        { type: 'cwe', name: 'CWE-78', value: '78', url: 'https://cwe.mitre.org/data/definitions/78.html' },
        { type: 'owasp_cicd', name: 'OWASP CICD-SEC-4', value: 'CICD-SEC-4' },
      ],
      location: { file: `${join(REPO, 'examples')}/.github/workflows/issue-triage.yml`.replace(`${REPO}/`, ''), start_line: 16, end_line: 16 },
    });
    expect(injection.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Byte-identical across runs with SOURCE_DATE_EPOCH (ids are derived, not random).
    const again = cli(['scan', join(REPO, 'examples'), '--fail-on', 'never', '--format', 'gitlab-sast'], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
    expect(again.stdout).toBe(readFileSync(join(dir, 'sast.json'), 'utf8'));
    // No report prints a whole secret.
    for (const text of [readFileSync(join(dir, 'secrets.json'), 'utf8'), readFileSync(join(dir, 'sast.json'), 'utf8')]) {
      expect(text).not.toMatch(/xoxb-[0-9]/);
    }
  });

  it('a commit from history, and unreadable inputs as warnings, still valid', () => {
    const repo = tempDir('pw-gl-git-');
    initRepo(repo);
    write(repo, 'app.env', `TOKEN=${GH_PAT}\n`);
    const sha = commitAll(repo, 'leak', { date: '2026-01-02T03:04:05Z', author: 'Mallory' });
    const r = cli(['secrets', '--git', '--fail-on', 'never', '--format', 'gitlab-secrets'], { cwd: repo });
    const report = JSON.parse(r.stdout) as SecurityReport;
    expect(errors('secrets', report)).toEqual([]);
    expect(report.vulnerabilities.map((v) => (v.location.commit as { sha: string }).sha)).toEqual([sha]);
    expect(leaks(r.stdout, [GH_PAT])).toEqual([]);
  });

  it('no findings: empty vulnerabilities, still valid', () => {
    const dir = tempDir('pw-gl-empty-');
    write(dir, 'README.md', 'nothing here\n');
    for (const [format, which] of [['gitlab-sast', 'sast'], ['gitlab-secrets', 'secrets']] as const) {
      const report = JSON.parse(cli(['scan', dir, '--format', format]).stdout) as SecurityReport;
      expect(report.vulnerabilities).toEqual([]);
      expect(errors(which, report)).toEqual([]);
    }
  });
});

/**
 * The component's job, as GitLab runs it: inputs interpolated (`$[[ inputs.x ]]`), variables
 * exported, before_script then script in one shell (sh -e, like the runner's), in a merge request
 * pipeline of a repository. pipewarden is this build, on PATH.
 */
function runComponentJob(repo: string, inputs: Record<string, string>, env: Record<string, string>): { code: number; out: string } {
  const docs = parseAllDocuments(readFileSync(join(REPO, 'templates/pipewarden.yml'), 'utf8'));
  const spec = docs[0]!.toJS() as { spec: { inputs: Record<string, { default?: unknown }> } };
  const values: Record<string, string> = {};
  for (const [name, def] of Object.entries(spec.spec.inputs)) values[name] = inputs[name] ?? (def.default === undefined ? '' : String(def.default));
  const jobText = docs[1]!.toString().replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_m, name: string) => values[name] ?? '');
  const job = (parseAllDocuments(jobText)[0]!.toJS() as Record<string, { variables: Record<string, string>; before_script: string[]; script: string[] }>).pipewarden;
  const bin = tempDir('pw-gl-bin-');
  writeFileSync(join(bin, 'pipewarden'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'pipewarden'), 0o755);
  const script = ['set -e', ...job.before_script, ...job.script].join('\n');
  const r = spawnSync('sh', ['-c', script], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', ...job.variables, ...env },
  });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('the GitLab CI/CD component', { timeout: 300_000 }, () => {
  function mrRepo(): { repo: string; base: string } {
    const repo = tempDir('pw-gl-mr-');
    initRepo(repo);
    write(repo, '.gitlab-ci.yml', 'job:\n  script:\n    - echo hi\n');
    write(repo, '.github/workflows/old.yml', INJECTABLE);
    const base = commitAll(repo, 'base');
    git(repo, ['checkout', '-q', '-b', 'feature']);
    write(repo, 'deploy.env', `TOKEN=${GH_PAT}\n`);
    commitAll(repo, 'leak a token');
    return { repo, base };
  }

  it('declares its inputs, and passes them to the script only through variables', () => {
    const docs = parseAllDocuments(readFileSync(join(REPO, 'templates/pipewarden.yml'), 'utf8'));
    const spec = docs[0]!.toJS() as { spec: { inputs: Record<string, unknown> } };
    expect(Object.keys(spec.spec.inputs)).toEqual(['stage', 'image', 'package', 'package-sha256', 'path', 'fail-on', 'new-only', 'args']);
    const job = docs[1]!.toString();
    const uses = [...job.matchAll(/^(\s*)(\S[^:]*):.*\$\[\[/gm)].map((m) => m[2]);
    expect(uses).toEqual(['stage', 'image', 'PW_PACKAGE', 'PW_PACKAGE_SHA256', 'PW_PATH', 'PW_FAIL_ON', 'PW_NEW_ONLY', 'PW_ARGS']);
  });

  it('in a merge request pipeline: reports hold every finding, the gate only what the merge request adds', () => {
    const { repo, base } = mrRepo();
    const job = runComponentJob(repo, { image: 'node:20' }, { CI_MERGE_REQUEST_DIFF_BASE_SHA: base, SOURCE_DATE_EPOCH: '1767225600' });
    expect(job.code).toBe(1);
    expect(job.out).toContain('deploy.env:1:7: critical[high] secrets/github-pat-classic');
    expect(job.out).not.toContain('old.yml:7');
    const sast = JSON.parse(readFileSync(join(repo, 'gl-sast-report.json'), 'utf8')) as SecurityReport;
    const secrets = JSON.parse(readFileSync(join(repo, 'gl-secret-detection-report.json'), 'utf8')) as SecurityReport;
    const cq = JSON.parse(readFileSync(join(repo, 'gl-code-quality-report.json'), 'utf8')) as Array<{ check_name: string }>;
    expect(errors('sast', sast)).toEqual([]);
    expect(errors('secrets', secrets)).toEqual([]);
    expect(sast.vulnerabilities.map((v) => v.location.file)).toEqual(['.github/workflows/old.yml']);
    expect(secrets.vulnerabilities.map((v) => v.location.file)).toEqual(['deploy.env']);
    expect(cq.map((i) => i.check_name).sort()).toEqual(['secrets/github-pat-classic', 'template-injection']);
    expect(existsSync(join(repo, 'pipewarden.json'))).toBe(true);
  });

  it('outside a merge request the gate sees everything; new-only: false and fail-on are honoured', () => {
    const { repo, base } = mrRepo();
    const branch = runComponentJob(repo, { image: 'node:20' }, {});
    expect(branch.code).toBe(1);
    expect(branch.out).toContain('old.yml:7');
    const off = runComponentJob(repo, { image: 'node:20', 'new-only': 'false' }, { CI_MERGE_REQUEST_DIFF_BASE_SHA: base });
    expect(off.out).toContain('old.yml:7');
    const never = runComponentJob(repo, { image: 'node:20', 'fail-on': 'never', args: '--min-confidence high' }, {});
    expect(never.code).toBe(0);
    const sub = tempDir('pw-gl-sub-');
    cpSync(repo, sub, { recursive: true });
    const path = runComponentJob(sub, { image: 'node:20', path: '.github' }, {});
    expect(path.out).not.toContain('deploy.env');
  });

  it('refuses a package download without a checksum, or with a wrong one, before installing anything', () => {
    const { repo } = mrRepo();
    const tarball = join(tempDir('pw-gl-pkg-'), 'pipewarden.tgz');
    writeFileSync(tarball, 'not really a tarball');
    const none = runComponentJob(repo, { image: 'node:20', package: `file://${tarball}` }, {});
    expect(none.code).toBe(2);
    expect(none.out).toContain("pipewarden: set the package-sha256 input to the tarball's checksum");
    const wrong = runComponentJob(repo, { image: 'node:20', package: `file://${tarball}`, 'package-sha256': '0'.repeat(64) }, {});
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/FAILED/);
    expect(wrong.out).not.toContain('added');
  });
});
