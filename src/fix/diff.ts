/**
 * A small unified-diff writer (the `diff -u` / `git diff` hunk format) for `fix --dry-run`.
 * Lines are compared with their terminator, so a missing final newline is a change and is
 * marked with `\ No newline at end of file` like GNU diff does.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their terminators kept (`a\n`, `b`): the last one may lack a newline. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let at = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', at)) {
    out.push(text.slice(at, i + 1));
    at = i + 1;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** Above this many cells the middle is replaced wholesale instead of aligned (memory bound). */
const MAX_LCS_CELLS = 4_000_000;

function editScript(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: ' ', line }));
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  ops.push(...middle(am, bm));
  ops.push(...a.slice(a.length - suf).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

/** Longest common subsequence alignment of the changed middle; deletions before insertions. */
function middle(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_LCS_CELLS) {
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], flattened.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      ops.push({ kind: '-', line: a[i++]! });
    } else {
      ops.push({ kind: '+', line: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

function range(start: number, count: number): string {
  // GNU/git convention: an empty range names the line before it; a count of 1 is implied.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function render(op: Op): string {
  return op.line.endsWith('\n') ? `${op.kind}${op.line}` : `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/**
 * Unified diff of two versions of one file, `--- a/PATH` / `+++ b/PATH`, `context` lines
 * around each change (hunks closer than 2×context are merged). Empty string when equal.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k !== -1);
  // Group changes into hunks: [first op index, last op index] including context.
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - last[1] <= 2 * context + 1) last[1] = k;
    else hunks.push([k, k]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const [first, lastChange] of hunks) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, lastChange + context);
    // Line numbers of the hunk's first line in each file.
    let aLine = 1;
    let bLine = 1;
    for (let k = 0; k < from; k++) {
      if (ops[k]!.kind !== '+') aLine++;
      if (ops[k]!.kind !== '-') bLine++;
    }
    const slice = ops.slice(from, to + 1);
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    out += `@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@\n`;
    out += slice.map(render).join('');
  }
  return out;
}
