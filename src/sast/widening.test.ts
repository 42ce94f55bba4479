import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import type { Diagnostic } from '../core/finding.js';
import { analyse } from './analysis.js';
import { MAX_TAINTS, enterFrames, exitFrames, widenTaints, type Taint } from './values.js';

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
    enterFrames([7]);
    try {
      const out = widenTaints(Array.from({ length: 20 }, (_, i) => ph(`.body.f${i}`)));
      expect(out.map((t) => (t.o.kind === 'ph' ? t.o.path : ''))).toEqual(['.body.**']);
    } finally {
      exitFrames([7]);
    }
  });

  it('drops placeholders of a call no longer being analysed (nothing can substitute them), keeps live ones and sources', () => {
    const dead: Taint = { ...ph('.a'), o: { kind: 'ph', frame: 8, index: 0, path: '.a' } };
    enterFrames([7]);
    try {
      const out = widenTaints([ph('.x'), dead, src('req.query.q')]);
      expect(out.map((t) => (t.o.kind === 'ph' ? `ph${t.o.frame}${t.o.path}` : t.o.label))).toEqual(['ph7.x', 'req.query.q']);
      expect(widenTaints([dead])).toEqual([]);
    } finally {
      exitFrames([7]);
    }
    expect(widenTaints([ph('.x')])).toEqual([]);
  });

  it('past 48 placeholder taints, folds each parameter regardless of constant prefix, and the prefix becomes unknown', () => {
    enterFrames([7]);
    try {
      const list = Array.from({ length: 60 }, (_, i) => ({ ...ph(`.f${i % 3}`), pre: `p${i}` }));
      const out = widenTaints(list);
      expect(out.map((t) => [t.o.kind === 'ph' ? t.o.path : '', t.pre])).toEqual([['.**', undefined]]);
    } finally {
      exitFrames([7]);
    }
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

  it("completes on a recursive-descent model builder (this repository's Azure parser) well inside the budget", () => {
    // Before: every call copied the context objects it was handed (420,000 copies for 593 calls)
    // and replayed thousands of duplicate writes, and the 20 s CPU budget stopped it. Now ~1 s.
    const rel = 'src/platforms/azure/parse.ts';
    const text = readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
    const diagnostics: Diagnostic[] = [];
    analyse(DEFAULT_CONFIG, { root: '/t', sources: [{ rel, text }], configs: [], reportPath: (r) => r, diagnostics, literalSecrets: false });
    expect(diagnostics.filter((d) => d.level === 'error').map((d) => d.message)).toEqual([]);
  });
});
