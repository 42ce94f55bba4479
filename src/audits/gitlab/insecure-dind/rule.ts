import type { RelatedLocation } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import { isDindImage } from '../../../platforms/gitlab/images.js';
import type { GitlabModel, ImageRef, Job, ScalarVal } from '../../../platforms/gitlab/model.js';
import { flatScalars, get, lookupVariable } from '../../../platforms/gitlab/parse.js';
import { jobsLabel, jobsOf, loc, placeKey, related } from '../util.js';

export const rule: Rule<GitlabModel> = {
  meta: {
    id: 'insecure-dind',
    title: 'Docker-in-Docker service exposes an unauthenticated daemon',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-306', 'CWE-319'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const byPlace = new Map<string, { value: ScalarVal; why: string; dind: ImageRef; jobs: Job[] }>();
    const add = (value: ScalarVal, why: string, dind: ImageRef, job: Job): void => {
      const k = placeKey(value.at);
      const hit = byPlace.get(k);
      if (hit) {
        if (!hit.jobs.includes(job)) hit.jobs.push(job);
      } else byPlace.set(k, { value, why, dind, jobs: [job] });
    };
    for (const job of jobsOf(model)) {
      const dind = job.services.find((s) => isDindImage(String(s.name.value)));
      if (!dind) continue;
      // A service's own variables win over the job's for the service container.
      const svcVars = get(dind.config, 'variables');
      const certdir = (svcVars?.kind === 'map' ? svcVars.entries.get('DOCKER_TLS_CERTDIR')?.value : undefined) ?? lookupVariable(job, 'DOCKER_TLS_CERTDIR')?.value;
      if (certdir?.kind === 'scalar' && (certdir.value === null || String(certdir.value).trim() === '')) {
        add(certdir, 'DOCKER_TLS_CERTDIR is empty, so the docker:dind service listens on tcp://0.0.0.0:2375 without TLS or authentication', dind, job);
      }
      const host = lookupVariable(job, 'DOCKER_HOST')?.value;
      if (host && /^tcp:\/\/[^/]*:2375\/?$/.test(String(host.value ?? '').trim())) {
        add(host, `DOCKER_HOST is ${String(host.value).trim()}, the plain-text, unauthenticated port of the docker:dind service`, dind, job);
      }
      for (const arg of [...flatScalars(get(dind.config, 'command')), ...flatScalars(get(dind.config, 'entrypoint'))]) {
        const t = String(arg.value);
        if (/--tls=false|--tls\s+false/.test(t) || /(?:-H|--host)[=\s]tcp:\/\/[^\s]*:2375/.test(t)) add(arg, `the docker:dind service is started with "${t.trim()}", a daemon without TLS`, dind, job);
      }
    }
    for (const { value, why, dind, jobs } of byPlace.values()) report(finding(value, why, dind, jobs));
  },
};

function finding(value: ScalarVal, why: string, dind: ImageRef, jobs: Job[]): RawFinding {
  const rel: RelatedLocation[] = [related(dind.name.at, 'the docker:dind service is declared here')];
  return {
    message: `${why} in ${jobsLabel(jobs)}: any container that can reach the service (other jobs on the runner host, pods on the cluster network) gets root on a privileged Docker daemon; keep DOCKER_TLS_CERTDIR: "/certs" and DOCKER_HOST: tcp://docker:2376`,
    location: loc(value.at),
    related: rel,
    route: `${value.at.file.repoPath}:dind:${why.split(' ')[0]}`,
  };
}
