import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { IgnoreEntry, PipewardenConfig } from '../config/types.js';
import type { Finding, Severity } from './finding.js';
import { auditRuleMetas } from '../audits/registry.js';
import { applyPolicy, exitCodeFor, ZIZMOR_AUDITS, type PolicyOptions } from './policy.js';

function finding(over: Partial<Finding> & { line?: number; file?: string } = {}): Finding {
  const { line = 3, file = '.github/workflows/ci.yml', ...rest } = over;
  return {
    ruleId: 'template-injection',
    severity: 'high',
    confidence: 'high',
    message: 'attacker-controlled expression in run',
    location: { file, startLine: line, startColumn: 5, endLine: line, endColumn: 20 },
    related: [],
    owasp: [],
    cwe: [],
    fingerprint: `fp-${over.ruleId ?? 'template-injection'}-${file}-${line}`,
    ...rest,
  };
}

function config(over: Partial<PipewardenConfig> = {}): PipewardenConfig {
  return { rules: {}, ignore: [], secrets: {}, ...over };
}

function run(findings: Finding[], opts: Partial<PolicyOptions> = {}, sources: Record<string, string> = {}) {
  return applyPolicy(findings, { config: config(), sourceOf: (f) => sources[f], today: '2025-06-15', ...opts });
}

function reasons(result: ReturnType<typeof applyPolicy>): string[] {
  return result.suppressed.map((s) => `${s.finding.ruleId}@${s.finding.location.startLine}:${s.reason}`);
}

const ignore = (e: Partial<IgnoreEntry>): IgnoreEntry => ({ rule: '*', path: '**', reason: 'accepted', ...e });

describe('rule settings', () => {
  it('drops findings of disabled rules', () => {
    const r = run([finding(), finding({ ruleId: 'other' })], { config: config({ rules: { other: { enabled: false } } }) });
    expect(r.kept.map((f) => f.ruleId)).toEqual(['template-injection']);
    expect(reasons(r)).toEqual(['other@3:disabled']);
  });

  it('enabled: true changes nothing', () => {
    const r = run([finding()], { config: config({ rules: { 'template-injection': { enabled: true } } }) });
    expect(r.kept).toHaveLength(1);
  });

  it('overrides severity without mutating the input', () => {
    const input = finding();
    const r = run([input], { config: config({ rules: { 'template-injection': { severity: 'low' } } }) });
    expect(r.kept[0]!.severity).toBe('low');
    expect(input.severity).toBe('high');
  });

  it('applies the override before thresholds', () => {
    const cfg = config({ rules: { 'template-injection': { severity: 'critical' } } });
    const r = run([finding({ severity: 'low' })], { config: cfg, minSeverity: 'high' });
    expect(r.kept.map((f) => f.severity)).toEqual(['critical']);
  });
});

