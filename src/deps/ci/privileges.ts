import type { CiPrivilege } from './model.js';

/**
 * Credentials that publish packages or images, deploy, sign or reach a cloud account, by the
 * names people give them. A name-based guess (the values live in the CI settings), so a secret
 * that does not look like one of these is still counted, as an ordinary secret.
 */
const PUBLISHING = /(?:^|_)(?:NPM|NODE_AUTH|YARN_NPM|PYPI|TWINE|NUGET|RUBYGEMS|GEM_HOST|CARGO_REGISTRY|CRATES|DOCKER(?:HUB)?|REGISTRY|GHCR|PUBLISH|RELEASE|DEPLOY|SONATYPE|OSSRH|MAVEN|GRADLE_PUBLISH|GPG|SIGNING|PAT|GH_TOKEN|GITHUB_PAT|BOT_TOKEN|AWS|AZURE|GCP|GOOGLE_CREDENTIALS|GCLOUD|CLOUDFLARE|VERCEL|NETLIFY|HEROKU|FIREBASE|VSCE|OVSX|JSR|HEX|COCOAPODS|CHOCO)(?:_|$)/i;

export function secretPrivilege(name: string): CiPrivilege {
  return { kind: PUBLISHING.test(name) ? 'publish' : 'secret', name };
}

/** Environment-variable references (`$NAME`, `${NAME}`, `$(NAME)` in Azure) with publishing names. */
export function publishingVariables(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\$\{?\(?([A-Za-z_][A-Za-z0-9_.]*)/g)) {
    const name = m[1]!;
    if (PUBLISHING.test(name)) out.add(name);
  }
  return [...out];
}

export function dedupePrivileges(list: CiPrivilege[]): CiPrivilege[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.kind}\0${p.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
