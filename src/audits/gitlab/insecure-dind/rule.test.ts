import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('insecure-dind (gitlab)', () => {
  it('flags TLS turned off and a plain-text DOCKER_HOST for a dind service', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        variables:
          DOCKER_TLS_CERTDIR: ""
          DOCKER_HOST: tcp://docker:2375
        build:
          image: docker:27
          services: [docker:27-dind]
          script: [docker build .]
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:2:23-2:25 medium/high DOCKER_TLS_CERTDIR is empty, so the docker:dind service listens on tcp://0.0.0.0:2375 without TLS or authentication in job "build": any container that can reach the service (other jobs on the runner host, pods on the cluster network) gets root on a privileged Docker daemon; keep DOCKER_TLS_CERTDIR: "/certs" and DOCKER_HOST: tcp://docker:2376',
      '.gitlab-ci.yml:3:16-3:33 medium/high DOCKER_HOST is tcp://docker:2375, the plain-text, unauthenticated port of the docker:dind service in job "build": any container that can reach the service (other jobs on the runner host, pods on the cluster network) gets root on a privileged Docker daemon; keep DOCKER_TLS_CERTDIR: "/certs" and DOCKER_HOST: tcp://docker:2376',
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(6);
  });

  it('flags a service started with --tls=false', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          build:
            services:
              - name: docker:dind
                command: ["--tls=false"]
            script: [docker info]
        `,
      }),
    ).toHaveLength(1);
  });

  it('does not flag TLS setups, or jobs without a dind service', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            DOCKER_TLS_CERTDIR: ""
          build:
            services:
              - name: docker:dind
                variables:
                  DOCKER_TLS_CERTDIR: /certs
            script: [docker info]
          other:
            script: [make]
        `,
      }),
    ).toEqual([]);
  });
});
