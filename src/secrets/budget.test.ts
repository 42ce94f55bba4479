import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { Deadline, forEachMatch, ScanTimeout } from './budget.js';
import { findEncodedBlobs } from './decode.js';
import { findSecrets } from './engine.js';
import { SecretScanner } from './scan.js';

describe('forEachMatch', () => {
  it('steps over empty matches and never goes back, whatever the visitor returns', () => {
    const seen: number[] = [];
    forEachMatch(/(?=a)|b/g, 'aab', (m) => {
      seen.push(m.index);
      return 0; // asks to go back to the start: ignored
    });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('skips ahead when asked, and stops on false', () => {
    const seen: number[] = [];
    forEachMatch(/x/g, 'x.x.x.x', (m) => {
      seen.push(m.index);
      return m.index === 0 ? 4 : m.index === 4 ? false : undefined;
    });
    expect(seen).toEqual([0, 4]);
  });

  it('refuses a regex without the global flag (it would match the same place forever)', () => {
    expect(() => forEachMatch(/x/, 'x', () => {})).toThrow(/global/);
  });
});

describe('Deadline', () => {
  it('names the stage that was running, inside encoded blobs too', () => {
    const d = new Deadline(Number.NEGATIVE_INFINITY);
    expect(() => d.enter('detector a')).toThrow(new ScanTimeout('detector a'));
    const n = Deadline.none();
    const outer = n.nest('base64 blob');
    n.enter('detector b');
    expect(n.stage).toBe('base64 blob > detector b');
    n.unnest(outer);
    n.enter('decoder hex');
    expect(n.stage).toBe('decoder hex');
  });

  it('an expired deadline stops the engine at its first stage', () => {
    const scanner = new SecretScanner(DEFAULT_CONFIG);
    expect(() => findSecrets('token = x', 'a.txt', scanner.engine, new Deadline(Number.NEGATIVE_INFINITY))).toThrow(new ScanTimeout('prefilter'));
  });
});

describe('inputs that used to hang the decoders (issue 8)', () => {
  // Each of these moved the JSON-escape scanner's search backwards, forever.
  const cases = ['"\\\\"\\n', 'const p = "C:\\\\" + name + \'\\n\';\n', '"a\\\\"b"\\n"\\u0041"'.repeat(50), `x = "${'\\\\'.repeat(1000)}"\\n`];

  it.each(cases)('%j finishes', (text) => {
    const started = performance.now();
    findEncodedBlobs(text, { remaining: 1 << 20 }, undefined, Deadline.after(5000));
    findSecrets(text, 'x.js', new SecretScanner(DEFAULT_CONFIG).engine, Deadline.after(5000));
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a long line of escapes and percent signs is scanned in linear time', () => {
    const line = `s = "${'\\n%41%42%43 '.repeat(200_000)}"`;
    const started = performance.now();
    findEncodedBlobs(line, { remaining: 1 << 20 }, undefined, Deadline.after(10_000));
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
