import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { unknownRuleDiagnostics } from './rule-ids.js';

describe('unknownRuleDiagnostics', () => {
  const known = ['template-injection', 'secrets/aws-access-key'];

  it('warns about unknown ids in rules and ignore, with positions and suggestions', () => {
    const config = parseConfig(
      [
        'rules:',
        '  template-injection: { enabled: true }',
        '  template-injektion: { enabled: false }',
        'ignore:',
        '  - { rule: zzz, path: a, reason: b }',
        "  - { rule: 'secrets/*', path: a, reason: b }",
        "  - { rule: '*', path: a, reason: b }",
        '',
      ].join('\n'),
      'pw.yml',
    );
    expect(unknownRuleDiagnostics(config, known)).toEqual([
      {
        level: 'warning',
        file: 'pw.yml',
        line: 3,
        column: 3,
        message: 'rules.template-injektion names unknown rule `template-injektion`; did you mean `template-injection`?',
      },
      { level: 'warning', file: 'pw.yml', line: 5, column: 7, message: 'ignore[0].rule names unknown rule `zzz`' },
    ]);
  });

  it('works on configs built in code', () => {
    const diags = unknownRuleDiagnostics({ rules: { nope: {} }, ignore: [], secrets: {} }, known);
    expect(diags).toEqual([{ level: 'warning', message: 'rules.nope names unknown rule `nope`' }]);
  });
});
