import type { Node, Scalar } from 'yaml';
import type { Location, RelatedLocation } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import { actionName, withText } from '../../../platforms/github/action-inputs.js';
import type { Entry, GithubModel, Step } from '../../../platforms/github/model.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { ScalarText } from '../../../shell/script.js';
import { runStatements, secretsIn, words } from '../../../platforms/github/supply-chain.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import { goreleaserActionPublishes, goreleaserPublishes, loc, jobSites, related, type JobSite } from '../util.js';

/** Actions that publish, release or deploy (lower-case owner/repo), with a predicate for the ones that only sometimes do. */
const DEPLOY_ACTIONS: Record<string, ((step: Step) => boolean) | true> = {
  'pypa/gh-action-pypi-publish': true,
  'jamesives/github-pages-deploy-action': true,
  'peaceiris/actions-gh-pages': true,
  'aws-actions/amazon-ecs-deploy-task-definition': true,
  'aws-actions/aws-cloudformation-github-deploy': true,
  'azure/webapps-deploy': true,
  'azure/functions-action': true,
  'azure/k8s-deploy': true,
  'azure/static-web-apps-deploy': true,
  'azure/arm-deploy': true,
  'google-github-actions/deploy-cloudrun': true,
  'google-github-actions/deploy-appengine': true,
  'google-github-actions/upload-cloud-storage': true,
  'cloudflare/wrangler-action': true,
  'cloudflare/pages-action': true,
  'amondnet/vercel-action': true,
  'nwtgck/actions-netlify': true,
  'firebaseextended/action-hosting-deploy': true,
  'akhileshns/heroku-deploy': true,
  'superfly/flyctl-actions': true,
  'appleboy/ssh-action': true,
  'appleboy/scp-action': true,
  'easingthemes/ssh-deploy': true,
  'samkirkland/ftp-deploy-action': true,
  'burnett01/rsync-deployments': true,
  'softprops/action-gh-release': true,
  'ncipollo/release-action': true,
  'svenstaro/upload-release-action': true,
  'goreleaser/goreleaser-action': (s) => goreleaserActionPublishes((k) => withText(s, k)),
  'rubygems/release-gem': true,
  'helm/chart-releaser-action': true,
  'docker/build-push-action': (s) => /^\s*true\s*$/i.test(withText(s, 'push') ?? ''),
  'changesets/action': (s) => withText(s, 'publish') !== undefined,
};

