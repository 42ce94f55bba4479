import type { Rule } from '../../../core/rule.js';
import type { CircleModel } from '../../../platforms/circleci/model.js';
import { maskInterpolations } from '../../../platforms/circleci/interpolate.js';
import { stepSites } from '../../../platforms/circleci/resolve.js';
import { downloadExecs, parseScript, ScalarText, type DownloadExec } from '../../../platforms/github/shell.js';
import { dialectOfRun, runLabel } from '../util.js';

const ADVICE = 'download it to a file and check a pinned SHA-256 checksum or signature before running it';
const FILE_ADVICE = 'check a pinned SHA-256 checksum (sha256sum -c) or signature before running it';
const PINNED_URL = /https?:\/\/\S*\/[0-9a-f]{40}\//i;

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'unverified-script-exec',
    title: 'Downloaded script executed without verification',
    platform: 'circleci',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-9'],
    cwe: ['CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const file of model.files) {
      for (const site of stepSites(file)) {
        const step = site.step;
        if (step.type !== 'run' || !step.command || typeof step.command.value !== 'string') continue;
        const job = site.def?.kind === 'job' ? site.def : undefined;
        // `<< x >>` would read as a here-document opener: blank it, offsets unchanged.
        const script = parseScript(maskInterpolations(step.command.value), dialectOfRun(step, job?.shell ? String(job.shell.value) : undefined));
        const found = downloadExecs(script);
        if (found.length === 0) continue;
        const text = new ScalarText(file.source, step.command);
        for (const d of found) {
          const st = d.statement;
          const pinned = PINNED_URL.test(d.download?.code ?? st.code);
          report({
            message: `${runLabel(step)} in ${site.where} ${describe(d)} without verifying it${pinned ? ' (the URL is pinned to a commit)' : ''}; ${d.kind === 'file' ? FILE_ADVICE : ADVICE}`,
            ...(pinned ? { severity: 'low' as const } : {}),
            location: text.location(st.start, st.end),
            related: d.download ? [{ ...text.location(d.download.start, d.download.end), message: `downloaded here with ${d.downloader}` }] : [],
            confidence: d.kind === 'file' ? 'medium' : 'high',
            route: `${site.route}.run:${d.kind}:${st.text.replace(/\s+/g, ' ')}`,
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
