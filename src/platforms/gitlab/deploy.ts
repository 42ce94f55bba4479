import type { Job, ScalarVal } from './model.js';
import { splitCode } from '../../shell/script.js';
import { str } from './parse.js';

/** What makes a job a deployment or a release, for the rules that care where such jobs run. */
export interface DeployKind {
  what: string;
  severity: 'high' | 'medium';
  /** The node that shows it (environment name, tier, or the publishing script line). */
  at: ScalarVal;
}

const PROD_ENV = /(?:^|[/_.-])(?:prod|production|live|release)(?:$|[/_.-])/i;
const STAGING_ENV = /(?:^|[/_.-])(?:staging|stage|preprod|pre-prod|uat)(?:$|[/_.-])/i;
const PUBLISH = /\b(?:(?:npm|yarn|pnpm)\s+(?:\S+\s+)*publish|twine\s+upload|gem\s+push|cargo\s+publish|poetry\s+publish|(?:\.\/)?gradlew?\s+(?:\S+\s+)*publish\w*|mvn\s+(?:\S+\s+)*deploy\b|dotnet\s+nuget\s+push|helm\s+push|goreleaser\s+release|release-cli\s+create|flit\s+publish|hatch\s+publish|uv\s+publish)\b/;

/**
 * Commands that change a running system: cluster, infrastructure, serverless and hosting deploys.
 * Read only for jobs without an `environment:`: when a job names one (a review app, a dev
 * namespace), that name says where the command deploys, and the environment checks above decide.
 */
const INFRA_DEPLOY = new RegExp(
  [
    String.raw`\bkubectl\s+(?:-{1,2}\S+\s+(?:[^-\s]\S*\s+)?)*(?:apply|create|replace|patch|set\s+image|rollout\s+restart)\b`,
    String.raw`\bhelm(?:file)?\s+(?:-{1,2}\S+\s+(?:[^-\s]\S*\s+)?)*(?:upgrade|install|apply|sync)\b`,
    String.raw`\b(?:terraform|tofu|terragrunt)\s+(?:-chdir=\S+\s+)?(?:run-all\s+)?(?:apply|destroy)\b`,
    String.raw`\bpulumi\s+(?:-{1,2}\S+\s+)*(?:up|update|destroy)\b`,
    String.raw`\bcdk\s+(?:-{1,2}\S+\s+)*deploy\b`,
    String.raw`\baws\s+(?:cloudformation\s+deploy|ecs\s+update-service|lambda\s+update-function-code|deploy\s+create-deployment)\b`,
    String.raw`\bgcloud\s+(?:(?:beta|alpha)\s+)?(?:run|app|functions)\s+deploy\b`,
    String.raw`\baz\s+(?:webapp\s+deploy|webapp\s+deployment|functionapp\s+deployment|containerapp\s+update)\b`,
    String.raw`\b(?:serverless|sls|firebase|flyctl|fly)\s+(?:-{1,2}\S+\s+)*deploy\b`,
    String.raw`\brailway\s+up\b`,
    String.raw`\b(?:vercel|netlify\s+deploy)\b[^\n]*\s--prod\b`,
  ].join('|'),
);
const DOCKER_PUSH = /\b(?:docker|podman|buildah)\s+push\s+(?:-{1,2}\S+\s+)*(\S+)/;
const DRY_RUN = /--dry-run\b|--snapshot\b|\s-n\b(?=[^\n]*\bpublish\b)|\bterraform\s+plan\b/;

export function deployKind(job: Job): DeployKind | undefined {
  const env = job.environment;
  if (env && !['stop', 'prepare', 'access', 'verify'].includes(env.action ?? 'start')) {
    const tier = env.tier ? str(env.tier) : undefined;
    const name = env.name ? str(env.name) : undefined;
    if (tier === 'production' && env.tier) return { what: `deploys to the production tier (environment "${name ?? '?'}")`, severity: 'high', at: env.tier };
    if (name && env.name && !/\$/.test(name.replace(/\$\{?CI_DEFAULT_BRANCH\}?/g, '')) && PROD_ENV.test(name)) return { what: `deploys to environment "${name}"`, severity: 'high', at: env.name };
    if (tier === 'staging' && env.tier) return { what: `deploys to the staging tier (environment "${name ?? '?'}")`, severity: 'medium', at: env.tier };
    if (name && env.name && !name.includes('$') && STAGING_ENV.test(name)) return { what: `deploys to environment "${name}"`, severity: 'medium', at: env.name };
  }
  for (const line of job.scripts) {
    const text = typeof line.value.value === 'string' ? line.value.value : '';
    const m = PUBLISH.exec(text.replace(/(^|\n)\s*#[^\n]*/g, '$1'));
    if (m && !/--dry-run|--snapshot/.test(text)) return { what: `publishes a release ("${m[0].replace(/\s+/g, ' ')}")`, severity: 'high', at: line.value };
  }
  if (env) return undefined;
  for (const line of job.scripts) {
    const text = typeof line.value.value === 'string' ? line.value.value.replace(/(^|\n)\s*#[^\n]*/g, '$1') : '';
    for (const command of commandsOf(text)) {
      if (DRY_RUN.test(command)) continue;
      const deploy = INFRA_DEPLOY.exec(command);
      if (deploy?.index === 0) return { what: `deploys with "${deploy[0].replace(/\s+/g, ' ').trim()}"`, severity: 'medium', at: line.value };
      const push = DOCKER_PUSH.exec(command);
      const tag = push?.index === 0 ? sharedTag(expand(push[1]!, job, text)) : undefined;
      if (tag) return { what: `pushes image tag "${tag}" (${push![1]}), which every branch's pipeline overwrites`, severity: 'medium', at: line.value };
    }
  }
  return undefined;
}

/** Each simple command of a script, starting at its command word (`sudo`, `env`, `X=1` prefixes dropped). */
function commandsOf(script: string): string[] {
  const out: string[] = [];
  for (const line of script.split('\n')) {
    for (const span of splitCode(line, 'statements')) {
      out.push(line.slice(span.start, span.end).replace(/^(?:(?:sudo|env|time|exec|command)\s+(?:-\S+\s+)*|[A-Za-z_]\w*=(?:"[^"]*"|'[^']*'|\S*)\s+)+/, ''));
    }
  }
  return out;
}

/**
 * The tag of a pushed image reference when it is one every branch writes: none (`latest`) or a
 * literal (`latest`, `stable`, `1.2`). A tag made from the branch, commit or pipeline
 * (`$CI_COMMIT_REF_SLUG`, `$CI_COMMIT_SHA`, ...) or from anything unresolved is not reported.
 */
function sharedTag(ref: string): string | undefined {
  const image = ref.replace(/^["']|["']$/g, '').split('@')[0]!;
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  const tag = colon === -1 ? 'latest' : image.slice(colon + 1);
  if (tag.includes('$') || tag === '') return undefined;
  return tag;
}

/** `$NAME`/`${NAME}` from the job's variables and `NAME=value` lines of its script, a few rounds deep. */
function expand(ref: string, job: Job, script: string): string {
  const values = new Map<string, string>();
  for (const v of job.variables) if (v.expand && typeof v.value?.value === 'string') values.set(v.name, v.value.value);
  for (const m of script.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"\n]*"|'[^'\n]*'|\S*)/gm)) values.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  let out = ref;
  for (let round = 0; round < 4 && out.includes('$'); round++) {
    out = out.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => values.get(name) ?? whole);
  }
  return out;
}