/** What a command line publishes or deploys, if anything. */
function deployCommand(w: string[], command: string): string | undefined {
  // `npx netlify deploy`, `pnpm dlx vercel --prod`: the tool is the next word.
  if (/^(?:npx|pnpx|bunx)$/.test(command) || (/^(?:pnpm|yarn)$/.test(command) && w.map((x) => x.toLowerCase()).includes('dlx'))) {
    const j = w.findIndex((x) => x.replace(/^.*\//, '').toLowerCase() === command);
    const rest = w.slice(j + 1).filter((x) => !x.startsWith('-') && x.toLowerCase() !== 'dlx');
    const tool = rest[0]?.replace(/@[^/]*$/, '').replace(/^.*\//, '').toLowerCase();
    return tool && tool !== command ? deployCommand(rest, tool) : undefined;
  }
  const i = w.findIndex((x) => x.replace(/^.*\//, '').toLowerCase() === command);
  const rest = w.slice(i + 1).map((x) => x.toLowerCase());
  const args = rest.filter((x) => !x.startsWith('-'));
  const has = (...xs: string[]): boolean => xs.every((x) => args.includes(x));
  const sub = args[0];
  switch (command) {
    case 'npm':
    case 'pnpm':
    case 'flit':
    case 'hatch':
    case 'uv':
    case 'poetry':
    case 'pdm':
      return sub === 'publish' ? `${command} publish` : undefined;
    case 'yarn':
      return sub === 'publish' || has('npm', 'publish') ? 'yarn publish' : undefined;
    case 'twine':
      return sub === 'upload' ? 'twine upload' : undefined;
    case 'goreleaser':
      return goreleaserPublishes(w.slice(i + 1)) ? 'goreleaser release' : undefined;
    case 'cargo':
      return sub === 'publish' ? 'cargo publish' : undefined;
    case 'gem':
      return sub === 'push' ? 'gem push' : undefined;
    case 'docker':
    case 'podman':
      return sub === 'push' || (rest.includes('--push') && (has('build') || has('buildx'))) ? `${command} push` : undefined;
    case 'kubectl': {
      // Flags with values (`--kubeconfig f`, `-n ns`) come before the verb, so look for the verb anywhere.
      const verb = args.find((a) => ['apply', 'create', 'replace', 'rollout', 'set', 'patch'].includes(a));
      return verb ? `kubectl ${verb}` : undefined;
    }
    case 'helm': {
      const verb = args.find((a) => ['install', 'upgrade', 'push'].includes(a));
      return verb ? `helm ${verb}` : undefined;
    }
    case 'terraform':
    case 'tofu':
    case 'terragrunt':
      return sub === 'apply' || sub === 'destroy' || (command === 'terragrunt' && sub === 'run-all' && args[1] === 'apply') ? `${command} ${sub}` : undefined;
    case 'pulumi':
      return sub === 'up' || sub === 'destroy' ? `pulumi ${sub}` : undefined;
    case 'cdk':
    case 'serverless':
    case 'sls':
    case 'firebase':
    case 'netlify':
    case 'fly':
    case 'flyctl':
    case 'eb':
      return sub === 'deploy' ? `${command} deploy` : undefined;
    case 'vercel':
      return sub === 'deploy' || rest.includes('--prod') ? 'vercel deploy' : undefined;
    case 'wrangler':
      return sub === 'deploy' || sub === 'publish' || has('pages', 'deploy') ? `wrangler ${sub}` : undefined;
    case 'gcloud':
      return args.includes('deploy') ? 'gcloud deploy' : undefined;
    case 'az':
      return args.includes('deploy') || has('webapp', 'up') ? 'az deploy' : undefined;
    case 'aws':
      if (sub === 's3' && (args[1] === 'sync' || args[1] === 'cp')) return `aws s3 ${args[1]}`;
      if (has('cloudformation', 'deploy') || has('ecs', 'update-service') || has('lambda', 'update-function-code')) return `aws ${args.slice(0, 2).join(' ')}`;
      return undefined;
    case 'mvn':
    case 'mvnw':
      return args.includes('deploy') ? 'mvn deploy' : undefined;
    case 'gradle':
    case 'gradlew':
      return args.some((a) => /^publish/.test(a)) ? 'gradle publish' : undefined;
    case 'dotnet':
      return has('nuget', 'push') ? 'dotnet nuget push' : undefined;
    case 'nuget':
      return sub === 'push' ? 'nuget push' : undefined;
    default:
      return undefined;
  }
}

interface Evidence {
  what: string;
  location: Location;
}

function stepDeploys(site: JobSite, step: Step): Evidence | undefined {
  const name = actionName(step);
  if (name) {
    const key = Object.keys(DEPLOY_ACTIONS).find((k) => name === k || name.startsWith(`${k}/`));
    const p = key ? DEPLOY_ACTIONS[key] : undefined;
    if (p && (p === true || p(step))) return { what: `${stepName(step)} (${key})`, location: loc(site.source, step.uses!.node) };
  }
  if (step.run && typeof step.run.value === 'string') {
    const dialect = dialectOf(step, site.job, site.workflow);
    if (dialect === 'other') return undefined;
    for (const rs of runStatements(step.run.value, dialect)) {
      for (const seg of rs.segments) {
        const what = deployCommand(words(seg.code), seg.command.replace(/\.(?:exe|cmd|bat)$/, ''));
        if (what) return { what: `${stepName(step)} (${what})`, location: new ScalarText(site.source, step.run).location(rs.statement.start, rs.statement.end) };
      }
    }
  }
  return undefined;
}

/** Secrets other than the automatic GITHUB_TOKEN that the job reads, with the first place each is read. */
function jobSecrets(site: JobSite): Map<string, RelatedLocation> {
  const out = new Map<string, RelatedLocation>();
  const add = (text: string | undefined, node: Node | null | undefined): void => {
    for (const s of secretsIn(text)) if (s !== 'GITHUB_TOKEN' && !out.has(s)) out.set(s, related(site.source, node, `secret ${s} is read here`));
  };
  const entries = (list: Entry[]): void => list.forEach((e) => add(e.text, e.value));
  entries(site.workflow.env);
  entries(site.job.env);
  for (const step of site.job.steps) {
    entries(step.env);
    entries(step.with);
    if (step.run) add(String((step.run as Scalar).value ?? ''), step.run);
  }
  return out;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unprotected-deployment',
    title: 'Deployment job with secrets but no environment',
    platform: 'github',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-1', 'CICD-SEC-6'],
    cwe: ['CWE-284'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of jobSites(model)) {
      const { job } = site;
      // An environment can carry protection rules; a reusable-workflow call sets it in the callee.
      if (job.environment || job.uses) continue;
      const evidence = job.steps.map((s) => stepDeploys(site, s)).find((e): e is Evidence => e !== undefined);
      if (!evidence) continue;
      const secrets = jobSecrets(site);
      if (secrets.size === 0) continue;
      const names = [...secrets.keys()];
      report({
        message: `job "${job.id}" publishes or deploys in ${evidence.what} with secret${names.length > 1 ? 's' : ''} ${names.join(', ')} but has no environment:, so no required reviewer, branch rule or wait timer guards those credentials; move them into a protected environment and set environment: on the job`,
        location: loc(site.source, job.idNode),
        related: [{ ...evidence.location, message: 'publishes or deploys here' }, secrets.get(names[0]!)!],
        route: `jobs.${job.id}:deploy:${names.join(',')}`,
      });
    }
  },
};
