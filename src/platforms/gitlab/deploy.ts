import type { Job, ScalarVal } from './model.js';
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
  return undefined;
}
