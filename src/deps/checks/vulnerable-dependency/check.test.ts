import { describe, expect, it } from 'vitest';
import { findingsOf, LODASH_LOCK } from '../testing.js';

describe('vulnerable-dependency', () => {
  it('reports the affected version at its lockfile line, with aliases, severity and the fix', async () => {
    expect(await findingsOf('vulnerable-dependency', { 'package-lock.json': LODASH_LOCK })).toEqual([
      'package-lock.json:6 high lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337) [high 7.2]: Command Injection in lodash; fixed in 4.17.21; upgrade to 4.17.21',
    ]);
  });

  it('does not report fixed versions, withdrawn advisories or other ecosystems with the same name', async () => {
    expect(await findingsOf('vulnerable-dependency', { 'package-lock.json': LODASH_LOCK.replace('4.17.20', '4.17.21'), 'requirements.txt': 'lodash==4.17.20\n' })).toEqual([]);
  });

  it('merges aliased advisories (PYSEC and GHSA of one CVE) into one finding; PyPI names are normalized', async () => {
    expect(await findingsOf('vulnerable-dependency', { 'requirements.txt': 'Requests==2.30.0\n' })).toEqual([
      'requirements.txt:1 medium Requests 2.30.0 is affected by GHSA-j8r2-6x86-q33q (PYSEC-2023-74, CVE-2023-32681) [medium 6.1]: Unintended leak of Proxy-Authorization header in requests; fixed in 2.31.0; upgrade to 2.31.0',
    ]);
  });

  it('is raised one step and names the job when a job with publishing credentials installs the lockfile', async () => {
    const workflow = `on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: npm ci --ignore-scripts
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;
    const rows = await findingsOf('vulnerable-dependency', { 'package-lock.json': LODASH_LOCK, '.github/workflows/release.yml': workflow });
    expect(rows).toEqual([
      'package-lock.json:6 critical lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337) [high 7.2]: Command Injection in lodash; fixed in 4.17.21; upgrade to 4.17.21; installed by job "release" in .github/workflows/release.yml, which holds NPM_TOKEN',
    ]);
    // A job that installs another folder's lockfile is no link.
    const other = await findingsOf('vulnerable-dependency', { 'package-lock.json': LODASH_LOCK, '.github/workflows/release.yml': workflow.replace('npm ci', 'npm ci --prefix web') });
    expect(other[0]).toMatch(/^package-lock.json:6 high /);
  });
});
