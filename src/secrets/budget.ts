/**
 * Why no scan can hang: every regex loop in the scanner goes through `forEachMatch`, which
 * always moves forward, and every file is scanned against a `Deadline` that the loops check.
 * Past it, `ScanTimeout` names the stage (detector or decoder) that was running; the caller
 * reports a `scan-timeout` diagnostic for the file and moves on. A single regex match that runs
 * away cannot check anything, so scans also run in worker threads that the pool (pool.ts) kills
 * after the budget and a grace period, reading the stage from shared memory (`StageBoard`).
 */

export class ScanTimeout extends Error {
  constructor(readonly stage: string) {
    super(`scan timed out in ${stage}`);
  }
}

/** Where a scan is; written on every stage change so a killed worker still tells. */
export interface StageSink {
  stage(name: string): void;
}

export class Deadline {
  private current = 'engine';
  private prefix = '';
  private ticks = 0;

  /** `at`: performance.now() time after which checks throw; Infinity for none. */
  constructor(
    private readonly at: number,
    private readonly sink?: StageSink,
  ) {}

  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }

  /** A deadline `ms` from now. */
  static after(ms: number, sink?: StageSink): Deadline {
    return new Deadline(performance.now() + ms, sink);
  }

  get stage(): string {
    return this.current;
  }

  /** Enters a stage (a detector, a decoder); returns the previous one for `leave`. */
  enter(stage: string): string {
    const prev = this.current;
    this.current = this.prefix + stage;
    this.sink?.stage(this.current);
    this.check();
    return prev;
  }

  /** Stages entered until `unnest` are named inside `label` (`base64 blob > detector x`). */
  nest(label: string): string {
    const prev = this.prefix;
    this.prefix = `${prev}${label} > `;
    return prev;
  }

  unnest(prev: string): void {
    this.prefix = prev;
  }

  leave(prev: string): void {
    this.current = prev;
    this.sink?.stage(prev);
  }

  /** Throws ScanTimeout when the deadline has passed. */
  check(): void {
    if (performance.now() > this.at) throw new ScanTimeout(this.current);
  }

  /** Cheap check for hot loops: looks at the clock every 64 calls. */
  tick(): void {
    if ((++this.ticks & 63) === 0) this.check();
  }
}

/**
 * Calls `visit` for each match of the global regex `re` in `text`, starting at `from`.
 * `visit` may return where the next search starts (to skip what it consumed); whatever it
 * returns, the search resumes after the start of the current match, and after its end when
 * the match is not empty, so the loop cannot stall or go backwards. Return `false` to stop.
 */
export function forEachMatch(re: RegExp, text: string, visit: (m: RegExpExecArray) => number | false | void, deadline?: Deadline, from = 0): void {
  if (!re.global && !re.sticky) throw new Error(`forEachMatch needs a global regex: /${re.source}/${re.flags}`);
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const floor = m.index + Math.max(1, m[0].length);
    const next = visit(m);
    if (next === false) break;
    re.lastIndex = typeof next === 'number' && next > floor ? next : floor;
    if (re.lastIndex > text.length) break;
    deadline?.tick();
  }
  re.lastIndex = 0;
}

/** One match of the sticky regex `re` exactly at `index` (no loop, nothing to advance). */
export function matchAt(re: RegExp, text: string, index: number): RegExpExecArray | null {
  re.lastIndex = index;
  const m = re.exec(text);
  re.lastIndex = 0;
  return m;
}

/** `re.test(s)` from the start whatever flags `re` has (a global pattern carries state between calls). */
export function testFrom0(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  const hit = re.test(s);
  re.lastIndex = 0;
  return hit;
}
