/**
 * Issue 8 item 2 across the whole CLI: real-format secrets (GitHub PAT, AWS key pair, Slack bot
 * token, a hardcoded password in env:, a PEM private key) in workflows, a YAML-broken workflow,
 * plain files and job logs, run through every command and every format. No output — stdout,
 * stderr or a file written with -o / --html — may hold a secret, as is or base64/hex/URL encoded.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAsync as cli } from '../helpers.js';
import { AWS_KEY_ID, AWS_SECRET, commitAll, GH_PAT, initRepo, leaks, SLACK_BOT, tempDir, write } from '../secrets/fixtures.js';

const join2 = (...parts: string[]): string => parts.join('');
/** A password with no token shape: found only by where it sits (env: DB_PASSWORD). */
const ENV_PASSWORD = join2('Qm7!vz', 'Lp2#Rw9', 'xKc4Tn');
/** A fresh RSA key (PKCS#8 PEM), made here so no key sits in the repository. */
const PEM = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const PEM_LINES = PEM.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));

const TOKENS = [GH_PAT, AWS_KEY_ID, AWS_SECRET, SLACK_BOT, ENV_PASSWORD];

/** Every leaked form of the tokens, and any 16 characters of a line of the key's body. */
function leaked(text: string): string[] {
  const found = leaks(text, TOKENS);
  for (const line of PEM_LINES) {
    for (let i = 0; i + 16 <= line.length; i += 8) if (text.includes(line.slice(i, i + 16))) found.push(`PEM body …${line.slice(i, i + 16)}…`);
    const b64 = Buffer.from(line).toString('base64').slice(0, 20);
    if (text.includes(b64)) found.push(`PEM body in base64 ${b64}`);
  }
  return found;
}

const indent = (text: string, pad: string): string => text.trimEnd().split('\n').map((l) => pad + l).join('\n');

