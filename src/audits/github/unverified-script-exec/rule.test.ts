import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const ADVICE = 'download it to a file and check a pinned SHA-256 checksum or signature before running it';

describe('unverified-script-exec', () => {
  it('flags curl | sh at the line of the pipe', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/i.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - name: Install rust
                run: |
                  set -eu
                  curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/i.yml:9:11-9:72 medium/high step "Install rust" pipes a script downloaded with curl into sh without verifying it; ${ADVICE}`,
    ]);
    expect(findings[0]!.location.endColumn).toBe(72);
  });

  it('recognises sudo, interpreters, wget -O-, process and command substitution', () => {
    const out = run({
      '.github/workflows/f.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  curl -fsSL https://example.com/install.sh | sudo -E bash -
                  wget -qO- https://example.com/get.py | python3
                  bash <(curl -s https://example.com/x.sh)
                  sh -c "$(curl -fsSL https://example.com/install.sh)"
                  eval "$(wget -qO- https://example.com/env)"
                  curl -sL https://deb.nodesource.com/setup_20.x | sudo bash - && sudo apt-get install -y nodejs
      `,
    });
    expect(out.map((l) => l.replace(/ without verifying it;.*$/, ''))).toEqual([
      '.github/workflows/f.yml:7:11-7:69 medium/high step "step 1" pipes a script downloaded with curl into bash',
      '.github/workflows/f.yml:8:11-8:57 medium/high step "step 1" pipes a script downloaded with wget into python3',
      '.github/workflows/f.yml:9:11-9:51 medium/high step "step 1" runs a script downloaded with curl through bash <(...)',
      '.github/workflows/f.yml:10:11-10:63 medium/high step "step 1" runs the output of curl with sh -c "$(...)"',
      '.github/workflows/f.yml:11:11-11:54 medium/high step "step 1" runs the output of wget with eval "$(...)"',
      '.github/workflows/f.yml:12:11-12:71 medium/high step "step 1" pipes a script downloaded with curl into bash',
    ]);
  });

  it('looks inside bash -c / sh -c scripts, also when docker run or ssh runs them', () => {
    const out = run({
      '.github/workflows/n.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  docker run --rm -v "$PWD:/src" node:20 bash -c 'cd /src && curl -fsSL https://example.com/setup.sh | bash'
                  ssh ci@build-host sh -c "wget -qO- https://example.com/agent.sh | sudo sh"
                  docker run --rm alpine sh -c 'bash <(wget -qO- https://example.com/x.sh)'
                  docker run --rm alpine sh -c 'curl -fsSL https://example.com/data.json | jq .version'
                  bash -c 'echo "curl https://example.com/x.sh | bash"'
      `,
    });
    expect(out).toEqual([
      `.github/workflows/n.yml:7:11-7:117 medium/high step "step 1" pipes a script downloaded with curl into bash without verifying it; ${ADVICE}`,
      `.github/workflows/n.yml:8:11-8:85 medium/high step "step 1" pipes a script downloaded with wget into sh without verifying it; ${ADVICE}`,
      `.github/workflows/n.yml:9:11-9:84 medium/high step "step 1" runs a script downloaded with wget through bash <(...) without verifying it; ${ADVICE}`,
    ]);
  });

  it('lowers to low severity when the URL is pinned to a commit', () => {
    expect(
      run({
        '.github/workflows/p.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: curl -fsSL https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/install.sh | bash
        `,
      }),
    ).toEqual([
      `.github/workflows/p.yml:6:14-6:121 low/high step "step 1" pipes a script downloaded with curl into bash without verifying it (the URL is pinned to a commit); ${ADVICE}`,
    ]);
  });

  it('flags PowerShell iex (iwr ...) and irm | iex', () => {
    const out = run({
      '.github/workflows/w.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: windows-latest
            steps:
              - shell: pwsh
                run: |
                  iex (iwr https://example.com/install.ps1 -UseBasicParsing).Content
                  irm https://example.com/install.ps1 | iex
                  Invoke-Expression ((New-Object System.Net.WebClient).DownloadString('https://example.com/i.ps1'))
      `,
    });
    expect(out.map((l) => l.replace(/ without verifying it;.*$/, ''))).toEqual([
      '.github/workflows/w.yml:8:11-8:77 medium/high step "step 1" runs a script downloaded with iwr through iex',
      '.github/workflows/w.yml:9:11-9:52 medium/high step "step 1" runs a script downloaded with irm through iex',
      '.github/workflows/w.yml:10:11-10:108 medium/high step "step 1" runs a script downloaded with Net.WebClient through Invoke-Expression',
    ]);
  });

  it('flags a downloaded file run without a checksum, at the line that runs it', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/d.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  curl -fsSL -o install.sh https://example.com/install.sh
                  chmod +x install.sh
                  ./install.sh --prefix "$HOME"
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/d.yml:9:11-9:40 medium/medium step "step 1" runs install.sh, downloaded with curl, without verifying it; check a pinned SHA-256 checksum (sha256sum -c) or signature before running it',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['7:downloaded here with curl']);
  });

  it('accepts a downloaded file verified with sha256sum, gpg or cosign before it runs', () => {
    expect(
      run({
        '.github/workflows/v.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    curl -fsSLO https://example.com/tool.sh
                    echo "3b1e7c0f0e4c7d1a  tool.sh" | sha256sum -c -
                    bash tool.sh
                - run: |
                    wget -O get.sh https://example.com/get.sh
                    gpg --verify get.sh.asc get.sh
                    sh get.sh && echo ok
        `,
      }),
    ).toEqual([]);
  });

  it('ignores downloads that are not executed, quoted text, comments and here-documents', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    curl -s https://api.github.com/repos/o/r | jq -r .name
                    curl -fsSL https://example.com/key.gpg | sudo gpg --dearmor -o /usr/share/keyrings/x.gpg
                    curl -sL https://example.com/x.tar.gz | tar xz
                    echo "to install: curl https://example.com/i.sh | sh"
                    # curl https://example.com/i.sh | bash
                    cat > Dockerfile <<'EOF'
                    RUN curl -fsSL https://example.com/i.sh | sh
                    EOF
                    curl -fsSL https://example.com/i.sh | sha256sum
                - shell: python
                  run: |
                    import os; os.system("curl x | sh")
        `,
      }),
    ).toEqual([]);
  });

  it("treats a URL pinned to the run's own commit ($GITHUB_SHA, github.sha) as pinned", () => {
    expect(
      run({
        '.github/workflows/own.yml': yaml`
          on: workflow_dispatch
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: curl -fsSL https://github.com/\${GITHUB_REPOSITORY}/raw/\${GITHUB_SHA}/tools/prepare.sh | sh -s -- x
                - run: curl -fsSL https://raw.githubusercontent.com/\${{ github.repository }}/\${{ github.sha }}/tools/prepare.sh | bash
        `,
      }).map((f) => f.split(' ')[1]),
    ).toEqual(['low/high', 'low/high']);
  });
});
