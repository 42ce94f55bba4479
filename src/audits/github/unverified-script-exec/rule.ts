import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { downloadExecs, parseScript, ScalarText } from '../../../shell/script.js';
import { stepSites } from '../util.js';
import { unverifiedExecMessage } from '../../download-exec.js';

// A commit SHA in the path, literal or the run's own commit ($GITHUB_SHA, ${{ github.sha }}).
const PINNED_URL = /https?:\/\/(?:\$\{\{[^}]*\}\}|\S)*?\/(?:[0-9a-f]{40}|\$\{?GITHUB_SHA\}?|\$\{\{\s*github\.sha\s*\}\})\//i;

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
          message: `step "${site.step.label}" ${unverifiedExecMessage(d, pinned)}`,
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