describe('config ignores', () => {
  it('matches by rule id and path glob', () => {
    const cfg = config({ ignore: [ignore({ rule: 'template-injection', path: '.github/workflows/*.yml' })] });
    const r = run([finding(), finding({ ruleId: 'other' }), finding({ file: 'action.yml' })], { config: cfg });
    expect(reasons(r)).toEqual(['template-injection@3:config-ignore']);
    expect(r.kept).toHaveLength(2);
  });

  it('`*` matches every rule and `**` every directory', () => {
    const cfg = config({ ignore: [ignore({ rule: '*', path: 'vendor/**' })] });
    const r = run([finding({ file: 'vendor/a/b/x.yml' }), finding({ ruleId: 'x', file: 'vendor/y.yml' }), finding()], { config: cfg });
    expect(r.suppressed).toHaveLength(2);
    expect(r.kept.map((f) => f.location.file)).toEqual(['.github/workflows/ci.yml']);
  });

  it('rule patterns like secrets/*', () => {
    const cfg = config({ ignore: [ignore({ rule: 'secrets/*', path: 'test/**' })] });
    const r = run([finding({ ruleId: 'secrets/aws', file: 'test/a.env' }), finding({ ruleId: 'template-injection', file: 'test/a.yml' })], {
      config: cfg,
    });
    expect(reasons(r)).toEqual(['secrets/aws@3:config-ignore']);
  });

  it('`:LINE` matches only the finding that starts on that line', () => {
    const cfg = config({ ignore: [ignore({ path: '.github/workflows/ci.yml:7' })] });
    const r = run([finding({ line: 7 }), finding({ line: 8 })], { config: cfg });
    expect(reasons(r)).toEqual(['template-injection@7:config-ignore']);
    expect(r.kept.map((f) => f.location.startLine)).toEqual([8]);
  });

  it('`:LINE` works with globs too', () => {
    const cfg = config({ ignore: [ignore({ path: '**/ci.yml:8' })] });
    expect(reasons(run([finding({ line: 7 }), finding({ line: 8 })], { config: cfg }))).toEqual(['template-injection@8:config-ignore']);
  });

  it('an unexpired entry applies through its expiry date', () => {
    const cfg = config({ ignore: [ignore({ expires: '2025-06-15' })] });
    const r = run([finding()], { config: cfg });
    expect(reasons(r)).toEqual(['template-injection@3:config-ignore']);
    expect(r.diagnostics).toEqual([]);
  });

  it('an expired entry stops applying and warns once, with its position in the config', () => {
    const cfg = parseConfig(
      ['ignore:', '  - rule: template-injection', '    path: "**"', '    reason: legacy', '    expires: 2025-06-14', ''].join('\n'),
      'pipewarden.yml',
    );
    const r = run([finding({ line: 1 }), finding({ line: 2 })], { config: cfg });
    expect(r.kept).toHaveLength(2);
    expect(r.diagnostics).toEqual([
      {
        level: 'warning',
        file: 'pipewarden.yml',
        line: 2,
        column: 5,
        message:
          'ignore entry 1 (rule `template-injection`, path `**`) expired on 2025-06-14 and no longer applies; fix the findings or extend `expires`',
      },
    ]);
  });

  it('warns about expired entries built in code (no position)', () => {
    const r = run([], { config: config({ ignore: [ignore({ path: 'a', expires: '2020-01-01' })] }) });
    expect(r.diagnostics).toEqual([
      { level: 'warning', message: expect.stringContaining('expired on 2020-01-01') as unknown as string },
    ]);
  });

  it('without today, an entry expiring today still applies (dates compare as days)', () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = applyPolicy([finding()], { config: config({ ignore: [ignore({ expires: today })] }), sourceOf: () => undefined });
    expect(reasons(r)).toEqual(['template-injection@3:config-ignore']);
    expect(r.diagnostics).toEqual([]);
  });

  it('an expired entry of a config without a file names no file', () => {
    const r = run([], { config: config({ ignore: [ignore({ path: 'a', expires: '2020-01-01' })] }) });
    expect(r.diagnostics.map((d) => Object.keys(d).sort())).toEqual([['level', 'message']]);
  });

  it('uses the real date when today is not given', () => {
    const r = applyPolicy([finding()], {
      config: config({ ignore: [ignore({ expires: '2000-01-01' }), ignore({ rule: 'x', expires: '9999-12-31' })] }),
      sourceOf: () => undefined,
    });
    expect(r.kept).toHaveLength(1);
    expect(r.diagnostics).toHaveLength(1);
  });
});

