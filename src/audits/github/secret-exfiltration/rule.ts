import type { RelatedLocation } from '../../../core/finding.js';
import { RuleOptionsError, type Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { dialectOf } from '../../../platforms/github/dialect.js';
import { envReads, ScalarText } from '../../../shell/script.js';
import { envEntry, runStatements, secretsIn, words } from '../../../platforms/github/supply-chain.js';
import { stepName } from '../../../platforms/github/uses-policy.js';
import { related, stepSites } from '../util.js';

/** Hosts that legitimately receive tokens from workflows. `*.x` matches subdomains of x. */
export const DEFAULT_ALLOWED_HOSTS = [
  'github.com', 'api.github.com', 'uploads.github.com', '*.githubusercontent.com', '*.github.com', 'ghcr.io', 'pkg.github.com', '*.pkg.github.com',
  'registry.npmjs.org', 'registry.yarnpkg.com', 'pypi.org', 'upload.pypi.org', 'test.pypi.org', 'crates.io', 'rubygems.org', 'api.nuget.org', 'repo.maven.apache.org', 'central.sonatype.com', 's01.oss.sonatype.org', 'oss.sonatype.org',
  'docker.io', '*.docker.io', '*.docker.com', 'quay.io', 'gcr.io', '*.gcr.io', '*.pkg.dev', '*.azurecr.io',
  '*.amazonaws.com', '*.googleapis.com', 'management.azure.com', 'login.microsoftonline.com', '*.azurewebsites.net',
  'codecov.io', '*.codecov.io', 'coveralls.io', 'sonarcloud.io', 'api.cloudflare.com', 'api.vercel.com', 'api.netlify.com', 'api.heroku.com',
  'hooks.slack.com', 'slack.com', 'discord.com',
  'localhost', '127.0.0.1', '::1',
];

/** Services whose only use in a workflow is catching data: request bins, tunnels, paste sites. */
const SUSPICIOUS = /(?:^|\.)(?:webhook\.site|requestbin\.(?:com|net)|pipedream\.net|m\.pipedream\.net|ngrok\.(?:io|app|dev)|ngrok-free\.app|interact\.sh|oast\.(?:fun|live|me|online|pro|site)|burpcollaborator\.net|oastify\.com|pastebin\.com|transfer\.sh|hookbin\.com|beeceptor\.com|requestcatcher\.com|canarytokens\.com|trycloudflare\.com|serveo\.net|localtunnel\.me|loca\.lt|0x0\.st|termbin\.com)$/i;

const NET_TOOLS = /^(?:curl|wget|nc|ncat|netcat|socat|telnet|http|https|xh|invoke-webrequest|iwr|invoke-restmethod|irm|aria2c|openssl)(?:\.exe)?$/i;

function readAllowed(options: Readonly<Record<string, unknown>>): string[] {
  for (const key of Object.keys(options)) {
    if (key !== 'allowed-hosts') throw new RuleOptionsError(`unknown option "${key}"; expected "allowed-hosts"`);
  }
  const v = options['allowed-hosts'];
  if (v === undefined) return DEFAULT_ALLOWED_HOSTS;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^(?:\*\.)?[A-Za-z0-9_.:-]+$/.test(x))) {
    throw new RuleOptionsError('"allowed-hosts" must be a list of host names, optionally starting with "*." for subdomains');
  }
  return [...DEFAULT_ALLOWED_HOSTS, ...(v as string[])];
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  // Single-label names are service containers and hosts on the runner's own network.
  if (!h.includes('.') && !h.includes(':')) return true;
  return allowed.some((a) => {
    const p = a.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
  });
}

