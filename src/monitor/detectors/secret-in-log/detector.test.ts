import { describe, expect, it } from 'vitest';
import { jobLog, logLine, simple } from '../../simulate/payloads.js';
import { githubStyleToken, prng } from '../../simulate/org.js';
import { HOUR, Scenario, T0 } from '../../testing.js';

const rnd = prng(7);
const PAT = githubStyleToken('ghp_', rnd);
const NPM = githubStyleToken('npm_', rnd);
const DEPLOY = 'dEpl0y-' + 'Zq8vR2mX7kT4wN9p';

function log(start: number, lines: string[]): string {
  return jobLog({ start, runner: 'GitHub Actions 3', workflowRef: 'acme/app/.github/workflows/ci.yml@refs/heads/main', downloads: [], steps: [{ name: 'build', lines }] });
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('secret-in-log', () => {
  it('reports a token printed in two logs of one repository once, with both lines as evidence, and masks it everywhere', async () => {
    const first = log(T0, ['+ echo "using ghp token"', `+ curl -H 'Authorization: token ${PAT}' https://api.github.com/user`]);
    const second = log(T0 + HOUR, [`token=${PAT}`]);
    const res = await new Scenario().log('acme/app/100/build.txt', first).log('acme/app/101/build.txt', second).run();
    expect(res.summary('secret-in-log')).toEqual(['secret-in-log high: Secret in the log of job "build" of run 100 (acme/app): GitHub personal access token (classic)']);
    const alert = res.of('secret-in-log')[0]!;
    expect(alert.evidence.map((e) => [e.id, e.line])).toEqual([
      ['acme/app/100/build.txt', lineOf(first, PAT)],
      ['acme/app/101/build.txt', lineOf(second, PAT)],
    ]);
    expect(alert.confidence).toBe('high');
    expect(JSON.stringify(alert)).not.toContain(PAT);
    expect(alert.summary).toContain(PAT.slice(0, 4));
  });

  it('is critical when the repository is public', async () => {
    const res = await new Scenario()
      .hook('repository', simple({ org: 'acme', name: 'site', visibility: 'public' }, 'alice', { action: 'edited' }), T0 - HOUR)
      .log('acme/site/7/build.txt', log(T0, [`NPM_TOKEN=${NPM}`]))
      .run();
    expect(res.summary('secret-in-log')).toEqual(['secret-in-log critical: Secret in the log of job "build" of run 7 (acme/site): npm access token']);
  });

  it('finds runner memory records inside double base64 (the tj-actions payload) and a JSON dump of the secrets context', async () => {
    const records = `{"DEPLOY_KEY":{"value":"${DEPLOY}","isSecret":true},"system.github.token":{"value":"***","isSecret":true}}`;
    const blob = Buffer.from(Buffer.from(records).toString('base64')).toString('base64');
    const dump = JSON.stringify({ github_token: '***', SIGNING_PASSPHRASE: 'correct-horse-battery-staple-42' }, null, 0);
    const text = log(T0, ['Using local .git directory', blob, `secrets: ${dump}`]);
    const res = await new Scenario().log('acme/app/5/lint.txt', text).run();
    expect(res.summary('secret-in-log')).toEqual([
      `secret-in-log high: Secret in the log of job "lint" of run 5 (acme/app): secret DEPLOY_KEY from the runner's memory`,
      'secret-in-log high: Secret in the log of job "lint" of run 5 (acme/app): secret SIGNING_PASSPHRASE in a dump of the secrets context',
    ]);
    const [memory, context] = res.of('secret-in-log');
    expect(memory!.evidence[0]!.line).toBe(lineOf(text, blob));
    expect(memory!.details).toMatchObject({ detector: 'runner-memory', encoding: 'base64>base64' });
    expect(context!.evidence[0]!.line).toBe(lineOf(text, 'SIGNING_PASSPHRASE'));
    for (const a of res.alerts) {
      expect(JSON.stringify(a)).not.toContain(DEPLOY);
      expect(JSON.stringify(a)).not.toContain('correct-horse-battery-staple-42');
    }
  });

  it('stays silent for masked values, documentation example keys, placeholders and a secrets dump that is all masks', async () => {
    const text = log(T0, [
      'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'GITHUB_TOKEN=***',
      'token: ghp_************************************',
      'Example: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (replace with your token)',
      '//registry.npmjs.org/:_authToken=***',
      `secrets: ${JSON.stringify({ github_token: '***', NPM_TOKEN: '***' })}`,
      Buffer.from(Buffer.from('{"NPM_TOKEN":{"value":"***","isSecret":true}}').toString('base64')).toString('base64'),
    ]);
    const res = await new Scenario().log('acme/app/9/build.txt', text).run();
    expect(res.summary('secret-in-log')).toEqual([]);
    expect(res.diagnostics).toEqual([]);
  });

  it('reads a log line by line: a timestamp prefix does not shift line numbers', async () => {
    const text = [logLine(T0, 'start'), logLine(T0 + 1, 'x'), logLine(T0 + 2, `leaked ${PAT}`)].join('\n');
    const res = await new Scenario().log('acme/app/3/deploy.txt', text).run();
    expect(res.of('secret-in-log').map((a) => a.evidence[0]!.line)).toEqual([3]);
  });
});
