import { describe, expect, it } from 'vitest';
import { withBase62Checksum } from '../../../secrets/validators/github.js';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

// Built at run time so no checksum-valid token sits in the repository.
const PAT = withBase62Checksum('ghp_', 'Zq8wLm3Rt7Yv2Kp9Xc4Nb6Hd1Jf5Gs');
const AWS_SECRET = ['k9Q2', 'vX7pL4mR8tY1wZ3nB6cD0fH5jK2sA9eG7uI4oP1q'].join('').slice(0, 40);

describe('hardcoded-credentials', () => {
  it('flags a literal container and service registry password, not the username or an expression', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              container:
                image: registry.example.com/build:1
                credentials:
                  username: ci
                  password: hunter2-but-longer
              services:
                db:
                  image: registry.example.com/db:1
                  credentials:
                    username: ci
                    password: \${{ secrets.REGISTRY_PASSWORD }}
                  env:
                    POSTGRES_PASSWORD: postgres
                cache:
                  image: registry.example.com/cache:1
                  credentials:
                    username: ci
                    password: 'Sup3r-S3cret'
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/c.yml:9:19-9:37 high/high the container of job "build" pulls its image with a hardcoded registry password; store it as a secret and write ${{ secrets.NAME }} instead',
      '.github/workflows/c.yml:22:21-22:35 high/high service "cache" of job "build" pulls its image with a hardcoded registry password; store it as a secret and write ${{ secrets.NAME }} instead',
    ]);
  });

  it('finds provider tokens in env and with values with the secrets engine, masked', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/e.yml': yaml`
        on: push
        env:
          AWS_SECRET_ACCESS_KEY: ${AWS_SECRET}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: some/action@v1
                with:
                  token: ${PAT}
                  other: \${{ secrets.TOKEN }}
      `,
    });
    const out = summarize(findings);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^\.github\/workflows\/e\.yml:3:26-3:66 critical\/\w+ workflow env AWS_SECRET_ACCESS_KEY contains a hardcoded AWS secret access key "k9Q2\*{8}"; revoke it/);
    expect(out[1]).toBe(
      '.github/workflows/e.yml:10:18-10:58 critical/high step "some/action@v1" input token contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it as a secret and reference ${{ secrets.NAME }} instead',
    );
    for (const f of findings) {
      expect(JSON.stringify(f)).not.toContain(PAT);
      expect(JSON.stringify(f)).not.toContain(AWS_SECRET);
    }
  });

  it('honours the secrets.allow list passed as the secrets-allow option', () => {
    const files = {
      '.github/workflows/a.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: some/action@v1
                with:
                  token: ${PAT}
      `,
    };
    expect(auditFiles(rule, files)).toHaveLength(1);
    expect(auditFiles(rule, files, { 'secrets-allow': ['^ghp_Zq8w'] })).toEqual([]);
    expect(auditFiles(rule, files, { 'secrets-allow': ['^nothing'] })).toHaveLength(1);
    expect(() => auditFiles(rule, files, { 'secrets-allow': 'x' })).toThrow(/secrets-allow/);
    const container = {
      '.github/workflows/c.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            container:
              image: registry.example/app:1
              credentials:
                username: ci
                password: not-a-real-registry-pass
            steps:
              - run: true
      `,
    };
    expect(auditFiles(rule, container)).toHaveLength(1);
    expect(auditFiles(rule, container, { 'secrets-allow': ['^not-a-real-'] })).toEqual([]);
  });

  it('maps a token inside a block run: script to its line and column', () => {
    expect(
      run({
        '.github/workflows/r.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - name: Clone
                  run: |
                    echo start
                    git clone https://x:${PAT}@github.com/o/r
        `,
      }),
    ).toEqual([
      '.github/workflows/r.yml:9:31-9:71 critical/high the run: script of step "Clone" contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it as a secret and reference ${{ secrets.NAME }} instead',
    ]);
  });

  it('flags literal passwords on login command lines and in password inputs', () => {
    expect(
      run({
        '.github/workflows/l.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    docker login -u ci -p Tr0ub4dor-x9 registry.example.com
                    curl -u deploy:C0rrectHorse9 https://example.com/upload
                    docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com
                    echo "$PW" | docker login -u ci --password-stdin registry.example.com
                - uses: docker/login-action@v3
                  with:
                    username: ci
                    password: Tr0ub4dor-x9
                - uses: docker/login-action@v3
                  with:
                    username: ci
                    password: \${{ secrets.REGISTRY_PASSWORD }}
        `,
      }),
    ).toEqual([
      '.github/workflows/l.yml:7:33-7:45 high/medium the run: script of step "step 1" passes a hardcoded password to "docker login -p" (Tr0********); read it from a secret through env: and use --password-stdin',
      '.github/workflows/l.yml:8:26-8:39 high/medium the run: script of step "step 1" passes a hardcoded password to "curl -u" (C0r********); read it from a secret through env:',
      '.github/workflows/l.yml:14:21-14:33 high/medium step "docker/login-action@v3" input password contains a hardcoded password "Tr0********"; revoke it, store it as a secret and reference ${{ secrets.NAME }} instead',
    ]);
  });

  it('reports a curl or wget password in a script once, with the command-line message', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    curl --user=builder:Vq7rT2-mXk9Lp -T app.tgz https://files.internal.corp/
                    wget --user=bob --password=Pz4Mw8!Tq2Rn6 https://files.internal.corp/a.tgz
        `,
      }),
    ).toEqual([
      '.github/workflows/c.yml:7:31-7:44 high/medium the run: script of step "step 1" passes a hardcoded password to "curl -u" (Vq7********); read it from a secret through env:',
      '.github/workflows/c.yml:8:38-8:51 high/medium the run: script of step "step 1" passes a hardcoded password to "wget --password" (Pz4********); read it from a secret through env:',
    ]);
  });

  it('scans composite actions, including input defaults', () => {
    const out = run({
      'act/action.yml': yaml`
        name: x
        inputs:
          token:
            default: ${PAT}
        runs:
          using: composite
          steps:
            - shell: bash
              run: echo hi
      `,
    });
    expect(out).toEqual([
      'act/action.yml:4:14-4:54 critical/high the default of input "token" contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it as a secret and reference ${{ secrets.NAME }} instead',
    ]);
  });

  it('ignores expressions, shell variables and placeholders', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          env:
            TOKEN: \${{ secrets.GH_PAT }}
            REGION: \${{ vars.AWS_REGION }}
            PASSWORD: changeme
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    curl -u "user:$API_PASSWORD" https://example.com
                    docker login -p "\${{ secrets.X }}" r.example.com
                    sshpass -p "$SSHPASS" ssh host
        `,
      }),
    ).toEqual([]);
  });

  it('flags a literal password input even when it is too weak for the secrets engine', () => {
    const out = run({
      '.github/workflows/w.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: appleboy/scp-action@v1
                with:
                  password: plainpass
      `,
    });
    expect(out).toEqual([
      '.github/workflows/w.yml:8:21-8:30 high/medium step "appleboy/scp-action@v1" passes a hardcoded value to its "password" input; store it as a secret and pass ${{ secrets.NAME }} instead',
    ]);
  });

  it('inputs that name the environment variable holding the credential (setup-java server-password) are not credentials', () => {
    const setupJava = (password: string) => yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/setup-java@v4
              with:
                distribution: temurin
                java-version: 21
                server-id: central
                server-username: MAVEN_USERNAME
                server-password: ${password}
                gpg-passphrase: MAVEN_GPG_PASSPHRASE
    `;
    expect(run({ '.github/workflows/w.yml': setupJava('MAVEN_PASSWORD') })).toEqual([]);
    // A value that cannot be a variable name is the password itself.
    expect(run({ '.github/workflows/w.yml': setupJava('hunter2-Prod!') })).toEqual([
      '.github/workflows/w.yml:12:28-12:41 high/medium step "actions/setup-java@v4" input server-password contains a hardcoded password "hun********"; revoke it, store it as a secret and reference ${{ secrets.NAME }} instead',
    ]);
  });
});
