import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, discoverConfig, findRepoRoot, isRealDate, loadConfig, parseConfig } from './load.js';
import { positionOf } from './positions.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pipewarden-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(root: string, rel: string, text = ''): string {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** The ConfigError thrown for `text`, as `line:column message`. */
function errorOf(text: string): string {
  try {
    parseConfig(text, 'cfg.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    expect(err.file).toBe('cfg.yml');
    return `${err.line}:${err.column} ${err.message}`;
  }
  throw new Error('expected a ConfigError');
}

describe('findRepoRoot', () => {
  it('walks up from a file to the directory holding .git', () => {
    const root = tempDir();
    mkdirSync(join(root, '.git'));
    const file = write(root, 'a/b/c.yml');
    expect(findRepoRoot(file)).toBe(root);
    expect(findRepoRoot(join(root, 'a'))).toBe(root);
  });

  it('accepts a .git file (worktrees, submodules)', () => {
    const root = tempDir();
    write(root, 'sub/.git', 'gitdir: ../.git/modules/sub\n');
    expect(findRepoRoot(write(root, 'sub/x.yml'))).toBe(join(root, 'sub'));
  });

  it('falls back to the start directory (or the directory of a file)', () => {
    const root = tempDir();
    const file = write(root, 'a/x.yml');
    // The expectation must not come from findRepoRoot itself (a fallback to `/` would then pass):
    // no directory above the temp folder may hold a .git, checked here directly.
    const ancestors: string[] = [];
    for (let d = root; ; d = dirname(d)) {
      ancestors.push(d);
      if (dirname(d) === d) break;
    }
    expect(ancestors.filter((d) => existsSync(join(d, '.git')))).toEqual([]);
    expect(findRepoRoot(file)).toBe(join(root, 'a'));
    expect(findRepoRoot(join(root, 'a'))).toBe(join(root, 'a'));
    expect(findRepoRoot(root)).toBe(root);
  });
});

describe('discoverConfig', () => {
  const order = ['.github/pipewarden.yml', '.github/pipewarden.yaml', 'pipewarden.yml', 'pipewarden.yaml', '.pipewarden.yml'];

  it('returns undefined when there is no config', () => {
    expect(discoverConfig(tempDir())).toBeUndefined();
  });

  it('prefers each candidate over the ones after it', () => {
    for (let i = 0; i < order.length; i++) {
      const root = tempDir();
      for (const name of order.slice(i)) write(root, name, 'rules: {}\n');
      expect(discoverConfig(root)).toBe(join(root, order[i]!));
    }
  });

  it('ignores a directory with a candidate name', () => {
    const root = tempDir();
    mkdirSync(join(root, 'pipewarden.yml'));
    write(root, '.pipewarden.yml');
    expect(discoverConfig(root)).toBe(join(root, '.pipewarden.yml'));
  });
});

describe('loadConfig', () => {
  it('loads a full config and fills defaults', () => {
    const root = tempDir();
    const path = write(
      root,
      'pipewarden.yml',
      [
        'rules:',
        '  template-injection:',
        '    severity: critical',
        '  unpinned-uses:',
        '    enabled: false',
        '    options: { allow: [actions/*] }',
        'ignore:',
        "  - rule: '*'",
        "    path: 'vendor/**'",
        '    reason: third-party code',
        '    expires: 2030-01-31',
        'secrets:',
        '  allow: ["EXAMPLE[0-9]+"]',
        '  paths-ignore: ["**/testdata/**"]',
        '  detectors:',
        '    - id: acme-token',
        '      regex: acme_[a-z0-9]{32}',
        '      keywords: [acme_]',
        '      severity: high',
      ].join('\n'),
    );
    const config = loadConfig(path);
    expect(config).toEqual({
      rules: {
        'template-injection': { severity: 'critical' },
        'unpinned-uses': { enabled: false, options: { allow: ['actions/*'] } },
      },
      ignore: [{ rule: '*', path: 'vendor/**', reason: 'third-party code', expires: '2030-01-31' }],
      secrets: {
        allow: ['EXAMPLE[0-9]+'],
        'paths-ignore': ['**/testdata/**'],
        detectors: [{ id: 'acme-token', regex: 'acme_[a-z0-9]{32}', keywords: ['acme_'], severity: 'high' }],
      },
      source: path,
    });
    expect(positionOf(config, ['ignore', 0])).toEqual({ line: 8, column: 5 });
    expect(positionOf(config, ['rules', 'unpinned-uses'])).toEqual({ line: 4, column: 3 });
  });

  it('treats an empty or comment-only file as defaults', () => {
    const root = tempDir();
    expect(loadConfig(write(root, 'a.yml', ''))).toEqual({ rules: {}, ignore: [], secrets: {}, source: join(root, 'a.yml') });
    expect(loadConfig(write(root, 'b.yml', '# nothing yet\n')).rules).toEqual({});
  });

  it('reports an unreadable file', () => {
    const missing = join(tempDir(), 'nope.yml');
    expect(() => loadConfig(missing)).toThrow(ConfigError);
    expect(() => loadConfig(missing)).toThrow(/cannot read config file/);
  });

  it('accepts unknown rule ids (the CLI warns about them)', () => {
    expect(parseConfig('rules:\n  no-such-rule: { enabled: false }\n', 'x').rules).toEqual({ 'no-such-rule': { enabled: false } });
  });
});

describe('schema errors point at the offending key or value', () => {
  it('unknown top-level key, with a suggestion', () => {
    expect(errorOf('rules: {}\nignores: []\n')).toBe('2:1 unknown key `ignores` in the top level; did you mean `ignore`?');
  });

  it('unknown key in a rule lists the allowed keys', () => {
    expect(errorOf('rules:\n  a:\n    level: high\n')).toBe(
      '3:5 unknown key `level` in rules.a; expected one of: enabled, severity, options',
    );
  });

  it('bad severity value', () => {
    expect(errorOf('rules:\n  a:\n    severity: hgh\n')).toBe(
      '3:15 rules.a.severity must be one of critical, high, medium, low, info (got "hgh")',
    );
  });

  it('wrong type', () => {
    expect(errorOf('rules:\n  a:\n    enabled: "no"\n')).toBe('3:14 rules.a.enabled must be true or false (got "no")');
    expect(errorOf('- a\n')).toBe('1:1 the top level must be a mapping (got a list)');
    expect(errorOf('ignore:\n  rule: x\n')).toBe('2:3 ignore must be a list (got a mapping)');
  });

  it('ignore entry without a reason, or with an empty one', () => {
    expect(errorOf('ignore:\n  - rule: a\n    path: b\n')).toBe(
      '2:5 ignore[0] is missing the required key `reason` (every ignore must say why the finding is acceptable)',
    );
    expect(errorOf('ignore:\n  - rule: a\n    path: b\n    reason: ""\n')).toBe('4:13 ignore[0].reason must not be empty');
    expect(errorOf('ignore:\n  - rule: a\n    path: b\n    reason: "  "\n')).toBe('4:13 ignore[0].reason must not be blank');
  });

  it('an empty value points at its key', () => {
    expect(errorOf('ignore:\n  - rule: a\n    path: b\n    reason:\n')).toBe('4:5 ignore[0].reason must be a string (got an empty value)');
  });

  it('malformed and impossible expiry dates', () => {
    expect(errorOf('ignore:\n  - {rule: a, path: b, reason: c, expires: 31/01/2030}\n')).toBe(
      '2:44 ignore[0].expires must be a date written YYYY-MM-DD (got "31/01/2030")',
    );
    expect(errorOf('ignore:\n  - {rule: a, path: b, reason: c, expires: 2030-02-30}\n')).toBe(
      '2:44 ignore[0].expires is not a real date: 2030-02-30',
    );
  });

  it('line 0 in an ignore path', () => {
    expect(errorOf('ignore:\n  - {rule: a, path: "b.yml:0", reason: c}\n')).toBe('2:21 ignore[0].path: line numbers start at 1');
  });

  it('reports the first problem in the file when there are several', () => {
    expect(errorOf('rules:\n  a: {severity: bad}\nzzz: 1\naaa: 2\n')).toBe(
      '2:17 rules.a.severity must be one of critical, high, medium, low, info (got "bad")',
    );
  });

  it('bad detector id and duplicate ids', () => {
    expect(errorOf('secrets:\n  detectors:\n    - {id: "-x", regex: a}\n')).toBe(
      "3:12 secrets.detectors[0].id must start with a letter or digit and use only letters, digits, '.', '_' and '-' (got \"-x\")",
    );
    expect(errorOf('secrets:\n  detectors:\n    - {id: x, regex: a}\n    - {id: x, regex: b}\n')).toBe(
      '4:12 secrets.detectors[1].id: duplicate detector id `x`',
    );
  });

  it('empty rule id', () => {
    expect(errorOf('rules:\n  "": {}\n')).toBe('2:3 rules has an empty rule id');
  });
});

describe('regex checks', () => {
  it('rejects a regex that does not compile, at its position', () => {
    expect(errorOf('secrets:\n  allow:\n    - ok\n    - "a(b"\n')).toMatch(/^4:7 secrets\.allow\[1\]: invalid regular expression: /);
  });

  it('rejects catastrophic detector regexes', () => {
    expect(errorOf('secrets:\n  detectors:\n    - id: x\n      regex: "(a+)+$"\n')).toBe(
      '4:14 secrets.detectors[0].regex: nested quantifier in `(a+)+` (at offset 0) can backtrack catastrophically; ' +
        'make sure something that the inner repetition cannot match separates one iteration from the next',
    );
  });

  it('rejects overly long regexes', () => {
    expect(errorOf(`secrets:\n  allow: ["${'a'.repeat(1001)}"]\n`)).toBe(
      '2:11 secrets.allow[0]: regular expression is 1001 characters long; the limit is 1000',
    );
  });
});

describe('YAML problems', () => {
  it('malformed YAML has a position', () => {
    expect(errorOf('rules:\n  a: [1\n')).toMatch(/^3:1 invalid YAML: /);
  });

  it('duplicate keys', () => {
    expect(errorOf('rules: {}\nrules: {}\n')).toBe('2:1 invalid YAML: Map keys must be unique');
  });

  it('an unquoted * explains the fix', () => {
    expect(errorOf('ignore:\n  - rule: *\n    path: a\n    reason: b\n')).toMatch(/^2:11 invalid YAML: .*quote values that start with `\*`/);
    expect(errorOf('ignore:\n  - rule: a\n    path: **/x\n    reason: b\n')).toBe(
      "3:11 invalid YAML: `**/x` is read as an alias to an anchor that does not exist; quote values that start with `*`, e.g. '*' or '**/*.yml'",
    );
  });

  it('multiple documents', () => {
    expect(errorOf('rules: {}\n---\nignore: []\n')).toMatch(/^2:1 invalid YAML: Source contains multiple documents/);
  });

  it('anchors and aliases still work', () => {
    const config = parseConfig('rules:\n  a: &off { enabled: false }\n  b: *off\n', 'f');
    expect(config.rules).toEqual({ a: { enabled: false }, b: { enabled: false } });
  });
});

describe('ConfigError', () => {
  it('formats as file:line:column', () => {
    expect(new ConfigError('a.yml', 'boom', 3, 7).format()).toBe('a.yml:3:7: boom');
    expect(new ConfigError('a.yml', 'boom').format()).toBe('a.yml: boom');
  });
});

describe('isRealDate', () => {
  it('checks calendar validity', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2024-13-01')).toBe(false);
    expect(isRealDate('2024-1-01')).toBe(false);
  });
});
