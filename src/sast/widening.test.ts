import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import type { Diagnostic } from '../core/finding.js';
import { analyse } from './analysis.js';
import { MAX_TAINTS, widenTaints, type Taint } from './values.js';

const src = (label: string, clean = 0): Taint => ({ o: { kind: 'source', label, category: 'remote', confidence: 'high', deepObj: false }, clean, obj: false, pre: '', step: undefined });
const ph = (path: string): Taint => ({ o: { kind: 'ph', frame: 7, index: 0, path }, clean: 0, obj: false, pre: '', step: undefined });

describe('widening of abstract values', () => {
  it('bounds source taints by merging them, never by dropping them, and keeps the least sanitised', () => {
    const list = Array.from({ length: 40 }, (_, i) => src(`req.query.f${i}`, i === 3 ? 0 : 1));
    const out = widenTaints(list);
    expect(out.length).toBeLessThanOrEqual(MAX_TAINTS);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((t) => t.clean === 0)).toBe(true);
    expect(out[0]!.o.kind === 'source' && out[0]!.o.label).toBe('req.query.f0 (or another source)');
  });

  it('folds many access paths of one parameter into their common prefix read deeply', () => {
    const out = widenTaints(Array.from({ length: 20 }, (_, i) => ph(`.body.f${i}`)));
    expect(out.map((t) => (t.o.kind === 'ph' ? t.o.path : ''))).toEqual(['.body.**']);
  });

  it('a summary that reads many fields of its parameters, called in a loop, completes and still finds the flow', () => {
    // The growth pattern of this repository's own engine: functions that read many fields of their
    // arguments and build objects of them, called again on their own results.
    const fields = 'abcdefghijklmnopqrstuvw'.split('');
    const code = [
      "const express = require('express');",
      'const app = express();',
      `function pick(o) { return [${fields.map((f) => `o.${f}`).join(', ')}].join(','); }`,
      `function wrap(o) { return { ${fields.map((f) => `${f}: { v: o.${f}, w: [o.${f}, o.t] }`).join(', ')}, t: pick(o) }; }`,
      'function grow(v) { let acc = v; for (let i = 0; i < 30; i++) acc = wrap({ ...acc, inner: acc }); return acc; }',
      "app.get('/', (req, res) => {",
      '  const deep = grow(req.body);',
      "  res.send('<p>' + pick(deep.inner.a.w));",
      '});',
      '',
    ].join('\n');
    const diagnostics: Diagnostic[] = [];
    const { findings } = analyse(DEFAULT_CONFIG, { root: '/t', sources: [{ rel: 'grow.js', text: code }], configs: [], reportPath: (rel) => rel, diagnostics, literalSecrets: false });
    expect(diagnostics.filter((d) => d.level === 'error').map((d) => d.message)).toEqual([]);
    expect(findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`)).toEqual(['xss grow.js:8']);
  });
});
