import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RuleMeta } from '../core/rule.js';
import { PLATFORMS } from '../audit/platforms.js';
import { meta as syntaxErrorMeta } from './core/syntax-error/rule.js';
import { meta as notAuditedMeta } from './core/not-audited/rule.js';

/*
 * One rule per folder: every folder holding a rule.ts is registered with its platform (a rule
 * that is written but not registered never runs), carries its README (the source of
 * `pipewarden rules ID` and SARIF help) with vulnerable and fixed examples, OWASP CICD-SEC and
 * CWE ids, and a test file with at least one case that must report and one that must not.
 */

const AUDITS = fileURLToPath(new URL('.', import.meta.url));

interface Folder {
  platform: string;
  id: string;
  dir: string;
}

function ruleFolders(): Folder[] {
  const out: Folder[] = [];
  for (const platform of readdirSync(AUDITS, { withFileTypes: true })) {
    if (!platform.isDirectory()) continue;
    for (const rule of readdirSync(join(AUDITS, platform.name), { withFileTypes: true })) {
      const dir = join(AUDITS, platform.name, rule.name);
      if (rule.isDirectory() && existsSync(join(dir, 'rule.ts'))) out.push({ platform: platform.name, id: rule.name, dir });
    }
  }
  return out;
}

function registered(): Map<string, RuleMeta> {
  const metas = [syntaxErrorMeta, notAuditedMeta, ...PLATFORMS.flatMap((p) => p.rules())];
  return new Map(metas.map((m) => [fileURLToPath(new URL('.', m.docs)), m]));
}

const FOLDERS = ruleFolders();

describe('rule folders', () => {
  it('finds the rule folders of every platform', () => {
    expect([...new Set(FOLDERS.map((f) => f.platform))].sort()).toEqual(['azure', 'bitbucket', 'circleci', 'core', 'github', 'gitlab']);
    expect(FOLDERS.length).toBeGreaterThan(80);
  });

  it('every folder is registered with its platform, under the folder name as id', () => {
    const byDir = registered();
    const problems = FOLDERS.flatMap((f) => {
      const meta = byDir.get(f.dir + '/');
      if (!meta) return [`${f.platform}/${f.id}: not registered`];
      return meta.id === f.id ? [] : [`${f.platform}/${f.id}: registered as ${meta.id}`];
    });
    expect(problems).toEqual([]);
    // And nothing is registered from outside a rule folder.
    const dirs = new Set(FOLDERS.map((f) => f.dir + '/'));
    expect([...byDir.keys()].filter((d) => !dirs.has(d))).toEqual([]);
  });

  it('every rule has OWASP CICD-SEC and CWE ids, a title and its platform', () => {
    const problems = [...registered().values()].flatMap((m) => {
      const out: string[] = [];
      if (m.owasp.length === 0 || !m.owasp.every((o) => /^CICD-SEC-(?:[1-9]|10)$/.test(o))) out.push(`${m.id}: owasp ${JSON.stringify(m.owasp)}`);
      if (m.cwe.length === 0 || !m.cwe.every((c) => /^CWE-\d+$/.test(c))) out.push(`${m.id}: cwe ${JSON.stringify(m.cwe)}`);
      if (!m.title.trim()) out.push(`${m.id}: no title`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('every folder documents what it finds with a vulnerable example and the fix', () => {
    const problems = FOLDERS.flatMap((f) => {
      const readme = join(f.dir, 'README.md');
      if (!existsSync(readme)) return [`${f.platform}/${f.id}: no README.md`];
      const text = readFileSync(readme, 'utf8');
      const out: string[] = [];
      if (!text.startsWith(`# ${f.id}`)) out.push(`${f.platform}/${f.id}: README title is not the id`);
      for (const section of ['Vulnerable', 'Fixed']) {
        const body = new RegExp(`^## ${section}[^\\n]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(text)?.[1];
        if (!body?.trim()) out.push(`${f.platform}/${f.id}: no "## ${section}" section`);
        // A fix can be prose ("remove the variable"); the vulnerable case is always shown.
        else if (section === 'Vulnerable' && !body.includes('```')) out.push(`${f.platform}/${f.id}: "## ${section}" has no code example`);
      }
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('every folder has tests with a case that must report and a case that must stay silent', () => {
    const problems = FOLDERS.filter((f) => f.platform !== 'core').flatMap((f) => {
      const tests = readdirSync(f.dir).filter((n) => n.endsWith('.test.ts'));
      if (tests.length === 0) return [`${f.platform}/${f.id}: no test file`];
      const text = tests.map((n) => readFileSync(join(f.dir, n), 'utf8')).join('\n');
      const out: string[] = [];
      // Positive: an exact list of findings (summaries start with the file path in a string).
      if (!/toEqual\(\s*\[\s*\n?\s*[`'"]/.test(text)) out.push(`${f.platform}/${f.id}: no case asserting exact findings`);
      // Negative: a case asserting no finding at all.
      if (!/toEqual\(\[\]\)|toHaveLength\(0\)/.test(text)) out.push(`${f.platform}/${f.id}: no case asserting silence`);
      return out;
    });
    expect(problems).toEqual([]);
  });
});
