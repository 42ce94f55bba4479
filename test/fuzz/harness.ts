import fc from 'fast-check';

/**
 * The shared fuzz harness (see README.md here). A target is a parser or a pipeline stage with
 * an input generator and the properties every input must satisfy. The runner (runner.ts) runs
 * each target in a worker thread with a per-input deadline, a watchdog for inputs that never
 * finish and a memory cap, so a hang or a blow-up is reported with its input instead of
 * freezing CI.
 */
export interface FuzzTarget<T = unknown> {
  /** Unique, kebab-case: `yaml-loader`, `gitlab-resolver`. */
  name: string;
  /** One line: what is fuzzed and what must hold. */
  about: string;
  arbitrary: fc.Arbitrary<T>;
  /**
   * Runs one input. Throws (an `Error`, typically from `check`) when a property does not hold.
   * Must not rely on state from earlier inputs. An `async` target returns a promise (the
   * deadline covers the whole await); it runs through fc.asyncProperty.
   */
  run(input: T): void | Promise<void>;
  /** The run function is asynchronous (awaits the code under test, e.g. the fix engine). */
  async?: boolean;
  /** Milliseconds one input may take (default 2,000: generous, the machine is shared). */
  deadlineMs?: number;
}

/** Keeps the input type checked where the target is written, erased where targets are listed. */
export function defineTarget<T>(target: FuzzTarget<T>): FuzzTarget {
  return target as FuzzTarget;
}

/** A property violation, with what was expected (the runner prints it with the input). */
export class PropertyError extends Error {}

export function check(ok: unknown, message: string | (() => string)): asserts ok {
  if (!ok) throw new PropertyError(typeof message === 'string' ? message : message());
}

/** Runs `fn`; an exception that is not one of `allowed` is a bug (its message is kept). */
export function onlyThrows<R>(fn: () => R, allowed: ReadonlyArray<abstract new (...args: never[]) => Error>): R | undefined {
  try {
    return fn();
  } catch (e) {
    if (allowed.some((cls) => e instanceof cls)) return undefined;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared input generators

/** Text made of `tokens` (weighted towards the grammar) mixed with arbitrary characters. */
export function tokenText(tokens: readonly string[], maxTokens = 60): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...tokens) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u001b[31m', '\r', '\t', '\u2028', '\ufeff', '\ud800', '\u{1f600}') },
  );
  return fc.array(piece, { maxLength: maxTokens }).map((parts) => parts.join(''));
}

/** Repeats a generated unit many times: long lines, deep nesting, many items. */
export function repeated(unit: fc.Arbitrary<string>, maxTimes: number, sep = ''): fc.Arbitrary<string> {
  return fc.tuple(unit, fc.integer({ min: 1, max: maxTimes })).map(([u, n]) => Array(n).fill(u).join(sep));
}

/** Lines joined with `\n` or `\r\n`. */
export function lines(line: fc.Arbitrary<string>, maxLines = 30): fc.Arbitrary<string> {
  return fc.tuple(fc.array(line, { maxLength: maxLines }), fc.boolean()).map(([ls, crlf]) => ls.join(crlf ? '\r\n' : '\n'));
}
