import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RuleMeta } from '../core/rule.js';
import { auditRuleMetas, auditRulePlatforms, readRuleDocs } from '../audits/registry.js';
import { UsageError, writeStdout } from './common.js';
import { suggest } from '../config/schema-errors.js';

/** All rules `rules` knows: audits, plus secrets detectors when that module is present. */
export async function allRuleMetas(): Promise<RuleMeta[]> {
  const metas = auditRuleMetas();
  try {
    const secrets = (await import('../secrets/scan.js')) as { secretRuleMetas?: () => RuleMeta[] };
    if (secrets.secretRuleMetas) metas.push(...secrets.secretRuleMetas());
  } catch {
    // The secrets scanner is optional for listing rules.
  }
  const { depsRuleMetas } = await import('../deps/checks/index.js');
  metas.push(...depsRuleMetas());
  // Rule metadata only: the analysis (and the TypeScript compiler) is not loaded to list rules.
  const { SAST_RULES } = await import('../sast/rules/index.js');
  metas.push(...SAST_RULES.map((r) => r.meta));
  metas.push(...(await import('../posture/run.js')).postureRuleMetas());
  const { alertRuleMetas } = await import('../monitor/render.js');
  metas.push(...alertRuleMetas());
  return metas;
}

export function registerRulesCommand(program: Command): void {
  program
    .command('rules')
    .description('list rules, or print one rule\'s documentation')
    .argument('[id]', 'rule id, e.g. template-injection')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ pipewarden rules                      every rule with severity, confidence and title
  $ pipewarden rules template-injection   why it matters, vulnerable and fixed examples
  $ pipewarden rules --format json`,
    )
    .action(async (id: string | undefined, opts: { format: 'text' | 'json' }) => {
      const metas = await allRuleMetas();
      const platformsOf = auditRulePlatforms();
      const platforms = (m: RuleMeta): string[] => platformsOf.get(m.id) ?? [m.platform];
      if (id) {
        const meta = metas.find((m) => m.id === id);
        if (!meta) {
          const hint = suggest(id, metas.map((m) => m.id));
          throw new UsageError(`unknown rule "${id}"; ${hint ? `did you mean "${hint}"? R` : 'r'}un \`pipewarden rules\` for the list`);
        }
        if (opts.format === 'json') {
          await writeStdout(`${JSON.stringify({ ...metaJson(meta, platforms(meta)), docs: (await docsOf(meta)) ?? '' }, null, 2)}\n`);
        } else {
          await writeStdout((await docsOf(meta)) ?? `${meta.id}: ${meta.title}\n(no documentation found)\n`);
        }
        return;
      }
      if (opts.format === 'json') {
        await writeStdout(`${JSON.stringify(metas.map((m) => metaJson(m, platforms(m))), null, 2)}\n`);
        return;
      }
      const width = Math.max(...metas.map((m) => m.id.length));
      const names = metas.map((m) => platforms(m).join(','));
      const pwidth = Math.max(...names.map((n) => n.length));
      const lines = metas.map((m, i) => `${m.id.padEnd(width)}  ${m.severity.padEnd(8)} ${m.confidence.padEnd(6)} ${names[i]!.padEnd(pwidth)} ${m.title}${m.online ? ' (online)' : ''}`);
      await writeStdout(`${lines.join('\n')}\n`);
    });
}

/** Audit rules join docs across platforms; other rules' README sits beside them. */
async function docsOf(meta: RuleMeta): Promise<string | undefined> {
  if (meta.platform === 'monitor') return (await import('../monitor/render.js')).alertDocs(meta.id);
  if (meta.platform !== 'deps') return readRuleDocs(meta);
  try {
    return readFileSync(meta.docs, 'utf8');
  } catch {
    return undefined;
  }
}

/** `platform` is the first platform (kept for existing consumers); `platforms` lists all of them. */
function metaJson(m: RuleMeta, platforms: string[]): Record<string, unknown> {
  return { id: m.id, title: m.title, platform: m.platform, platforms, severity: m.severity, confidence: m.confidence, owasp: m.owasp, cwe: m.cwe, fixable: m.fixable, online: m.online };
}
