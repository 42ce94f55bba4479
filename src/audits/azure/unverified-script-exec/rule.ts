import type { Rule } from '../../../core/rule.js';
import type { AzureModel } from '../../../platforms/azure/model.js';
import { scriptSinks } from '../../../platforms/azure/scripts.js';
import { downloadExecs, parseScript, ScalarText } from '../../../shell/script.js';
import { stepSites } from '../util.js';
import { COMMIT_PINNED_URL, unverifiedExecMessage } from '../../download-exec.js';


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
          const pinned = COMMIT_PINNED_URL.test(d.download?.code ?? st.code);
          report({
            message: `step "${site.step.label}" ${unverifiedExecMessage(d, pinned)}`,
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
