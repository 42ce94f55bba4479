import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { DETECTOR_FAMILIES, DETECTORS, detectorById } from './index.js';

/**
 * Why a detector regex breaks the house rules, or undefined: every quantifier bounded
 * (`{n,m}`, `?`), and no quantified group may contain a variable quantifier (`(a{1,3})?`).
 */
function regexPolicyViolation(src: string): string | undefined {
  const stack: { variable: boolean }[] = [{ variable: false }];
  let lastGroupVariable: boolean | undefined; // set right after a `)` closes a group
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const afterGroup = lastGroupVariable;
    lastGroupVariable = undefined;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      stack.push({ variable: false });
      if (src[i + 1] === '?') i += src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!' ? src.indexOf('>', i) - i : src[i + 2] === '<' ? 3 : 2;
      continue;
    }
    if (c === ')') {
      const g = stack.pop()!;
      lastGroupVariable = g.variable;
      if (g.variable) stack[stack.length - 1]!.variable = true;
      continue;
    }
    if (c === '*' || c === '+') return `unbounded quantifier "${c}" at ${i}`;
    const brace = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i)) : null;
    if (c === '?' || brace) {
      if (brace && brace[2] !== undefined && brace[3] === '') return `unbounded quantifier "${brace[0]}" at ${i}`;
      const variable = c === '?' || (brace![2] !== undefined && brace![1] !== brace![3]);
      if (afterGroup && (variable || brace)) return `quantified group contains a variable quantifier at ${i}`;
      if (variable) stack[stack.length - 1]!.variable = true;
      if (brace) i += brace[0].length - 1;
      if (src[i + 1] === '?') i++; // lazy modifier
    }
  }
  return undefined;
}

describe('DETECTORS', () => {
  it('has at least 150 detectors with unique kebab-case ids', () => {
    expect(DETECTORS.length).toBeGreaterThanOrEqual(150);
    const ids = DETECTORS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(detectorById('github-pat-classic')?.family).toBe('vcs');
  });

  it('declares lower-case keywords, a global regex with indices and a family matching its file', () => {
    for (const [family, list] of Object.entries(DETECTOR_FAMILIES)) {
      for (const d of list) {
        expect(d.family, d.id).toBe(family);
        expect(d.keywords.length, d.id).toBeGreaterThan(0);
        for (const k of d.keywords) expect(k, d.id).toBe(k.toLowerCase());
        expect(d.regex.global && d.regex.hasIndices, d.id).toBe(true);
        expect(d.title.length, d.id).toBeGreaterThan(5);
      }
    }
  });

  it('uses only bounded quantifiers and no nested variable quantifiers', () => {
    const problems = DETECTORS.map((d) => [d.id, regexPolicyViolation(d.regex.source)]).filter(([, p]) => p);
    expect(problems).toEqual([]);
  });

  it('the policy check itself catches the shapes it forbids', () => {
    expect(regexPolicyViolation('a+')).toMatch(/unbounded/);
    expect(regexPolicyViolation('[a+*]{1,5}\\+')).toBeUndefined();
    expect(regexPolicyViolation('a{3,}')).toMatch(/unbounded/);
    expect(regexPolicyViolation('(?:a{1,3}b)?')).toMatch(/group/);
    expect(regexPolicyViolation('(?:a{2}\\.)?(?<n>x{1,4})')).toBeUndefined();
    expect(regexPolicyViolation('(?:(?:ab){1,2}c){3}')).toMatch(/group/);
  });

  it('has a table-driven test file per family', () => {
    for (const family of Object.keys(DETECTOR_FAMILIES)) {
      const file = new URL(`./${family}.test.ts`, import.meta.url);
      expect(existsSync(file), family).toBe(true);
      expect(readFileSync(file, 'utf8'), family).toMatch(/coverage/);
    }
  });
});

describe('regexes on hostile input', () => {
  const N = 100_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  const generic = [
    fill('a'),
    fill('A'),
    fill('0'),
    fill('='),
    fill('-'),
    fill(' '),
    fill('aA0'),
    fill('a.'),
    fill('a:'),
    fill('a@'),
    fill('a_'),
    fill('eyJ'),
    fill('eyJhbGciOiJub25lIn0.'),
    fill('password='),
    fill('password = "'),
    fill('key: '),
    fill('://a:b@'),
    fill('-----BEGIN PRIVATE KEY-----\n'),
    fill('-----BEGIN RSA PRIVATE KEY-----\nMIIB'),
    fill('<password>'),
    fill('machine a login b '),
    fill('Authorization: Bearer '),
    fill('sv=2020-01-01&sig='),
  ];
  const BOUND_MS = 1500; // generous: catches exponential behaviour, not slow machines

  it('every detector regex stays fast on 100 KB adversarial strings', { timeout: 120_000 }, () => {
    const slow: string[] = [];
    let worst = 0;
    for (const d of DETECTORS) {
      const inputs = [...generic];
      for (const k of d.keywords) inputs.push(fill(k), k + fill('a'), k + fill('A1'), k + '=' + fill('x'), fill(k + '_'));
      for (const input of inputs) {
        const timed = (): number => {
          const re = new RegExp(d.regex.source, d.regex.flags);
          const t0 = performance.now();
          let n = 0;
          for (let m = re.exec(input); m !== null && n < 1e6; m = re.exec(input), n++) if (m[0].length === 0) re.lastIndex++;
          return performance.now() - t0;
        };
        // A slow run is timed twice more and the fastest counts: backtracking is slow every time,
        // a busy machine (a parallel suite, other jobs) only now and then.
        let ms = timed();
        for (let retry = 0; retry < 2 && ms > BOUND_MS; retry++) ms = Math.min(ms, timed());
        worst = Math.max(worst, ms);
        if (ms > BOUND_MS) slow.push(`${d.id}: ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 30))}...`);
      }
    }
    expect(slow).toEqual([]);
    expect(worst).toBeLessThan(BOUND_MS);
  });

  it('detectSecrets end to end stays fast on the same inputs', () => {
    for (const input of generic) {
      const t0 = performance.now();
      detectSecrets(input);
      expect(performance.now() - t0, JSON.stringify(input.slice(0, 30))).toBeLessThan(5 * BOUND_MS);
    }
  });
});
