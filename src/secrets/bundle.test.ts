/**
 * Secrets in minified JavaScript bundles: a multi-megabyte single line. The token must be found at
 * its real line and column, the text report must show a bounded window of that line (never the
 * line itself), and the scan must stay linear (figures in bench/RESULTS.md, issue 11).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { renderReport } from '../report/index.js';
import { MAX_LINE_CHARS } from '../report/frame.js';
import { Fake, Rng } from './detectors/fake.js';
import { runSecretsScan } from './run.js';
import { leaks, tempDir, write } from '../../test/secrets/fixtures.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A webpack-like minified bundle of about `size` characters: a banner line, then one line of code
 * with the usual look-alikes of a bundle (token/apiKey/password property names, Authorization
 * headers, base64 data URIs, commit hashes), `secrets` spliced in at the given fractions of the
 * line, and a source map comment. Returns the text and each secret's 1-based column on line 2.
 */
function minifiedBundle(rng: Rng, size: number, secrets: ReadonlyArray<{ at: number; code: (s: string) => string; secret: string }>): { text: string; columns: number[] } {
  const id = () => rng.str(LOWER, 1) + rng.str(LOWER + '0123456789', rng.int(3));
  const parts: string[] = [];
  const columns: number[] = [];
  let length = 0;
  let next = 0;
  const pieces: Array<() => string> = [
    () => `function ${id()}(${id()},${id()}){return ${id()}.apply(this,arguments)}`,
    () => `var ${id()}={token:${id()}.token,apiKey:${id()}.apiKey,password:null};`,
    () => `${id()}.headers.Authorization="Bearer "+${id()}.accessToken;`,
    () => `const ${id()}="data:image/png;base64,${Buffer.from(rng.str(LOWER, 90)).toString('base64')}";`,
    () => `if(!${id()})throw new Error("Invalid token: expected a string");`,
    () => `${id()}.sha="${rng.str('0123456789abcdef', 40)}";`,
    () => `for(var ${id()}=0;${id()}<${id()}.length;${id()}++)${id()}.push(${id()}[${id()}]);`,
  ];
  for (let i = 0; length < size; i++) {
    let p = pieces[i % pieces.length]!();
    const s = secrets[next];
    if (s && length >= size * s.at) {
      const code = s.code(s.secret);
      columns.push(length + code.indexOf(s.secret) + 1);
      p = code + p;
      next++;
    }
    parts.push(p);
    length += p.length;
  }
  for (const s of secrets.slice(next)) {
    // At 1 (or past it): at the very end of the line.
    const code = s.code(s.secret);
    columns.push(length + code.indexOf(s.secret) + 1);
    parts.push(code);
    length += code.length;
  }
  return { text: `/*! app v1.0.0 | MIT */\n${parts.join('')}\n//# sourceMappingURL=main.js.map\n`, columns };
}

