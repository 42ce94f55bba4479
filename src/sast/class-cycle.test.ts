import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import type { Diagnostic } from '../core/finding.js';
import { analyse } from './analysis.js';

describe('taint analysis on a class that extends itself', () => {
  it('finishes without an internal error (found by the sast-analysis fuzz target)', () => {
    const diagnostics: Diagnostic[] = [];
    const a = "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => { res.send(req.query.q); });\n";
    const b = 'class A extends A {}\nconst x = new A();\n';
    const { findings } = analyse(DEFAULT_CONFIG, {
      root: '/t',
      sources: [{ rel: 'a.js', text: a }, { rel: 'b.js', text: b }],
      configs: [],
      reportPath: (rel) => rel,
      diagnostics,
      literalSecrets: true,
    });
    expect(diagnostics.filter((d) => d.level === 'error').map((d) => d.message)).toEqual([]);
    expect(findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`)).toContain('xss a.js:3');
  });
});