describe('inline ignores', () => {
  const file = '.github/workflows/ci.yml';
  const src = (...lines: string[]) => ({ [file]: lines.join('\n') });

  it('on the same line', () => {
    const r = run([finding({ line: 2 })], {}, src('a', 'run: echo ${{ x }}  # pipewarden: ignore[template-injection] value is trusted'));
    expect(reasons(r)).toEqual(['template-injection@2:inline-ignore']);
    expect(r.diagnostics).toEqual([]);
  });

  it('on the line above, when that line holds only the comment', () => {
    const r = run([finding({ line: 2 })], {}, src('  # pipewarden: ignore[template-injection] value is trusted', 'run: x'));
    expect(reasons(r)).toEqual(['template-injection@2:inline-ignore']);
  });

  it('not from a trailing comment on the line above', () => {
    const r = run([finding({ line: 2 })], {}, src('a: b  # pipewarden: ignore[template-injection] for a', 'run: x'));
    expect(r.kept).toHaveLength(1);
  });

  it('not from two lines above', () => {
    const r = run([finding({ line: 3 })], {}, src('# pipewarden: ignore[template-injection] why', 'x', 'run: x'));
    expect(r.kept).toHaveLength(1);
  });

  it('several ids', () => {
    const text = src('# pipewarden: ignore[a, template-injection,b] ok', 'run: x');
    const r = run([finding({ line: 2 }), finding({ line: 2, ruleId: 'b' }), finding({ line: 2, ruleId: 'c' })], {}, text);
    expect(reasons(r)).toEqual(['b@2:inline-ignore', 'template-injection@2:inline-ignore']);
    expect(r.kept.map((f) => f.ruleId)).toEqual(['c']);
  });

  it('the * wildcard', () => {
    const r = run([finding({ line: 1 }), finding({ line: 1, ruleId: 'z' })], {}, src('run: x # pipewarden: ignore[*] generated file'));
    expect(r.kept).toEqual([]);
  });

  it('a different id does not suppress', () => {
    const r = run([finding({ line: 1 })], {}, src('run: x # pipewarden: ignore[template-injectio] typo'));
    expect(r.kept).toHaveLength(1);
  });

  it('other comment styles', () => {
    const js = { 'a.js': 'x(); // pipewarden: ignore[template-injection] ok\n/* pipewarden: ignore[template-injection] ok */\ny();' };
    const r = run([finding({ file: 'a.js', line: 1 }), finding({ file: 'a.js', line: 3 })], {}, js);
    expect(r.kept).toEqual([]);
  });

  it('a missing reason still suppresses but adds one note per comment', () => {
    const text = src('run: x # pipewarden: ignore[template-injection, b]');
    const r = run([finding({ line: 1 }), finding({ line: 1, ruleId: 'b' })], {}, text);
    expect(r.kept).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        level: 'note',
        file,
        line: 1,
        message:
          'inline ignore of template-injection, b has no reason; add one after the brackets, e.g. `# pipewarden: ignore[template-injection, b] input is trusted`',
      },
    ]);
  });

  it('separators before the reason and block-comment closers are not a reason', () => {
    const r = run([finding({ line: 1, file: 'a.html' })], {}, { 'a.html': '<!-- pipewarden: ignore[*] -->' });
    expect(r.kept).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    const r2 = run([finding({ line: 1 })], {}, src('x # pipewarden: ignore[*]: reviewed'));
    expect(r2.diagnostics).toEqual([]);
  });

  it('does nothing when the source is unavailable or the line is out of range', () => {
    expect(run([finding({ line: 1 })]).kept).toHaveLength(1);
    expect(run([finding({ line: 9 })], {}, src('# pipewarden: ignore[*] x')).kept).toHaveLength(1);
  });

  it('pipewarden:allow suppresses secrets findings on the same line, in any comment style', () => {
    const text = {
      'a.env': 'TOKEN=abc # pipewarden:allow\nKEY=def',
      'a.ts': 'const k = "x"; // pipewarden:allow',
      'a.sql': "select 'k'; -- pipewarden:allow",
      'a.md': 'k <!-- pipewarden:allow -->',
    };
    const findings = [
      finding({ ruleId: 'secrets/generic', file: 'a.env', line: 1 }),
      finding({ ruleId: 'secrets/generic', file: 'a.env', line: 2 }),
      finding({ ruleId: 'hardcoded-credentials', file: 'a.ts', line: 1 }),
      finding({ ruleId: 'secrets/aws', file: 'a.sql', line: 1 }),
      finding({ ruleId: 'secrets/aws', file: 'a.md', line: 1 }),
      finding({ ruleId: 'template-injection', file: 'a.env', line: 1 }),
    ];
    const r = run(findings, {}, text);
    expect(r.kept.map((f) => `${f.ruleId}@${f.location.file}:${f.location.startLine}`)).toEqual([
      'template-injection@a.env:1',
      'secrets/generic@a.env:2',
    ]);
  });

  it('notes name the line of the comment, one per comment, sorted by file then line', () => {
    const sources = {
      'b.yml': 'x\n# pipewarden: ignore[r]\nrun: x\nrun: y # pipewarden: ignore[r]',
      'a.yml': 'x\nx\nx\nx\nrun: z # pipewarden: ignore[r]\n# pipewarden: ignore[r]\nrun: w',
    };
    const r = run(
      [finding({ ruleId: 'r', file: 'b.yml', line: 4 }), finding({ ruleId: 'r', file: 'b.yml', line: 3 }), finding({ ruleId: 'r', file: 'a.yml', line: 7 }), finding({ ruleId: 'r', file: 'a.yml', line: 5 })],
      {},
      sources,
    );
    expect(r.kept).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['a.yml:5', 'a.yml:6', 'b.yml:2', 'b.yml:4']);
  });

  it('empty ids are dropped from the note', () => {
    const r = run([finding({ line: 1 })], {}, src('run: x # pipewarden: ignore[template-injection, ,b]'));
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'inline ignore of template-injection, b has no reason; add one after the brackets, e.g. `# pipewarden: ignore[template-injection, b] input is trusted`',
    ]);
  });

  it('what is left of the reason once separators and closers go decides whether it is missing', () => {
    const noted = (line: string): boolean => run([finding({ line: 1 })], {}, src(line)).diagnostics.length === 1;
    expect(noted('x # pipewarden: ignore[*]:')).toBe(true);
    expect(noted('x # pipewarden: ignore[*] --')).toBe(true);
    expect(noted('x # pipewarden: ignore[*] :-')).toBe(true);
    expect(noted('x /* pipewarden: ignore[*] */   ')).toBe(true);
    expect(noted('x # pipewarden: ignore[*] :trusted')).toBe(false);
    expect(noted('x # pipewarden: ignore[*] - vendored')).toBe(false);
  });

  it('pipewarden: allow with a space counts too', () => {
    const r = run([finding({ ruleId: 'secrets/x', file: 'a.env', line: 1 })], {}, { 'a.env': 'K=v # pipewarden: allow' });
    expect(reasons(r)).toEqual(['secrets/x@1:inline-ignore']);
  });

  it('pipewarden:allow on the line above does not count', () => {
    const r = run([finding({ ruleId: 'secrets/x', file: 'a.env', line: 2 })], {}, { 'a.env': '# pipewarden:allow\nK=v' });
    expect(r.kept).toHaveLength(1);
  });
});