describe('minified bundles', () => {
  const fake = new Fake(new Rng(2024));
  const TOKEN = fake.checksummed('ghp_');
  const NPM = fake.checksummed('npm_');
  const { text, columns } = minifiedBundle(new Rng(11), 2 << 20, [
    { at: 0.5, code: (s) => `var cfg={githubToken:"${s}"};`, secret: TOKEN },
    { at: 1, code: (s) => `e.npm="${s}";`, secret: NPM },
  ]);
  const line2 = text.split('\n')[1]!;

  it('the generated bundle is what the test claims: one line of about 2 MB, secrets at the columns given', () => {
    expect(line2.length).toBeGreaterThanOrEqual(2 << 20);
    expect(line2.slice(columns[0]! - 1, columns[0]! - 1 + 40)).toBe(TOKEN);
    expect(line2.slice(columns[1]! - 1, columns[1]! - 1 + 40)).toBe(NPM);
    expect(line2.length - columns[1]!).toBeLessThan(MAX_LINE_CHARS); // the second one is at the end of the line
  });

  it('finds the tokens at their line and column; the text report shows a bounded window of the line, secrets starred out', async () => {
    const root = tempDir();
    write(root, 'public/assets/main.3f9c2e.js', text);
    write(root, 'public/assets/main.js.map', text); // skipped by the default ignores (*.js.map)
    const started = performance.now();
    const r = await runSecretsScan(DEFAULT_CONFIG, { mode: 'tree', path: root, ignore: true, maxFileSize: 10 << 20, verify: false });
    const seconds = (performance.now() - started) / 1000;
    const [c1, c2] = columns as [number, number];
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn} ${f.ruleId}`)).toEqual([
      `public/assets/main.3f9c2e.js:2:${c1}-2:${c1 + 40} secrets/github-pat-classic`,
      `public/assets/main.3f9c2e.js:2:${c2}-2:${c2 + 40} secrets/npm-access-token`,
    ]);
    expect(r.diagnostics).toEqual([]);
    // Linear and quick: about 0.5 s on a loaded 2-core VM (bench/RESULTS.md); this only catches a blow-up.
    expect(seconds).toBeLessThan(20);

    const out = renderReport(r.findings, 'text', { ...r, docsFor: () => undefined, toolVersion: 't', color: false, diagnostics: [], root, suppressedCount: 0 });
    const star = (s: string) => s.slice(0, 4) + '*'.repeat(s.length - 4);
    const masked = line2.replace(TOKEN, star(TOKEN)).replace(NPM, star(NPM));
    // Window: 40 characters before the secret, MAX_LINE_CHARS in all, clamped to the line's end.
    const from1 = c1 - 1 - 40;
    const from2 = line2.length - MAX_LINE_CHARS;
    expect(out.split('\n')).toEqual([
      `public/assets/main.3f9c2e.js:2:${c1}: critical[high] secrets/github-pat-classic: GitHub personal access token (classic) ghp_******** found`,
      `  2 | …${masked.slice(from1, from1 + MAX_LINE_CHARS)}…`,
      `    | ${' '.repeat(41)}${'^'.repeat(40)}`,
      '  = detector: github-pat-classic',
      '  = formatCheck: passed',
      '  = help: pipewarden rules secrets/github-pat-classic',
      '',
      `public/assets/main.3f9c2e.js:2:${c2}: critical[high] secrets/npm-access-token: npm access token npm_******** found`,
      `  2 | …${masked.slice(from2)}`,
      `    | ${' '.repeat(1 + c2 - 1 - from2)}${'^'.repeat(40)}`,
      '  = detector: npm-access-token',
      '  = formatCheck: passed',
      '  = help: pipewarden rules secrets/npm-access-token',
      '',
      '2 findings (2 critical)',
      '(severity[confidence]: critical[high] means critical severity, high confidence that the finding is real)',
      '',
    ]);
    expect(leaks(out, [TOKEN, NPM])).toEqual([]);
  });

  it('a *.min.js bundle is read by default', async () => {
    const root = tempDir();
    write(root, 'vendor.min.js', text);
    const r = await runSecretsScan(DEFAULT_CONFIG, { mode: 'tree', path: root, ignore: true, maxFileSize: 10 << 20, verify: false });
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId}`)).toEqual([
      `vendor.min.js:2:${columns[0]} secrets/github-pat-classic`,
      `vendor.min.js:2:${columns[1]} secrets/npm-access-token`,
    ]);
  });

  it('a token deep inside a base64 blob over 1 MiB (an inlined worker) is found; a large base64 image costs no decode', async () => {
    const inner = minifiedBundle(new Rng(12), 1200000, [{ at: 0.9, code: (s) => `self.t="${s}";`, secret: TOKEN }]).text;
    const blob = Buffer.from(inner).toString('base64');
    expect(blob.length).toBeGreaterThan(1 << 20);
    expect(blob.includes(TOKEN)).toBe(false);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(new Rng(3).bytes(1200000))]).toString('base64');
    const root = tempDir();
    write(root, 'dist/app.3f9c2e.js', `var w=new Worker("data:text/javascript;base64,${blob}");\nvar i="data:image/png;base64,${png}";\n`);
    const r = await runSecretsScan(DEFAULT_CONFIG, { mode: 'tree', path: root, ignore: true, maxFileSize: 10 << 20, verify: false });
    // The finding's span is the blob (a base64 finding points at what encodes it).
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${String(f.properties?.encoding)}`)).toEqual([
      'dist/app.3f9c2e.js:1:47 secrets/github-pat-classic base64',
    ]);
  });
});
