import type { Rule } from '../../../core/rule.js';
import type { CircleModel } from '../../../platforms/circleci/model.js';
import { maskInterpolations } from '../../../platforms/circleci/interpolate.js';
import { stepSites } from '../../../platforms/circleci/resolve.js';
import { downloadExecs, parseScript, ScalarText } from '../../../shell/script.js';
import { dialectOfRun, runLabel } from '../util.js';
import { COMMIT_PINNED_URL, unverifiedExecMessage } from '../../download-exec.js';


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
          const pinned = COMMIT_PINNED_URL.test(d.download?.code ?? st.code);
          report({
            message: `${runLabel(step)} in ${site.where} ${unverifiedExecMessage(d, pinned)}`,
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