describe('baseline and thresholds', () => {
  it('suppresses baselined fingerprints', () => {
    const a = finding({ line: 1 });
    const b = finding({ line: 2 });
    const r = run([a, b], { baseline: new Set([a.fingerprint]) });
    expect(reasons(r)).toEqual(['template-injection@1:baseline']);
  });

  it('min severity and min confidence', () => {
    const fs = (['critical', 'high', 'medium', 'low', 'info'] as Severity[]).map((severity, i) => finding({ severity, line: i + 1 }));
    expect(run(fs, { minSeverity: 'medium' }).kept.map((f) => f.severity)).toEqual(['critical', 'high', 'medium']);
    const cs = [finding({ confidence: 'high', line: 1 }), finding({ confidence: 'medium', line: 2 }), finding({ confidence: 'low', line: 3 })];
    const r = run(cs, { minConfidence: 'medium' });
    expect(r.kept.map((f) => f.confidence)).toEqual(['high', 'medium']);
    expect(reasons(r)).toEqual(['template-injection@3:below-threshold']);
  });

  it('the first matching step names the reason', () => {
    const f = finding({ line: 1, severity: 'low' });
    const cfg = config({ ignore: [ignore({})] });
    const r = run([f], { config: cfg, baseline: new Set([f.fingerprint]), minSeverity: 'high' }, { [f.location.file]: 'x # pipewarden: ignore[*] ok' });
    expect(reasons(r)).toEqual(['template-injection@1:inline-ignore']);
    expect(reasons(run([f], { config: cfg, baseline: new Set([f.fingerprint]) }))).toEqual(['template-injection@1:config-ignore']);
    expect(reasons(run([f], { baseline: new Set([f.fingerprint]), minSeverity: 'high' }))).toEqual(['template-injection@1:baseline']);
  });

  it('sorts both outputs in report order', () => {
    const r = run([finding({ file: 'b', line: 1 }), finding({ file: 'a', line: 9 }), finding({ file: 'a', line: 2 })]);
    expect(r.kept.map((f) => `${f.location.file}:${f.location.startLine}`)).toEqual(['a:2', 'a:9', 'b:1']);
  });
});

