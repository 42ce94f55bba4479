import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unprotected-deployment (gitlab)', () => {
  it('flags a production deployment with no rules, and a publish job on every branch', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        deploy:
          environment: production
          script: [./deploy.sh]
        publish:
          rules:
            - if: $CI_COMMIT_BRANCH
          script:
            - npm publish
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:1:1-1:7 high/medium job "deploy" deploys to environment "production" and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:4:1-4:8 high/medium job "publish" publishes a release ("npm publish") and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
    ]);
    expect(findings[1]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['8:the deployment is declared here', '6:this rule lets the job run there']);
  });

  it('flags a staging deployment that also runs for merge requests, at medium', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          stage:
            environment:
              name: staging
            rules:
              - if: $CI_MERGE_REQUEST_IID
            script: [./deploy.sh]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:1:1-1:6 medium/medium job "stage" deploys to environment "staging" and may run in merge request pipelines (from forks too), where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
    ]);
  });

  it('does not flag deployments restricted to the default branch, protected refs, tags or named branches', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            environment: production
            rules:
              - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
            script: [./deploy.sh]
          b:
            environment: { name: prod, deployment_tier: production }
            rules:
              - if: $CI_COMMIT_TAG =~ /^v\\d+/
            script: [./deploy.sh]
          c:
            environment: production
            only: [main]
            script: [./deploy.sh]
          d:
            environment: production
            rules:
              - if: $CI_COMMIT_REF_PROTECTED == "true"
            script: [./deploy.sh]
          e:
            environment: production
            rules:
              - if: $CI_COMMIT_BRANCH =~ /^release\\//
            script: [./deploy.sh]
          review:
            environment: review/$CI_COMMIT_REF_SLUG
            script: [./deploy.sh]
          stop:
            environment: { name: production, action: stop }
            script: [./teardown.sh]
        `,
      }),
    ).toEqual([]);
  });

  it('honours workflow:rules that keep the pipeline to the default branch', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          workflow:
            rules:
              - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
          deploy:
            environment: production
            script: [./deploy.sh]
        `,
      }),
    ).toEqual([]);
  });

  it('jobs without environment: cluster, infrastructure and cloud deploy commands, and image tags every branch overwrites (medium)', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            RELEASE_IMAGE: $CI_REGISTRY_IMAGE:stable
          k8s:
            script:
              - kubectl config use-context acme/infra:prod
              - kubectl -n shop apply -f k8s/
          infra:
            script:
              - cd terraform && terraform init && terraform apply -auto-approve
          run:
            script: [gcloud run deploy shop --image "$IMAGE"]
          image-latest:
            script:
              - docker build -t $CI_REGISTRY_IMAGE .
              - docker push $CI_REGISTRY_IMAGE
          image-stable:
            script: [docker push "$RELEASE_IMAGE"]
          image-script-var:
            script:
              - TARGET=registry.example.com/shop:latest
              - docker push $TARGET
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:3:1-3:4 medium/medium job "k8s" deploys with "kubectl -n shop apply" and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:7:1-7:6 medium/medium job "infra" deploys with "terraform apply" and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:10:1-10:4 medium/medium job "run" deploys with "gcloud run deploy" and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:12:1-12:13 medium/medium job "image-latest" pushes image tag "latest" ($CI_REGISTRY_IMAGE), which every branch\'s pipeline overwrites and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:16:1-16:13 medium/medium job "image-stable" pushes image tag "stable" ("$RELEASE_IMAGE"), which every branch\'s pipeline overwrites and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:18:1-18:17 medium/medium job "image-script-var" pushes image tag "latest" ($TARGET), which every branch\'s pipeline overwrites and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
    ]);
  });

  it('does not read deploy commands as deployments when they are not: dry runs, plans, per-branch image tags, unknown tags, review environments, protected refs', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            IMAGE: $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
          plan:
            script: [terraform plan -out plan.tfplan, kubectl apply --dry-run=client -f k8s/, helm upgrade --install shop ./chart --dry-run]
          tools:
            script: [helm repo add bitnami https://charts.bitnami.com/bitnami, helm plugin install https://github.com/databus23/helm-diff, kubectl get pods]
          image-branch:
            script:
              - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
              - docker push "$IMAGE"
          image-unknown:
            script: [docker push $CI_REGISTRY_IMAGE:$VERSION]
          review:
            environment:
              name: review/$CI_COMMIT_REF_SLUG
            script: [kubectl -n review-$CI_COMMIT_REF_SLUG apply -f k8s/]
          main-only:
            rules:
              - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
            script: [terraform apply -auto-approve, docker push $CI_REGISTRY_IMAGE:latest]
          # kubectl apply -f k8s/ in a comment
          notes:
            script:
              - echo "run terraform apply by hand"
        `,
      }),
    ).toEqual([]);
  });
});
