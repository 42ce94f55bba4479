import type { Rule } from '../../../core/rule.js';
import type { AzureModel } from '../../../platforms/azure/model.js';
import { scriptSinks } from '../../../platforms/azure/scripts.js';
import { downloadExecs, parseScript, ScalarText, type DownloadExec } from '../../../platforms/github/shell.js';
import { stepSites } from '../util.js';

const ADVICE = 'download it to a file and check a pinned SHA-256 checksum or signature before running it';
const FILE_ADVICE = 'check a pinned SHA-256 checksum (sha256sum -c) or signature before running it';
const PINNED_URL = /https?:\/\/\S*\/[0-9a-f]{40}\//i;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'unverified-script-exec',
    title: 'Downloaded script executed without verification',
    platform: 'azure',
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
      for (const sink of scriptSinks(site.step, site.job, site.pipeline)) {
        if (typeof sink.scalar.value !== 'string' || sink.dialect === 'other') continue;
        const found = downloadExecs(parseScript(sink.scalar.value, sink.dialect));
        if (found.length === 0) continue;
        const text = new ScalarText(site.step.ctx.source, sink.scalar);
        for (const d of found) {
          const st = d.statement;
          const pinned = PINNED_URL.test(d.download?.code ?? st.code);
          report({
            message: `step "${site.step.label}" ${describe(d)} without verifying it${pinned ? ' (the URL is pinned to a commit)' : ''}; ${d.kind === 'file' ? FILE_ADVICE : ADVICE}`,
            ...(pinned ? { severity: 'low' as const } : {}),
            location: text.location(st.start, st.end),
            related: d.download ? [{ ...text.location(d.download.start, d.download.end), message: `downloaded here with ${d.downloader}` }] : [],
            confidence: d.kind === 'file' ? 'medium' : 'high',
            route: `${site.route}.${sink.key}:${d.kind}:${st.text.replace(/\s+/g, ' ')}`,
          });
        }
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
