import type { Rule } from '../../../core/rule.js';
import { jobRuns, SITUATION_TEXT } from '../../../platforms/gitlab/conditions.js';
import { deployKind } from '../../../platforms/gitlab/deploy.js';
import type { CacheSpec, GitlabModel, Job, Val } from '../../../platforms/gitlab/model.js';
import { flatScalars, get, str } from '../../../platforms/gitlab/parse.js';
import { isTruthy, jobLabel, jobRoute, loc, related } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'cache-poisoning',
    title: 'Cache written by untrusted pipelines and restored by a release job',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'low',
    owasp: ['CICD-SEC-9', 'CICD-SEC-4'],
    cwe: ['CWE-349', 'CWE-345'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const p of model.pipelines) {
      const writers: Array<{ job: Job; cache: CacheSpec; key: string; where: string }> = [];
      const readers: Array<{ job: Job; cache: CacheSpec; key: string; why: string }> = [];
      for (const job of p.jobs) {
        for (const cache of job.cache) {
          const key = keyText(cache.key);
          if (key === undefined) continue;
          const untrusted = (['branch', 'merge_request'] as const).filter((s) => jobRuns(job, s).runs);
          if (untrusted.length > 0 && cache.policy !== 'pull') writers.push({ job, cache, key, where: untrusted.map((s) => SITUATION_TEXT[s]).join(' and ') });
          const kind = deployKind(job);
          if (kind && cache.policy !== 'push' && (jobRuns(job, 'default_branch').runs || jobRuns(job, 'tag').runs)) readers.push({ job, cache, key, why: kind.what });
        }
      }
      const done = new Set<string>();
      for (const w of writers) {
        const r = readers.find((x) => x.key === w.key && x.job !== w.job);
        if (!r) continue;
        const at = w.cache.key?.at ?? w.cache.at;
        const id = `${at.file.repoPath}:${at.node.range?.[0]}:${r.job.name}`;
        if (done.has(id)) continue;
        done.add(id);
        const unprotect = [w.cache.unprotect, r.cache.unprotect].find((u) => u && isTruthy(str(u)));
        report({
          message: `${jobLabel(w.job)} runs in ${w.where} and saves cache "${w.key}", which ${jobLabel(r.job)} (it ${r.why}) restores${unprotect ? '; unprotect: true shares it across protected and unprotected refs' : '; only GitLab\'s "Use separate caches for protected branches" setting (on by default) keeps them apart'}. Give release jobs their own cache key, or policy: pull in untrusted jobs`,
          location: loc(at),
          related: [related(r.cache.key?.at ?? r.cache.at, `${jobLabel(r.job)} restores the same cache here`), ...(unprotect ? [related(unprotect.at, 'unprotect: true is set here')] : [])],
          severity: unprotect ? 'high' : 'medium',
          confidence: unprotect ? 'high' : 'low',
          route: `${jobRoute(w.job)}:cache:${w.key}:${r.job.name}`,
        });
      }
    }
  },
};

/** Variables that make a key unique per pipeline or job: such caches are never shared. */
const UNIQUE = /\$\{?CI_(?:COMMIT_SHA|COMMIT_SHORT_SHA|PIPELINE_ID|PIPELINE_IID|JOB_ID|CONCURRENT_ID)\b/;

/** The cache key as a comparable text; `default` when none; undefined when unique per pipeline. */
function keyText(key: Val | undefined): string | undefined {
  if (!key) return 'default';
  if (key.kind === 'scalar') {
    const t = String(key.value ?? '').trim();
    if (UNIQUE.test(t)) return undefined;
    return t === '' ? 'default' : t;
  }
  if (key.kind === 'map') {
    // `key: files:` hashes lock files: a merge request that leaves them alone gets the same key.
    const files = flatScalars(get(key, 'files')).map((f) => String(f.value)).sort().join(',');
    const prefix = str(get(key, 'prefix')) ?? '';
    if (UNIQUE.test(prefix)) return undefined;
    return `${prefix}${prefix ? '-' : ''}files(${files})`;
  }
  return undefined;
}
