import type { Rule } from '../../../core/rule.js';
import type { Location } from '../../../core/finding.js';
import type { BitbucketModel, CommandItem } from '../../../platforms/bitbucket/model.js';
import { downloadExecs, parseScript, ScalarText } from '../../../shell/script.js';
import { stepRoute, uniqueSteps } from '../util.js';
import { COMMIT_PINNED_URL, unverifiedExecMessage } from '../../download-exec.js';


export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'unverified-script-exec',
    title: 'Downloaded script executed without verification',
    platform: 'bitbucket',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-9'],
    cwe: ['CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { step } of uniqueSteps(model)) {
      for (const items of [step.script, step.afterScript]) {
        // Bitbucket runs a step's script items in one shell: a download in one item and its run
        // in the next are one sequence. Items are joined with line breaks and mapped back.
        const commands = items.filter((i): i is CommandItem => i.kind === 'command');
        if (commands.length === 0) continue;
        const starts: number[] = [];
        let joined = '';
        for (const c of commands) {
          starts.push(joined.length);
          joined += `${c.text}\n`;
        }
        const found = downloadExecs(parseScript(joined, 'bash'));
        const at = (start: number, end: number): Location => {
          let k = starts.length - 1;
          while (k > 0 && starts[k]! > start) k--;
          return new ScalarText(step.source, commands[k]!.scalar).location(start - starts[k]!, Math.min(end, starts[k]! + commands[k]!.text.length) - starts[k]!);
        };
        for (const d of found) {
          const st = d.statement;
          const pinned = COMMIT_PINNED_URL.test(d.download?.code ?? st.code);
          report({
            message: `step "${step.label}" ${unverifiedExecMessage(d, pinned)}`,
            ...(pinned ? { severity: 'low' as const } : {}),
            location: at(st.start, st.end),
            related: d.download ? [{ ...at(d.download.start, d.download.end), message: `downloaded here with ${d.downloader}` }] : [],
            confidence: d.kind === 'file' ? 'medium' : 'high',
            route: `${stepRoute(step)}.script:${d.kind}:${st.text.replace(/\s+/g, ' ')}`,
          });
        }
      }
    }
  },
};
