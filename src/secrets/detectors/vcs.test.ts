import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64URL, checkCase, coverageGaps, Fake, HEX, Rng, type DetectorCase } from './fake.js';
import { VCS_DETECTORS } from './vcs.js';

const f = new Fake(new Rng(1001));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const yaml = (key: string, secret: string): [string, string] => [`  ${key}: "${secret}"`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
/** Same token with its last character changed: breaks a checksum. */
const corrupt = (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');

const gh = (prefix: string) => f.checksummed(prefix);
const CASES: DetectorCase[] = [
  {
    id: 'github-pat-classic',
    pos: [env('GITHUB_TOKEN', gh('ghp_')), line(gh('ghp_'), (t) => `git clone https://x-access-token:${t}@github.com/acme/app.git`)],
    neg: [`GITHUB_TOKEN=${corrupt(gh('ghp_'))}`, `token: ghp_${'x'.repeat(36)}`, `ghp_${f.str(ALNUM, 20)}`],
  },
  { id: 'github-oauth-token', pos: [yaml('oauth_token', gh('gho_'))], neg: [corrupt(gh('gho_'))] },
  { id: 'github-user-to-server-token', pos: [env('GH_USER_TOKEN', gh('ghu_'))], neg: [corrupt(gh('ghu_'))] },
  { id: 'github-server-to-server-token', pos: [env('GITHUB_TOKEN', gh('ghs_'))], neg: [corrupt(gh('ghs_')), `ghs_${f.str(ALNUM, 35)}`] },
  {
    id: 'github-refresh-token',
    pos: [env('REFRESH', gh('ghr_')), env('REFRESH', `ghr_${f.str(ALNUM, 76)}`)],
    neg: [corrupt(gh('ghr_')), `ghr_${f.str(ALNUM, 50)}`],
  },
  {
    id: 'github-fine-grained-pat',
    pos: [env('GH_PAT', `github_pat_${f.str(ALNUM, 22)}_${f.str(ALNUM, 59)}`)],
    neg: [`github_pat_${f.str(ALNUM, 22)}`, `github_pat_${'a'.repeat(22)}_${'b'.repeat(59)}`],
  },
  {
    id: 'github-oauth-app-secret',
    pos: [env('GITHUB_CLIENT_SECRET', f.str(HEX, 40)), yaml('github_app_client_secret', f.str(HEX, 40))],
    neg: [`commit ${f.str(HEX, 40)}`, 'GITHUB_CLIENT_SECRET=${{ secrets.GH_CLIENT_SECRET }}'],
  },
  {
    id: 'gitlab-pat',
    pos: [env('GITLAB_TOKEN', f.gitlabRoutable('glpat-')), env('GITLAB_TOKEN', `glpat-${f.str(B64URL, 20)}`), yaml('private_token', `glpat-${f.str(ALNUM, 20)}`)],
    neg: [corrupt(f.gitlabRoutable('glpat-')), `glpat-${'x'.repeat(20)}`, `glpat-${f.str(ALNUM, 12)}`],
  },
  { id: 'gitlab-deploy-token', pos: [env('DEPLOY_TOKEN', f.gitlabRoutable('gldt-')), env('DEPLOY_TOKEN', `gldt-${f.str(B64URL, 20)}`)], neg: [corrupt(f.gitlabRoutable('gldt-'))] },
  {
    id: 'gitlab-runner-token',
    pos: [yaml('token', f.gitlabRoutable('glrt-t1_')), yaml('token', `glrt-${f.str(ALNUM, 20)}`)],
    neg: [corrupt(f.gitlabRoutable('glrt-t2_')), 'token: glrt-REPLACE_WITH_TOKEN1'],
  },
  { id: 'gitlab-runner-registration-token', pos: [env('REGISTRATION_TOKEN', `GR1348941${f.str(B64URL, 20)}`)], neg: ['GR1348941' + 'x'.repeat(20)] },
  { id: 'gitlab-pipeline-trigger-token', pos: [line(`glptt-${f.str(HEX, 40)}`, (s) => `curl -X POST -F token=${s} -F ref=main https://gitlab.example.org/api/v4/projects/1/trigger/pipeline`)], neg: [`glptt-${f.str(HEX, 39)}`] },
  { id: 'gitlab-ci-job-token', pos: [env('JOB_TOKEN', `glcbt-${f.str(ALNUM, 3)}_${f.str(B64URL, 20)}`)], neg: [`glcbt-${f.str(ALNUM, 8)}_${f.str(B64URL, 20)}`] },
  { id: 'gitlab-scim-token', pos: [env('SCIM_TOKEN', `glsoat-${f.str(B64URL, 20)}`)], neg: [`glsoat-${f.str(B64URL, 10)}`] },
  { id: 'gitlab-feed-token', pos: [env('FEED', `glft-${f.str(B64URL, 20)}`)], neg: [`glft-${f.str(B64URL, 19)}`] },
  { id: 'gitlab-incoming-mail-token', pos: [env('MAIL', `glimt-${f.str(B64URL, 25)}`)], neg: [`glimt-${f.str(B64URL, 20)}`] },
  { id: 'gitlab-agent-token', pos: [yaml('token', `glagent-${f.str(B64URL, 50)}`)], neg: [`glagent-${f.str(B64URL, 30)}`] },
  { id: 'gitlab-oauth-app-secret', pos: [env('SECRET', `gloas-${f.str(B64URL, 64)}`)], neg: [`gloas-${f.str(B64URL, 40)}`] },
  { id: 'gitlab-feature-flag-client-token', pos: [env('UNLEASH_INSTANCE_ID', `glffct-${f.str(B64URL, 20)}`)], neg: [`glffct-${f.str(B64URL, 30)}`] },
  {
    id: 'gitlab-session-cookie',
    pos: [line(f.str(HEX, 32), (s) => `curl -H "Cookie: _gitlab_session=${s}" https://gitlab.example.org/api`)],
    neg: ['_gitlab_session=' + '0'.repeat(32), `_gitlab_session=${f.str(HEX, 20)}`],
  },
  {
    id: 'bitbucket-app-password',
    pos: [line(`ATBB${f.str(ALNUM, 32)}`, (s) => `git remote add origin https://ci-bot:${s}@bitbucket.org/acme/app.git`)],
    neg: [`ATBB${f.str(ALNUM, 12)}`, `ATBB${'X'.repeat(32)}`],
  },
  {
    id: 'bitbucket-client-secret',
    pos: [env('BITBUCKET_CLIENT_SECRET', f.str(ALNUM, 32))],
    neg: ['BITBUCKET_CLIENT_SECRET=${BB_SECRET}', `bitbucket_client_id=${'a'.repeat(32)}`],
  },
  {
    id: 'sourcegraph-access-token',
    pos: [env('SRC_ACCESS_TOKEN', `sgp_${f.str(HEX, 16)}_${f.str(HEX, 40)}`), env('SRC_ACCESS_TOKEN', `sgp_${f.str(HEX, 40)}`)],
    neg: [`sgp_${f.str(HEX, 20)}`],
  },
  {
    id: 'gitea-access-token',
    pos: [env('GITEA_TOKEN', f.str(HEX, 40)), yaml('forgejo_token', f.str(HEX, 40))],
    neg: ['GITEA_TOKEN=${{ secrets.GITEA_TOKEN }}', `gitea_sha: ${f.str(ALNUM, 12)}`],
  },
];

describe('vcs detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(VCS_DETECTORS, CASES)).toEqual([]));
});
