import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { checkRegexSafety } from './safe-regex.js';
import { ZIZMOR_AUDITS } from '../core/policy.js';

// Keeps docs/configuration.md honest: its examples must behave as the text says.
const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('the complete example is a valid config', () => {
    const block = /## A complete example\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const config = parseConfig(block!, 'example.yml');
    expect(config.ignore).toHaveLength(2);
    expect(config.secrets.detectors?.[0]?.id).toBe('acme-api-token');
    expect(config['inline-ignores']).toEqual({ zizmor: true });
  });

  it("lists exactly the zizmor audit names that are mapped, and the one renamed", () => {
    const section = /### zizmor's comments([\s\S]*?)\n### /.exec(doc)?.[1] ?? '';
    const same = /maps to it: ([^.]*)\./.exec(section)?.[1]?.match(/`[^`]+`/g)?.map((s) => s.slice(1, -1));
    const renamed = [...ZIZMOR_AUDITS].filter(([name, ids]) => ids.join() !== name).map(([name, ids]) => `\`${name}\` → \`${ids.join('`, `')}\``);
    expect(same).toEqual([...ZIZMOR_AUDITS].filter(([name, ids]) => ids.join() === name).map(([name]) => name).sort());
    expect(renamed).toEqual(['`hardcoded-container-credentials` → `hardcoded-credentials`']);
    for (const r of renamed) expect(section).toContain(r);
  });

  it('the regex examples are rejected and accepted as documented', () => {
    for (const bad of ['(a+)+', '(a*)*', '(\\w+\\s?)+', '(.*,){10}', '(a|a)*', '(\\w|\\d)+', '(.|\\s)*']) {
      expect(doc).toContain(`\`${bad}\``);
      expect(checkRegexSafety(bad), bad).toBeDefined();
    }
    for (const good of ['\\w+(?:\\s\\w+)*', '[\\s\\S]*', '(?:[a-z0-9-]+\\.)+[a-z]{2,}', '.*.*=']) {
      expect(doc).toContain(`\`${good}\``);
      expect(checkRegexSafety(good), good).toBeUndefined();
    }
  });
});
