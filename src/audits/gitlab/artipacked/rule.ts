import type { RelatedLocation, Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { GitlabModel, Job, ScalarVal } from '../../../platforms/gitlab/model.js';
import { flatScalars, get, str } from '../../../platforms/gitlab/parse.js';
import { blankSingleQuoted } from '../../../shell/script.js';
import { parsedLine } from '../../../platforms/gitlab/script.js';
import { isTruthy, jobsLabel, jobsOf, loc, placeKey } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'artipacked',
    title: 'Job artifacts include the .git folder or credential files',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-538', 'CWE-522'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const byPlace = new Map<string, { value: ScalarVal; what: Hit; jobs: Job[]; restricted: boolean; rel?: RelatedLocation }>();
    for (const job of jobsOf(model)) {
      const art = job.artifacts;
      if (!art) continue;
      const access = str(get(art, 'access'));
      if (access === 'none') continue; // nobody can download them
      const restricted = str(get(art, 'public')) === 'false' || access === 'developer' || access === 'maintainer';
      const add = (value: ScalarVal, what: Hit, rel?: RelatedLocation): void => {
        const k = placeKey(value.at);
        const hit = byPlace.get(k);
        if (hit) {
          if (!hit.jobs.includes(job)) hit.jobs.push(job);
        } else byPlace.set(k, { value, what, jobs: [job], restricted, ...(rel ? { rel } : {}) });
      };
      for (const p of flatScalars(get(art, 'paths'))) {
        const what = classifyPath(String(p.value));
        if (what) add(p, what);
      }
      const untracked = get(art, 'untracked');
      if (untracked?.kind === 'scalar' && isTruthy(str(untracked))) {
        const written = credentialWrites(job);
        if (written) add(untracked, { what: `every untracked file, including ${written.file} that the job writes`, severity: 'high' }, written.rel);
      }
    }
    for (const { value, what, jobs, restricted, rel } of byPlace.values()) report(finding(value, what, jobs, restricted, rel));
  },
};

interface Hit {
  what: string;
  severity: Severity;
}

const CREDENTIAL_FILE = /(?:^|\/)(?:\.npmrc|\.yarnrc\.yml|\.pypirc|\.netrc|\.git-credentials|\.pgpass|\.env(?:\.(?!example$|sample$|template$|dist$)[\w.-]+)?|id_(?:rsa|dsa|ecdsa|ed25519)|kubeconfig|credentials(?:\.json)?|[\w.-]*service[-_]account[\w.-]*\.json|[\w.-]+\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx)|[\w.-]*\.tfstate(?:\.backup)?)$/i;
const CREDENTIAL_DIR = /(?:^|\/)(?:\.docker\/config\.json|\.kube\/config|\.aws\/credentials|\.ssh\/[^/]*|\.gnupg\/.*|\.terraform\.d\/credentials\.tfrc\.json)$/i;

export function classifyPath(raw: string): Hit | undefined {
  const p = raw.trim().replace(/^\$\{?CI_PROJECT_DIR\}?\/?/, '').replace(/^\.\//, '').replace(/\/+$/, '');
  if (p === '.git' || p.startsWith('.git/') || /(?:^|\/)\.git(?:\/|$)/.test(p)) return { what: 'the .git folder (the repository history; older runners also leave the job token in .git/config)', severity: 'medium' };
  if (p === '' || p === '.' || p === '*' || p === '**' || p === '**/*' || p === './**') return { what: 'the whole project folder, .git included', severity: 'medium' };
  if (CREDENTIAL_DIR.test(p) || CREDENTIAL_FILE.test(p)) return { what: `the credential file ${raw.trim()}`, severity: 'high' };
  if (/(?:^|\/)\*\.(?:pem|key|p12|pfx|jks|keystore)$/i.test(p)) return { what: `key files (${raw.trim()})`, severity: 'high' };
  return undefined;
}

/** A redirect or `tee` that writes a credential file in the project folder. */
function credentialWrites(job: Job): { file: string; rel: RelatedLocation } | undefined {
  for (const line of job.scripts) {
    if (typeof line.value.value !== 'string') continue;
    for (const st of parsedLine(line.value).statements) {
      const code = blankSingleQuoted(st.code);
      const m = /(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?([^\s"';|&]+)/.exec(code);
      if (!m) continue;
      const target = m[1]!.replace(/^\$\{?CI_PROJECT_DIR\}?\//, '');
      if (/^(?:~|\/|\$\{?HOME)/.test(target)) continue; // outside the project folder
      if (CREDENTIAL_FILE.test(target)) return { file: target, rel: { ...loc(line.value.at), message: `${target} is written here` } };
    }
  }
  return undefined;
}

const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };

function finding(value: ScalarVal, hit: Hit, jobs: Job[], restricted: boolean, rel?: RelatedLocation): RawFinding {
  return {
    message: `the artifacts of ${jobsLabel(jobs)} include ${hit.what}; ${restricted ? 'project members' : 'anyone who can see the pipeline'} can download them${restricted ? '' : ' (set artifacts:access: developer at least)'}; list only the build outputs in artifacts:paths`,
    location: loc(value.at),
    severity: restricted ? LOWER[hit.severity] : hit.severity,
    confidence: hit.what.startsWith('every untracked') || hit.what.startsWith('the whole') ? 'medium' : 'high',
    ...(rel ? { related: [rel] } : {}),
    route: `${value.at.file.repoPath}:artifacts:${String(value.value)}`,
  };
}
