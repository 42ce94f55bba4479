import { describe, expect, it } from 'vitest';
import { findingsOf } from '../testing.js';

const wf = (run: string): string => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${run.split('\n').map((l) => `          ${l}`).join('\n')}\n`;

describe('unlocked-install', () => {
  it('installs that resolve at run time, at the command, with the fix', async () => {
    const rows = await findingsOf('unlocked-install', {
      '.github/workflows/ci.yml': wf('npm install\nnpm i -g typescript\ncd tools && go install golang.org/x/tools/cmd/stringer@latest\npip install black\ncargo install cargo-audit\nyarn install'),
      'yarn.lock': '# yarn lockfile v1\n\nms@^2:\n  version "2.1.3"\n',
    });
    expect(rows).toEqual([
      '.github/workflows/ci.yml:7 medium npm install in job "build": `npm install` resolves the ranges in package.json and may update package-lock.json instead of installing exactly what it pins; use `npm ci`, which installs the lockfile exactly and fails when it is out of date',
      '.github/workflows/ci.yml:8 medium npm i -g typescript in job "build": `npm i` of `typescript` installs whatever version the registry serves at that moment; pin an exact version (`name@1.2.3`), or add it to package.json and the lockfile',
      '.github/workflows/ci.yml:9 medium go install golang.org/x/tools/cmd/stringer@latest in job "build": `go install` of `golang.org/x/tools/cmd/stringer@latest` builds whatever the module\'s newest version is at that moment; pin a version (`@v1.2.3`) or track the tool in go.mod with a `tool` directive',
      '.github/workflows/ci.yml:10 medium pip install black in job "build": `pip install` of `black` installs whatever version the index serves at that moment, with unpinned dependencies; install from a requirements file pinned with hashes (`pip-compile --generate-hashes`) and `--require-hashes`, or pin `name==1.2.3`',
      '.github/workflows/ci.yml:11 medium cargo install cargo-audit in job "build": `cargo install` without `--locked` ignores the crate\'s Cargo.lock and resolves its dependencies anew; add `--locked` (and `--version` for a fixed release)',
      '.github/workflows/ci.yml:12 medium yarn install in job "build": `yarn install` without `--frozen-lockfile` (Yarn 1) or `--immutable` may update yarn.lock instead of failing when it is out of date; use `yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` (Yarn 2+)',
    ]);
  });

  it('requirements files: unpinned entries (medium), pinned without hashes (low), hashed or --require-hashes (fine)', async () => {
    const rows = await findingsOf('unlocked-install', {
      '.gitlab-ci.yml': 'a:\n  script:\n    - pip install -r requirements.txt\n    - pip install -r pinned.txt\n    - pip install -r hashed.txt\n    - pip install --require-hashes -r pinned.txt\n',
      'requirements.txt': 'flask>=2\nclick\nrequests==2.31.0\n',
      'requirements/../pinned.txt': '',
    });
    expect(rows).toEqual(['.gitlab-ci.yml:3 medium pip install -r requirements.txt in job "a": requirements.txt leaves flask, click unpinned, so pip installs whatever versions the index serves at that moment; compile a pinned, hashed file (`pip-compile --generate-hashes` or `uv pip compile --generate-hashes`) and install it with `--require-hashes`']);
    const pinned = await findingsOf('unlocked-install', {
      '.gitlab-ci.yml': 'a:\n  script:\n    - pip install -r requirements.txt\n    - pip install -r requirements-hashed.txt\n',
      'requirements.txt': 'requests==2.31.0\n',
      'requirements-hashed.txt': 'requests==2.31.0 --hash=sha256:abcd\n',
    });
    expect(pinned).toEqual(['.gitlab-ci.yml:3 low pip install -r requirements.txt in job "a": requirements.txt pins versions but has no hashes, so a replaced or compromised file for a pinned version would still install; add hashes (`pip-compile --generate-hashes`) and install with `--require-hashes`']);
  });

  it('locked installs and frozen-by-default managers are not reported', async () => {
    expect(await findingsOf('unlocked-install', {
      '.github/workflows/ci.yml': wf('npm ci\nnpm install left-pad@1.3.0\nyarn install\npnpm install\npoetry install\nuv sync --locked\ngo install golang.org/x/tools/cmd/stringer@v0.20.0\ncargo install --locked cargo-audit\nbundle install --frozen\ncomposer install\ngo build ./...'),
      'yarn.lock': '__metadata:\n  version: 8\n',
    })).toEqual([]);
  });
});

describe('unlocked-install on real-world shapes', () => {
  it('a local wheel installed with --no-index, and package names from variables, are not floating installs', async () => {
    expect(await findingsOf('unlocked-install', {
      '.github/workflows/ci.yml': wf('pip install ${PACKAGE_NAME} --no-index --find-links dist/ --force-reinstall\npip install "$PKG"'),
    })).toEqual([]);
  });
});