describe('exitCodeFor', () => {
  it('fails at or above the bar', () => {
    expect(exitCodeFor([finding({ severity: 'high' })], 'high')).toBe(1);
    expect(exitCodeFor([finding({ severity: 'critical' })], 'high')).toBe(1);
    expect(exitCodeFor([finding({ severity: 'medium' })], 'high')).toBe(0);
    expect(exitCodeFor([finding({ severity: 'info' })], 'info')).toBe(1);
    expect(exitCodeFor([], 'info')).toBe(0);
    expect(exitCodeFor([finding({ severity: 'critical' })], 'never')).toBe(0);
  });
});

describe("zizmor's inline ignores", () => {
  const file = '.github/workflows/ci.yml';
  const src = (...lines: string[]) => ({ [file]: lines.join('\n') });
  const one = (line: number, ruleId = 'template-injection') => finding({ line, ruleId });

  it('a mapped audit name on the finding line suppresses it as an inline ignore, without a reason note', () => {
    const r = run([one(2)], {}, src('a', 'run: echo ${{ x }} # zizmor: ignore[template-injection]'));
    expect(reasons(r)).toEqual(['template-injection@2:inline-ignore']);
    expect(r.diagnostics).toEqual([]);
  });

  it('several comma-separated names, spaces allowed, free text after a space', () => {
    const r = run(
      [one(1, 'unpinned-uses'), one(1, 'ref-confusion'), one(1, 'artipacked')],
      {},
      src('- uses: actions/checkout@v4 # zizmor: ignore[artipacked , unpinned-uses,,] internal runner only'),
    );
    expect(reasons(r)).toEqual(['artipacked@1:inline-ignore', 'unpinned-uses@1:inline-ignore']);
    expect(r.kept.map((f) => f.ruleId)).toEqual(['ref-confusion']);
  });

  it('maps zizmor names to the pipewarden rule that reports the same problem', () => {
    const r = run([one(1, 'hardcoded-credentials')], {}, src('password: hunter22 # zizmor: ignore[hardcoded-container-credentials]'));
    expect(reasons(r)).toEqual(['hardcoded-credentials@1:inline-ignore']);
  });

  it('a zizmor name for a different problem does not suppress, and unknown names are silent', () => {
    const r = run(
      [one(1), one(1, 'pr-runs-on-self-hosted')],
      {},
      src('runs-on: self-hosted # zizmor: ignore[self-hosted-runner,unpinned-uses,superfluous-actions,no-such-audit]'),
    );
    expect(r.suppressed).toEqual([]);
    expect(r.kept).toHaveLength(2);
    expect(r.diagnostics).toEqual([]);
  });

  it('pipewarden rule ids and wildcards are not accepted in a zizmor comment', () => {
    const r = run([one(1, 'untrusted-checkout-exec'), one(1, 'unpinned-uses')], {}, src('x: y # zizmor: ignore[untrusted-checkout-exec,*]'));
    expect(r.suppressed).toEqual([]);
  });

  it("only zizmor's exact spelling counts", () => {
    for (const line of [
      'x # zizmor:ignore[template-injection]',
      'x #zizmor: ignore[template-injection]',
      'x #  zizmor: ignore[template-injection]',
      'x # zizmor: ignore[template-injection]reason',
      'x # zizmor: ignore[template-injection unpinned-uses]',
      'x # zizmor: ignore[]',
    ]) {
      expect(run([one(1)], {}, src(line)).kept, line).toHaveLength(1);
    }
  });

  it('anywhere on the lines of the finding, or alone on the line above', () => {
    const spanning = { ...one(2), location: { file, startLine: 2, startColumn: 1, endLine: 3, endColumn: 5 } };
    expect(reasons(run([spanning], {}, src('a', 'b:', '  c # zizmor: ignore[template-injection]')))).toEqual([
      'template-injection@2:inline-ignore',
    ]);
    expect(reasons(run([one(2)], {}, src('    # zizmor: ignore[template-injection]', '    run: x')))).toEqual([
      'template-injection@2:inline-ignore',
    ]);
    expect(run([one(2)], {}, src('a: b # zizmor: ignore[template-injection]', 'run: x')).kept).toHaveLength(1);
    expect(run([one(3)], {}, src('run: x # zizmor: ignore[template-injection]', 'a: b', 'c: d')).kept).toHaveLength(1);
  });

  it('through a run of comment lines above; dangerous-triggers also from the `on:` line', () => {
    expect(reasons(run([one(3)], {}, src('  # zizmor: ignore[template-injection]', '  a: b', '  x: y')))).toEqual([]);
    expect(reasons(run([one(4)], {}, src('on:', '  # zizmor: ignore[template-injection]', '  # why: the title is never used', '  x: y')))).toEqual([
      'template-injection@4:inline-ignore',
    ]);
    const trigger = (first: string) => run([one(3, 'dangerous-triggers'), one(3)], {}, src(first, '  push:', '  pull_request_target:', 'jobs: {}'));
    expect(reasons(trigger('on: # zizmor: ignore[dangerous-triggers,template-injection] labels only'))).toEqual(['dangerous-triggers@3:inline-ignore']);
    expect(reasons(trigger('"on": # zizmor: ignore[dangerous-triggers]'))).toEqual(['dangerous-triggers@3:inline-ignore']);
    expect(reasons(trigger('jobs: # zizmor: ignore[dangerous-triggers]'))).toEqual([]);
    expect(reasons(trigger('on: # pipewarden: ignore[dangerous-triggers] nope'))).toEqual([]);
  });

  it('inside a block scalar: the header line counts, a script comment does not', () => {
    const script = (header: string, body: string) =>
      src('    steps:', '      - name: greet', `        run: |${header}`, '          if true; then', `            echo "\${{ x }}"${body}`, '          fi');
    expect(reasons(run([one(5)], {}, script(' # zizmor: ignore[template-injection] title only echoed', '')))).toEqual([
      'template-injection@5:inline-ignore',
    ]);
    expect(run([one(5)], {}, script('', ' # zizmor: ignore[template-injection]')).kept).toHaveLength(1);
    // The header of another step is not this finding's.
    const other = src('      - run: | # zizmor: ignore[template-injection]', '          echo hi', '      - run: echo "${{ x }}"');
    expect(run([one(3)], {}, other).kept).toHaveLength(1);
  });

  it('inline-ignores.zizmor: false turns the support off; pipewarden comments still work', () => {
    const cfg = parseConfig('inline-ignores:\n  zizmor: false\n', 'pipewarden.yml');
    const r = run(
      [one(1), one(2)],
      { config: cfg },
      src('a # zizmor: ignore[template-injection]', 'b # pipewarden: ignore[template-injection] trusted'),
    );
    expect(reasons(r)).toEqual(['template-injection@2:inline-ignore']);
    expect(r.kept.map((f) => f.location.startLine)).toEqual([1]);
  });

  it('every mapped pipewarden id is a real audit rule', () => {
    const known = new Set(auditRuleMetas().map((r) => r.id));
    expect([...ZIZMOR_AUDITS.values()].flat().filter((id) => !known.has(id))).toEqual([]);
    expect(ZIZMOR_AUDITS.size).toBe(29);
  });

  it('the config key is validated', () => {
    expect(() => parseConfig('inline-ignores:\n  zizmor: no\n', 'pipewarden.yml')).toThrow(/zizmor/);
    expect(() => parseConfig('inline-ignores:\n  zizmorr: true\n', 'pipewarden.yml')).toThrow(/zizmorr/);
  });
});
