import { describe, expect, it } from 'vitest';
import { loadYaml, YAML_LIMITS } from './load.js';

const problems = (text: string) => loadYaml('f.yml', text).problems.map((p) => `${p.location.startLine}:${p.location.startColumn} ${p.message}`);

describe('loadYaml', () => {
  it('reports malformed YAML with its position and no document', () => {
    const r = loadYaml('f.yml', 'on: push\njobs:\n  a: [unclosed\n');
    expect(r.doc).toBeUndefined();
    expect(r.problems[0]!.location.startLine).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate keys (GitHub does too)', () => {
    expect(problems('on: push\non: pull_request\n')).toEqual(['2:1 Map keys must be unique']);
  });

  it('keeps `on` as a string key (YAML 1.2), not boolean true', () => {
    const r = loadYaml('f.yml', 'on: push\n');
    expect(r.doc?.toJS()).toEqual({ on: 'push' });
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push(...Array.from({ length: 1000 }, (_, i) => `b${i}: *a11`));
    const start = Date.now();
    const r = loadYaml('bomb.yml', lines.join('\n'));
    expect(Date.now() - start).toBeLessThan(5000);
    expect(r.doc).toBeUndefined();
    expect(r.problems.map((p) => p.message)).toEqual([`more than ${YAML_LIMITS.maxAliases} YAML aliases (possible alias bomb); not audited`]);
  });

  it('refuses deep flow nesting before parsing', () => {
    expect(problems('a: ' + '['.repeat(100000) + ']'.repeat(100000))).toEqual([`1:1 nesting deeper than ${YAML_LIMITS.maxDepth} levels; not parsed`]);
  });

  it('refuses deep block nesting after parsing', () => {
    const text = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' v\n';
    const r = loadYaml('deep.yml', text);
    expect(r.doc).toBeUndefined();
    expect(r.problems[0]!.message).toMatch(/nesting deeper than 256 levels|too deeply nested/);
  });

  it('refuses compact block nesting (`- - - -`) before the parser recurses into it', () => {
    expect(problems('- '.repeat(3000) + 'a\n')).toEqual([`1:1 nesting deeper than ${YAML_LIMITS.maxDepth} levels; not parsed`]);
    expect(problems('  - '.repeat(3000))).toEqual([`1:1 nesting deeper than ${YAML_LIMITS.maxDepth} levels; not parsed`]);
    expect(problems('- '.repeat(200) + 'a\n')).toEqual([]);
  });

  it('checks duplicate keys in linear time, reporting each duplicate', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `k${i}: v`).join('\n');
    const start = Date.now();
    expect(problems(`${many}\nk7: again\nk9: again\n`)).toEqual(['50001:1 Map keys must be unique', '50002:1 Map keys must be unique']);
    expect(Date.now() - start).toBeLessThan(20_000); // the library's own (quadratic) check took ~45 s here; generous for a loaded machine
  });

  it('refuses files over the size limit', () => {
    expect(problems('#'.repeat(YAML_LIMITS.maxBytes + 1))).toEqual([`1:1 file is larger than ${YAML_LIMITS.maxBytes} bytes; not parsed`]);
  });
});