/** Host names a network command talks to, when written literally (expressions and variables are unknown). */
function hostsOf(code: string, text: string, command: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\b(?:https?|wss?|ftp):\/\/(?:[^@/\s"'`]*@)?(\[[0-9a-fA-F:]+\]|[^/\s"'`:?#)\]]+)/gi)) {
    const host = m[1]!;
    const at = m.index + m[0].length - host.length;
    const original = text.slice(at, at + host.length);
    if (/[${}]/.test(original)) continue; // `${{ ... }}` or `$HOST`: not known statically
    out.push(host.replace(/^\[|\]$/g, ''));
  }
  if (/^(?:nc|ncat|netcat|telnet)$/.test(command)) {
    const w = words(code);
    const i = w.findIndex((x) => x.replace(/^.*\//, '') === command);
    const args = w.slice(i + 1);
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      if (a.startsWith('-')) {
        if (/^-[psewiWqx]$/.test(a)) k++; // flags with a value
        continue;
      }
      if (/^[<>|&]/.test(a)) break;
      if (/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$|^\d{1,3}(?:\.\d{1,3}){3}$/.test(a)) out.push(a);
      break;
    }
  }
  if (command === 'socat' || command === 'openssl') {
    for (const m of code.matchAll(/\b(?:TCP4?|TCP6|UDP|OPENSSL|SSL)[:-]([A-Za-z0-9.-]+\.[A-Za-z0-9-]+):\d+/gi)) out.push(m[1]!);
    for (const m of code.matchAll(/-connect\s+([A-Za-z0-9.-]+\.[A-Za-z0-9-]+):\d+/g)) out.push(m[1]!);
  }
  return [...new Set(out.map((h) => h.toLowerCase()))];
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'secret-exfiltration',
    title: 'Secret sent to a host that is not on the allowlist',
    platform: 'github',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-6', 'CICD-SEC-4'],
    cwe: ['CWE-200', 'CWE-522'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const allowed = readAllowed(options);
    for (const site of stepSites(model)) {
      const { step } = site;
      if (!step.run || typeof step.run.value !== 'string') continue;
      const dialect = dialectOf(step, site.job, site.workflow);
      if (dialect === 'other') continue;
      let text: ScalarText | undefined;
      const who = `${stepName(step)}${site.job ? ` of job "${site.job.id}"` : ''}`;
      for (const rs of runStatements(step.run.value, dialect)) {
        const net = rs.segments.filter((s) => NET_TOOLS.test(s.command));
        if (net.length === 0) continue;
        // Which secrets reach the statement: expanded into it, or read from env vars bound to secrets.
        const secrets = new Map<string, RelatedLocation | undefined>();
        for (const s of secretsIn(rs.statement.text)) secrets.set(s, undefined);
        for (const name of envReads(rs.statement.code, dialect)) {
          const e = envEntry(site.scope.env, name);
          for (const s of secretsIn(e?.text)) if (!secrets.has(s)) secrets.set(s, related(site.source, e!.keyNode, `${e!.key} holds secret ${s}`));
        }
        if (secrets.size === 0) continue;
        const hosts = net.flatMap((s) => hostsOf(s.code, s.text, s.command));
        const bad = hosts.filter((h) => !hostAllowed(h, allowed));
        if (bad.length === 0) continue;
        const names = [...secrets.keys()];
        const host = bad.find((h) => SUSPICIOUS.test(h) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(h)) ?? bad[0]!;
        const suspicious = SUSPICIOUS.test(host) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
        text ??= new ScalarText(site.source, step.run);
        report({
          message: `${who} sends secret${names.length > 1 ? 's' : ''} ${names.join(', ')} with ${net[0]!.command} to ${host}, which is not an allowed host${suspicious ? ' and is a request-capture, tunnel or paste service or a bare IP address' : ''}; remove the secret from the request or add the host to "allowed-hosts" if it is yours`,
          location: text.location(rs.statement.start, rs.statement.end),
          related: [...secrets.values()].filter((r): r is RelatedLocation => r !== undefined),
          severity: suspicious ? 'high' : 'medium',
          confidence: suspicious ? 'high' : 'medium',
          route: `${site.route}.run:${names.join(',')}:${host}`,
        });
      }
    }
  },
};
