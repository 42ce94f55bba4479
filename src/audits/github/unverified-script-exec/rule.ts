import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { dialectOf, downloadExecs, parseScript, ScalarText, type DownloadExec } from '../../../platforms/github/shell.js';
import { stepSites } from '../util.js';

const ADVICE = 'download it to a file and check a pinned SHA-256 checksum or signature before running it';
// A commit SHA in the path, literal or the run's own commit ($GITHUB_SHA, ${{ github.sha }}).
const PINNED_URL = /https?:\/\/(?:\$\{\{[^}]*\}\}|\S)*?\/(?:[0-9a-f]{40}|\$\{?GITHUB_SHA\}?|\$\{\{\s*github\.sha\s*\}\})\//i;
const FILE_ADVICE = 'check a pinned SHA-256 checksum (sha256sum -c) or signature before running it';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unverified-script-exec',
    title: 'Downloaded script executed without verification',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-9'],
    cwe: ['CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of stepSites(model)) {
      const run = site.step.run;
      if (!run || typeof run.value !== 'string') continue;
      const script = parseScript(run.value, dialectOf(site.step, site.job, site.workflow));
      const found = downloadExecs(script);
      if (found.length === 0) continue;
      const text = new ScalarText(site.source, run);
      for (const d of found) {
        const st = d.statement;
        // A URL pinned to a commit (raw.githubusercontent.com/o/r/<sha>/x.sh) cannot change under you;
        // the host can still serve something else, so it stays a finding at low severity.
        // text, not code: code masks ${{ }} templates, and ${{ github.sha }} is a pin.
        const pinned = PINNED_URL.test(d.download?.text ?? st.text);
        report({
          message: `step "${site.step.label}" ${describe(d)} without verifying it${pinned ? ' (the URL is pinned to a commit)' : ''}; ${d.kind === 'file' ? FILE_ADVICE : ADVICE}`,
          ...(pinned ? { severity: 'low' as const } : {}),
          location: text.location(st.start, st.end),
          related: d.download ? [{ ...text.location(d.download.start, d.download.end), message: `downloaded here with ${d.downloader}` }] : [],
          confidence: d.kind === 'file' ? 'medium' : 'high',
          route: `${site.route}.run:${d.kind}:${st.text.replace(/\s+/g, ' ')}`,
        });
      }
    }
  },
};

function describe(d: DownloadExec): string {
  switch (d.kind) {
    case 'pipe':
      return `pipes a script downloaded with ${d.downloader} into ${d.interpreter}`;
    case 'process-substitution':
      return `runs a script downloaded with ${d.downloader} through ${d.interpreter} <(...)`;
    case 'command-substitution':
      return `runs the output of ${d.downloader} with ${d.interpreter === 'eval' ? 'eval' : `${d.interpreter} -c`} "$(...)"`;
    case 'powershell':
      return `runs a script downloaded with ${d.downloader} through ${d.interpreter}`;
    case 'file':
      return `runs ${d.file}, downloaded with ${d.downloader},`;
  }
}
