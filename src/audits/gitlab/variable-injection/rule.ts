import type { Location, RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import { GIT_LOG_TEXT } from '../../../platforms/gitlab/contexts.js';
import type { GitlabModel, Job, ScalarVal } from '../../../platforms/gitlab/model.js';
import { flatScalars, get } from '../../../platforms/gitlab/parse.js';
import { availableIn, scriptEntries, yamlTaint, type Taint } from '../../../platforms/gitlab/script.js';
import { blankSingleQuoted, newlinesStripped } from '../../../shell/script.js';
import { jobLabel, jobRoute, jobsOf, related } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'variable-injection',
    title: 'Untrusted text written to a dotenv report',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-77', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const job of jobsOf(model)) {
      const dotenv = flatScalars(get(get(job.artifacts, 'reports'), 'dotenv'));
      if (dotenv.length === 0) continue;
      const files = dotenv.map((d) => ({ node: d, name: normalize(String(d.value)) }));
      const taint = yamlTaint(job);
      for (const entry of scriptEntries(job)) {
        const lines = entry.script.lines;
        for (const st of entry.statements) {
          const code = blankSingleQuoted(st.code);
          const target = writeTarget(code);
          const file = target ? files.find((f) => f.name === normalize(target)) : undefined;
          if (!file) continue;
          // What is written: the statement, plus an unquoted here-document's body.
          const payload: Array<{ code: string; start: number; raw: string }> = [{ code, start: st.start, raw: st.code }];
          for (const l of lines) if (l.heredoc && l.heredoc.opener === st.lineIndex && l.heredoc.expands && !l.heredoc.terminator) payload.push({ code: l.text, start: l.start, raw: l.text });
          const hit = findTaint(payload, taint, job);
          if (!hit) continue;
          const loc: Location = entry.text.location(hit.offset, hit.offset + hit.length);
          report({
            message: `${jobLabel(job)} writes ${hit.what} into its dotenv report ${String(file.node.value)}; a newline in it defines any variable (LD_PRELOAD, BASH_ENV, NODE_OPTIONS...) for every later job that needs this one, above the variables of the file. Write only fixed names with validated values (e.g. strip newlines: printf 'X=%s\\n' "$(printf %s "$V" | tr -d '\\n')")`,
            location: loc,
            related: [related(file.node.at, 'the dotenv report is declared here'), ...hit.chain],
            confidence: hit.viaShell ? 'medium' : 'high',
            route: `${jobRoute(job)}:dotenv:${st.text.replace(/\s+/g, ' ')}`,
          });
        }
      }
    }
  },
};

function normalize(p: string): string {
  return p.trim().replace(/^["']|["']$/g, '').replace(/^\$\{?CI_PROJECT_DIR\}?\//, '').replace(/^\.\//, '');
}

/** The file a statement writes with `>`/`>>` or `tee`. */
function writeTarget(code: string): string | undefined {
  const m = /(?:[^<>&0-9]|^)(?:1)?>>?\s*("[^"]+"|'[^']+'|[^\s;|&<>]+)/.exec(code) ?? /\btee\s+(?:-a\s+|--append\s+)?("[^"]+"|[^\s;|&<>]+)/.exec(code);
  return m?.[1];
}

/** Free-text values only: a ref name cannot hold a newline, so it cannot add a variable. */
function findTaint(payload: Array<{ code: string; start: number; raw: string }>, taint: Map<string, Taint>, job: Job): { offset: number; length: number; what: string; chain: RelatedLocation[]; viaShell: boolean } | undefined {
  for (const p of payload) {
    const git = GIT_LOG_TEXT.exec(p.code);
    if (git) return { offset: p.start + git.index, length: git[0].length, what: 'a commit message read with git log', chain: [], viaShell: false };
    for (const m of p.code.matchAll(/(?<!\\)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const t = taint.get(m[1]!);
      if (!t || t.info.strength !== 'high' || !availableIn(t, job)) continue;
      if (newlinesStripped(p.raw, m.index!)) continue;
      const what = t.chain.length === 0 ? `$${m[1]} (${t.info.what})` : `$${m[1]} (carrying ${t.info.what} from ${t.source})`;
      return { offset: p.start + m.index!, length: m[0].length, what, chain: t.chain, viaShell: t.viaShell };
    }
  }
  return undefined;
}

export { newlinesStripped };
export type { ScalarVal };
