import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Step } from '../../../platforms/azure/model.js';
import { input, taskName } from '../../../platforms/azure/scripts.js';
import { jobSites, loc, related, stepKey } from '../util.js';

const PUBLISH_PATH_INPUTS: Record<string, string[]> = {
  publishpipelineartifact: ['targetpath', 'path'],
  publishbuildartifacts: ['pathtopublish'],
  universalpackages: ['publishdirectory'],
  archivefiles: ['rootfolderorfile'],
};

/** `$(Build.SourcesDirectory)` and its aliases: the checkout, `.git` included. */
// The checkout's root by its variables, or `$(Pipeline.Workspace)/s` (where a single checkout
// lands: Build.SourcesDirectory is that folder), or the working directory itself.
const SOURCES_ROOT = /^\s*\$\((?:(?:build\.sourcesdirectory|build\.repository\.localpath|system\.defaultworkingdirectory)\)|pipeline\.workspace\)[\\/]s)\s*[\\/]?\s*$|^\s*\.?\/?\s*$/i;
const DOT_GIT = /(?:^|[\\/])\.git(?:[\\/]|$)/;

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'artipacked',
    title: 'Checkout credentials persisted on disk or published with an artifact',
    platform: 'azure',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-522', 'CWE-538'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { job, route } of jobSites(model)) {
      const persisted = job.steps.filter((s) => s.checkout && /^true$/i.test(s.checkout.persistCredentials ? (s.ctx.view.text(s.checkout.persistCredentials) ?? '') : ''));
      const published = job.steps.flatMap((s) => publishedPath(s) ?? []);
      for (const s of persisted) {
        const leak = published.find((p) => p.step.index > s.index && (p.kind === 'root' || p.kind === 'git'));
        report({
          message: leak
            ? `checkout of "${s.checkout!.target}" persists the job's access token in .git/config and step "${leak.step.label}" publishes ${leak.kind === 'git' ? 'the .git directory' : 'the whole checkout'} as an artifact: anyone who can download it gets the token; drop persistCredentials or publish only build outputs`
            : `checkout of "${s.checkout!.target}" persists the job's access token in .git/config, where every later step and every tool it runs (build scripts, dependencies, tests of the checked-out code) can read it; remove persistCredentials: true unless a later step must push, and keep that step minimal`,
          location: loc(s.ctx, s.checkout!.persistCredentials),
          related: leak ? [related(leak.step.ctx, leak.node, 'published here')] : [],
          severity: leak ? 'high' : 'medium',
          confidence: 'high',
          route: `${route}.steps[${stepKey(s)}].persistCredentials`,
        });
      }
      for (const p of published) {
        if (p.kind !== 'git') continue;
        if (persisted.some((s) => s.index < p.step.index)) continue; // reported with the checkout
        report({
          message: `step "${p.step.label}" publishes a .git directory as an artifact: it carries the full history (including removed secrets) and any credentials a tool wrote to .git/config; publish only build outputs`,
          location: loc(p.step.ctx, p.node),
          severity: 'medium',
          confidence: 'medium',
          route: `${route}.steps[${stepKey(p.step)}]:publish-git`,
        });
      }
    }
  },
};

function publishedPath(step: Step): { step: Step; node: import('yaml').Node; kind: 'root' | 'git' } | undefined {
  let text: string | undefined;
  let node: import('yaml').Node | undefined;
  if (step.kind === 'publish' && step.value) {
    text = String(step.value.value ?? '');
    node = step.value;
  } else {
    const name = taskName(step);
    for (const key of (name && PUBLISH_PATH_INPUTS[name]) || []) {
      const i = input(step, key);
      if (i?.text !== undefined && i.value) {
        text = i.text;
        node = i.value;
        break;
      }
    }
  }
  if (text === undefined || !node) return undefined;
  if (DOT_GIT.test(text.trim())) return { step, node, kind: 'git' };
  if (SOURCES_ROOT.test(text)) return { step, node, kind: 'root' };
  return undefined;
}
