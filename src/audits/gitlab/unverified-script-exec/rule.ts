import type { Rule } from '../../../core/rule.js';
import type { Location } from '../../../core/finding.js';
import type { GitlabModel, Job, ScriptLine } from '../../../platforms/gitlab/model.js';
import { downloadExecs, parseScript, ScalarText, type DownloadExec } from '../../../shell/script.js';
import { jobsLabel, jobsOf, placeKey } from '../util.js';
import { COMMIT_PINNED_URL, unverifiedExecMessage } from '../../download-exec.js';

/** Cheap prefilter: a group without any downloader cannot download and run anything. */
const DOWNLOAD_HINT = /curl|wget|iwr|irm|invoke-web|invoke-rest|webclient|\bhttp\b|fetch|aria2c/i;

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'unverified-script-exec',
    title: 'Downloaded script executed without verification',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-9'],
    cwe: ['CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    // GitLab runs before_script and script as one shell script (after_script in another): a
    // download in one line and its execution in a later line are one script, so the lines of a
    // job are joined before reading them, and each statement is mapped back to its own line.
    const byPlace = new Map<string, { d: DownloadExec; where: Placed; dl?: Placed; jobs: Job[] }>();
    const doneSeq = new Map<string, string[]>();
    for (const job of jobsOf(model)) {
      for (const group of [job.scripts.filter((l) => l.section !== 'after_script'), job.scripts.filter((l) => l.section === 'after_script')]) {
        if (group.length === 0 || !group.some((l) => DOWNLOAD_HINT.test(String(l.value.value)))) continue;
        // Jobs built from the same template share their lines: each distinct sequence is read once.
        const seqKey = group.map((l) => placeKey(l.value.at)).join('|');
        if (doneSeq.has(seqKey)) {
          for (const k of doneSeq.get(seqKey)!) byPlace.get(k)!.jobs.push(job);
          continue;
        }
        const keys: string[] = [];
        doneSeq.set(seqKey, keys);
        const parts: Array<{ line: ScriptLine; start: number; text: ScalarText }> = [];
        let joined = '';
        for (const line of group) {
          if (joined !== '') joined += '\n';
          parts.push({ line, start: joined.length, text: new ScalarText(line.value.at.file.source, line.value.scalar) });
          joined += String(line.value.value);
        }
        const place = (start: number, end: number): Placed => {
          let part = parts[0]!;
          for (const p of parts) if (p.start <= start) part = p;
          return { line: part.line, location: part.text.location(start - part.start, end - part.start) };
        };
        for (const d of downloadExecs(parseScript(joined, 'bash'))) {
          const where = place(d.statement.start, d.statement.end);
          const k = `${where.location.file}:${where.location.startLine}:${where.location.startColumn}`;
          const hit = byPlace.get(k);
          if (hit) {
            if (!hit.jobs.includes(job)) hit.jobs.push(job);
          } else byPlace.set(k, { d, where, ...(d.download ? { dl: place(d.download.start, d.download.end) } : {}), jobs: [job] });
          keys.push(k);
        }
      }
    }
    for (const { d, where, dl, jobs } of byPlace.values()) {
      const st = d.statement;
      const pinned = COMMIT_PINNED_URL.test(d.download?.code ?? st.code);
      report({
        message: `the ${where.line.section} of ${jobsLabel(jobs)} ${unverifiedExecMessage(d, pinned)}`,
        ...(pinned ? { severity: 'low' as const } : {}),
        location: where.location,
        related: dl ? [{ ...dl.location, message: `downloaded here with ${d.downloader}` }] : [],
        confidence: d.kind === 'file' ? 'medium' : 'high',
        route: `${where.line.value.at.file.repoPath}:${where.line.section}:${d.kind}:${st.text.replace(/\s+/g, ' ')}`,
      });
    }
  },
};

interface Placed {
  line: ScriptLine;
  location: Location;
}