function repo(): string {
  const dir = tempDir('pw-nosecret-');
  initRepo(dir);
  write(
    dir,
    '.github/workflows/ci.yml',
    [
      'on: issues',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    env:',
      `      GH_TOKEN: ${GH_PAT}`,
      `      AWS_ACCESS_KEY_ID: ${AWS_KEY_ID}`,
      `      AWS_SECRET_ACCESS_KEY: ${AWS_SECRET}`,
      `      SLACK_TOKEN: ${SLACK_BOT}`,
      `      DB_PASSWORD: ${ENV_PASSWORD}`,
      '      DEPLOY_KEY: |',
      indent(PEM, '        '),
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: |',
      '          echo "${{ github.event.issue.title }}"',
      `          curl -H "Authorization: token ${GH_PAT}" https://api.github.com`,
      '',
    ].join('\n'),
  );
  // Broken YAML (text after a quoted scalar) on a token's line: the syntax-error frame shows it.
  write(dir, '.github/workflows/broken.yml', `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      SLACK: ${SLACK_BOT}\n      GH: "${GH_PAT}" trailing\n`);
  write(dir, 'deploy/id_rsa', PEM);
  write(dir, 'app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nSLACK=${SLACK_BOT}\n`);
  write(
    dir,
    'logs/acme/widgets/1001/build.txt',
    [
      '2026-12-01T10:00:00.0000000Z ##[group]Run ./deploy.sh',
      `2026-12-01T10:00:01.0000000Z + curl -H "Authorization: token ${GH_PAT}" https://api.github.com/user`,
      `2026-12-01T10:00:02.0000000Z AWS_ACCESS_KEY_ID=${AWS_KEY_ID} AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
      `2026-12-01T10:00:03.0000000Z posting to slack with ${SLACK_BOT}`,
      ...PEM.trimEnd().split('\n').map((l, i) => `2026-12-01T10:00:${String(4 + i).padStart(2, '0')}.0000000Z ${l}`),
      '',
    ].join('\n'),
  );
  commitAll(dir, 'leaks');
  return dir;
}

const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'gitlab-sast', 'gitlab-secrets', 'html'];

describe('item 2: no command and no format prints a secret', () => {
  const dir = repo();

  it('the fixture holds what it should: every scanner finds the secrets', async () => {
    const ids = new Set<string>();
    for (const command of ['audit', 'scan']) {
      const r = await cli([command, '.', '-f', 'json', '--min-severity', 'info'], { cwd: dir });
      for (const f of JSON.parse(r.stdout).findings as Array<{ ruleId: string }>) ids.add(f.ruleId);
    }
    for (const id of ['hardcoded-credentials', 'syntax-error', 'template-injection', 'secrets/github-pat-classic', 'secrets/aws-access-key-id', 'secrets/aws-secret-access-key', 'secrets/slack-bot-token', 'secrets/generic-password', 'secrets/private-key']) expect(ids).toContain(id);
  });

  it.each(FORMATS)('audit, scan, secrets (tree, --git, --stdin) --format %s', async (format) => {
    const runs = [
      await cli(['audit', '.', '-f', format, '--min-severity', 'info'], { cwd: dir }),
      await cli(['scan', '.', '-f', format, '--min-severity', 'info'], { cwd: dir }),
      await cli(['secrets', '.', '-f', format], { cwd: dir }),
      await cli(['secrets', '--git', '-f', format], { cwd: dir }),
      await cli(['secrets', '--stdin', '-f', format], { input: readFileSync(join(dir, 'logs/acme/widgets/1001/build.txt'), 'utf8') }),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(leaked(r.stdout + r.stderr)).toEqual([]);
    }
  });

  it('the syntax-error frame of a broken workflow', async () => {
    const r = await cli(['audit', '.github/workflows/broken.yml'], { cwd: dir });
    expect(r.stdout.split('\n').filter((l) => /^ +\d+ \| /.test(l))).toEqual([`  7 |       GH: "ghp_${'*'.repeat(36)}" trailing`]);
    expect(leaked(r.stdout + r.stderr)).toEqual([]);
  });

  it('-o FILE and --json-output FILE write no secret either', async () => {
    const r = await cli(['scan', '.', '--min-severity', 'info', '-o', 'out.txt', '--sarif-output', 'out.sarif', '--json-output', 'out.json'], { cwd: dir });
    expect(r.code).toBe(1);
    for (const f of ['out.txt', 'out.sarif', 'out.json']) expect(leaked(readFileSync(join(dir, f), 'utf8'))).toEqual([]);
  });

  it('report --html from a scan report', async () => {
    const json = await cli(['scan', '.', '-f', 'json', '--min-severity', 'info'], { cwd: dir });
    const r = await cli(['report', '--html', 'report.html', '--no-history', '-'], { cwd: dir, input: json.stdout });
    expect(r.code).toBe(0);
    expect(leaked(r.stdout + r.stderr + readFileSync(join(dir, 'report.html'), 'utf8'))).toEqual([]);
  });

  it('report --html from a JSON report that holds raw secrets (another tool, an edited file) masks them, frames included', async () => {
    const foreign = {
      version: 1,
      tool: { name: 'pipewarden', version: '0.0.1' },
      findings: [
        {
          ruleId: 'template-injection',
          severity: 'high',
          confidence: 'high',
          message: `token ${GH_PAT} in a message`,
          location: { file: 'app.env', startLine: 2, startColumn: 1, endLine: 2, endColumn: 10 },
          related: [{ file: 'app.env', startLine: 1, startColumn: 1, endLine: 1, endColumn: 5, message: `see ${SLACK_BOT}` }],
          owasp: [],
          cwe: [],
          fingerprint: 'f1',
          // With its key name: a bare 40-character AWS secret cannot be told from any other string.
          properties: { value: `aws_secret_access_key = ${AWS_SECRET}` },
        },
      ],
      diagnostics: [{ level: 'warning', message: `diagnostic quoting ${AWS_KEY_ID}` }],
      summary: { total: 1, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 }, suppressed: 0 },
    };
    const r = await cli(['report', '--html', 'foreign.html', '--no-history', '-'], { cwd: dir, input: JSON.stringify(foreign) });
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'foreign.html'), 'utf8');
    expect(leaked(r.stdout + r.stderr + html)).toEqual([]);
    expect(html).toContain(`  2 | AWS_SECRET_ACCESS_KEY=wJal${'*'.repeat(AWS_SECRET.length - 4)}`);
  });

  it('fix --dry-run: the diff and its context lines', async () => {
    const r = await cli(['fix', '.', '--dry-run', '--unsafe'], { cwd: dir });
    expect(r.stdout).toContain(`           curl -H "Authorization: token ghp_${'*'.repeat(36)}" https://api.github.com\n`);
    expect(leaked(r.stdout + r.stderr)).toEqual([]);
    // A password only the audit rule knows (container credentials), in a hunk's context lines.
    const one = tempDir('pw-nosecret-fix-');
    write(
      one,
      '.github/workflows/c.yml',
      `on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      credentials:\n        username: ci\n        password: ${ENV_PASSWORD}\n    steps:\n      - run: echo "\${{ github.event.issue.title }}"\n`,
    );
    const fixed = await cli(['fix', '.', '--dry-run'], { cwd: one });
    expect(fixed.stdout).toBe(
      [
        '--- a/.github/workflows/c.yml',
        '+++ b/.github/workflows/c.yml',
        '@@ -9,4 +9,6 @@',
        '         username: ci',
        `         password: Qm7!${'*'.repeat(ENV_PASSWORD.length - 4)}`,
        '     steps:',
        '-      - run: echo "${{ github.event.issue.title }}"',
        '+      - run: echo "${ISSUE_TITLE}"',
        '+        env:',
        '+          ISSUE_TITLE: ${{ github.event.issue.title }}',
        '',
      ].join('\n'),
    );
    expect(fixed.code).toBe(0);
  });

  it.each(['text', 'json', 'sarif', 'github', 'gitlab'])('ir sweep-logs and monitor replay --logs --format %s', async (format) => {
    const runs = [
      await cli(['ir', 'sweep-logs', 'logs', '-f', format], { cwd: dir }),
      await cli(['monitor', 'replay', '--logs', 'logs', '--db', 'memory', '-f', format], { cwd: dir }),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(leaked(r.stdout + r.stderr)).toEqual([]);
    }
  });
});
