/**
 * History (`--git`) and staged (`--staged`) sources. Instead of asking git for a patch of every
 * commit (`git log -p` reads both versions of every changed file and diffs them), this lists
 * what changed with `git diff-tree --stdin --raw` (cheap: trees only), then reads each unique
 * blob once through one `git cat-file --batch` and works out its added lines itself against the
 * previous version (linediff.ts), whose line hashes are kept only until the last version that
 * needs them has been read. A blob is attributed to the first commit, in topological order, that
 * introduced it.
 *
 * Failures are local: an unreadable blob, tree or commit is reported as a diagnostic (which
 * fails the gate) and everything else is still scanned. A shallow clone is said to be one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { gitEnv, GitError, SAFE_GIT_CONFIG } from './git.js';
import { addedLines, hashLineBytes } from './linediff.js';
import { decodeText, textKind } from './text.js';

export interface CommitInfo {
  commit: string;
  author: string;
  email: string;
  date: string;
}

/** Text to scan from one blob: its added lines (or all of it), with their line numbers. */
export interface ChangeBlock {
  file: string;
  commit?: CommitInfo;
  text: string;
  /** 1-based line in the file of the 0-based line `index` of `text`. */
  lineOf(index: number): number;
  /** Bytes of the blob. */
  size: number;
}

export interface ChangeScanOptions {
  accept(path: string): boolean;
  maxFileSize: number;
  /** Called with each block; awaited, so a slow consumer slows reading (backpressure). */
  onBlock(b: ChangeBlock): Promise<void> | void;
  onProgress?(bytes: number): void;
  diag(d: Diagnostic): void;
}

const NULL_ID = /^0+$/;
const HEADER = '\x1e';
const FORMAT = '--format=%x1e%H%x1f%an%x1f%ae%x1f%aI';
/** git's cache of delta bases while reading blobs (see readPlan); its default is 96m. */
const DELTA_BASE_CACHE = '256m';
/** Diagnostics of one kind beyond this are summed up in one line. */
const MAX_NOTES = 20;

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', ['--no-pager', ...SAFE_GIT_CONFIG, ...args], { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** git's last `fatal:`/`error:` lines, for a diagnostic. */
function reasonOf(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /^(?:fatal|error):/.test(l));
  return (lines.at(-1) ?? stderr.trim().split('\n').at(-1) ?? 'git failed').replace(/^(?:fatal|error):\s*/, '');
}

/** One changed path of a commit (or of the index), from `--raw -z` output. */
export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldId: string;
  newId: string;
  status: string;
  path: string;
}

/** Parses the NUL-separated tokens of `--raw -z` entries; `onHeader` gets `--format` header tokens. */
export class RawParser {
  private carry = '';
  private pending: string[] | undefined; // meta + paths still expected
  private expect = 0;

  constructor(
    private readonly onEntry: (e: RawEntry) => void,
    private readonly onHeader: (h: string) => void = () => {},
  ) {}

  push(chunk: string): void {
    const tokens = (this.carry + chunk).split('\0');
    this.carry = tokens.pop()!;
    for (const t of tokens) this.token(t);
  }

  end(): void {
    if (this.carry) this.token(this.carry);
    this.carry = '';
  }

  private token(raw: string): void {
    if (this.pending) {
      this.pending.push(raw);
      if (--this.expect === 0) this.finish();
      return;
    }
    const t = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (t.startsWith(HEADER)) return this.onHeader(t.slice(1));
    if (!t.startsWith(':')) return; // blank separators
    const meta = t.slice(1).split(' ');
    if (meta.length < 5) return;
    this.pending = meta;
    // Renames and copies name the source and the destination.
    this.expect = /^[RC]/.test(meta[4]!) ? 2 : 1;
  }

  private finish(): void {
    const p = this.pending!;
    this.pending = undefined;
    const [oldMode = '', newMode = '', oldId = '', newId = '', status = ''] = p;
    this.onEntry({ oldMode, newMode, oldId, newId, status: status.charAt(0), path: p[p.length - 1]! });
  }
}

/** Commits reachable from any ref and not from `since`, parents before children. */
function listCommits(top: string, since: string | undefined, diag: (d: Diagnostic) => void): string[] {
  const r = git(top, ['rev-list', '--all', ...(since ? [`^${since}`] : []), '--topo-order', '--reverse', '--']);
  if (r.ok) return r.stdout.split('\n').filter((l) => l.length > 0);
  // A corrupt or missing commit stops rev-list: walk the readable part ourselves.
  return walkReadableCommits(top, since, diag, reasonOf(r.stderr));
}

/**
 * The commit graph as far as it can be read: from every ref tip through parents, skipping
 * commits that cannot be read (each reported). Parents before children.
 */
function walkReadableCommits(top: string, since: string | undefined, diag: (d: Diagnostic) => void, why: string): string[] {
  const tips = git(top, ['for-each-ref', '--format=%(objectname) %(*objectname)']).stdout.split('\n').flatMap((l) => l.trim().split(' ').filter(Boolean).slice(-1));
  const head = git(top, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (head.ok) tips.push(head.stdout.trim());
  const parents = new Map<string, string[]>();
  const unreadable: string[] = [];
  const read = (start: string[]): Set<string> => {
    const seen = new Set<string>();
    let frontier = [...new Set(start)];
    while (frontier.length > 0) {
      const batch = frontier.filter((c) => !seen.has(c));
      for (const c of batch) seen.add(c);
      if (batch.length === 0) break;
      const out = spawnSync('git', ['--no-pager', ...SAFE_GIT_CONFIG, 'cat-file', '--batch'], { cwd: top, env: gitEnv(), input: batch.join('\n') + '\n', maxBuffer: 1 << 30 });
      const objects = parseBatch(out.stdout ?? Buffer.alloc(0));
      const next: string[] = [];
      for (const c of batch) {
        const o = objects.get(c);
        if (!o) {
          unreadable.push(c);
          continue;
        }
        if (o.type !== 'commit') continue; // a tag of a tree or blob: no history
        const ps = [...o.data.toString('latin1').split('\n\n')[0]!.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]!);
        parents.set(c, ps);
        next.push(...ps);
      }
      frontier = next;
    }
    return seen;
  };
  const excluded = since ? read([since]) : new Set<string>();
  const all = read(tips);
  for (const c of unreadable) {
    diag({ level: 'error', code: 'unreadable-object', failsGate: true, message: `history: commit ${c} cannot be read (${why}); the history behind it on that path was not scanned` });
  }
  // Parents before children (Kahn's algorithm over the readable commits).
  const wanted = [...all].filter((c) => parents.has(c) && !excluded.has(c));
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const c of wanted) {
    const ps = parents.get(c)!.filter((p) => parents.has(p) && !excluded.has(p));
    waiting.set(c, ps.length);
    for (const p of ps) children.set(p, [...(children.get(p) ?? []), c]);
  }
  const order: string[] = [];
  const ready = wanted.filter((c) => waiting.get(c) === 0).sort();
  while (ready.length > 0) {
    const c = ready.shift()!;
    order.push(c);
    for (const ch of children.get(c) ?? []) {
      const n = waiting.get(ch)! - 1;
      waiting.set(ch, n);
      if (n === 0) ready.push(ch);
    }
  }
  return order;
}

/** Parses a whole `cat-file --batch` answer (small: commits); objects by id. */
function parseBatch(buf: Buffer): Map<string, { type: string; data: Buffer }> {
  const out = new Map<string, { type: string; data: Buffer }>();
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(10, at);
    if (nl === -1) break;
    const [id = '', type = '', size] = buf.toString('latin1', at, nl).split(' ');
    at = nl + 1;
    if (size === undefined) continue; // "<id> missing"
    const n = Number(size);
    out.set(id, { type, data: buf.subarray(at, at + n) });
    at += n + 1;
  }
  return out;
}

/**
 * Runs `git diff-tree --stdin` over `commits`, calling `onCommit` with each commit's header and
 * entries once they are complete. When git dies on an unreadable tree or blob, the commit it
 * was on is retried alone (then without rename detection, which reads blobs), reported if it
 * still fails, and the rest continue in a new process.
 */
async function diffCommits(top: string, commits: string[], onCommit: (header: string, entries: RawEntry[]) => void, diag: (d: Diagnostic) => void): Promise<void> {
  let rest = commits;
  while (rest.length > 0) {
    const seen: string[] = [];
    let entries: RawEntry[] = [];
    let header: string | undefined;
    const r = await runGit(top, ['diff-tree', '--stdin', '-r', '--raw', '--no-abbrev', '-z', '-M', '--root', '--no-ext-diff', '--no-textconv', FORMAT], rest.join('\n') + '\n', {
      onHeader: (h) => {
        if (header !== undefined) onCommit(header, entries);
        header = h;
        entries = [];
        seen.push(h.slice(0, h.indexOf('\x1f')));
      },
      onEntry: (e) => entries.push(e),
    });
    if (r.ok) {
      if (header !== undefined) onCommit(header, entries);
      return;
    }
    // The last commit seen may be cut short: it and the next one are retried alone.
    const done = Math.max(0, seen.length - 1);
    const suspects = rest.slice(done, done + 2);
    rest = rest.slice(done + 2);
    for (const c of suspects) {
      let ok = false;
      let reason = r.reason;
      for (const renames of [['-M'], ['--no-renames']]) {
        const one: Array<[string, RawEntry[]]> = [];
        let h: string | undefined;
        let es: RawEntry[] = [];
        const single = await runGit(top, ['diff-tree', '-r', '--raw', '--no-abbrev', '-z', ...renames, '--root', '--no-ext-diff', '--no-textconv', FORMAT, c], undefined, {
          onHeader: (x) => {
            if (h !== undefined) one.push([h, es]);
            h = x;
            es = [];
          },
          onEntry: (e) => es.push(e),
        });
        if (single.ok) {
          if (h !== undefined) one.push([h, es]);
          for (const [hh, ee] of one) onCommit(hh, ee);
          ok = true;
          break;
        }
        reason = single.reason;
      }
      if (!ok && (await diffAgainstEmpty(top, c, onCommit))) {
        ok = true;
        diag({ level: 'warning', code: 'unreadable-object', message: `history: the parent of commit ${c} cannot be read (${reason}); every file of that commit was scanned as if added there` });
      }
      if (!ok) diag({ level: 'error', code: 'unreadable-object', failsGate: true, message: `history: the changes of commit ${c} cannot be read (${reason}); not scanned` });
    }
  }
}

/**
 * A commit whose parent cannot be read still has a readable tree, usually: its files, compared
 * with an empty tree, are what can still be scanned of the history up to it.
 */
async function diffAgainstEmpty(top: string, commit: string, onCommit: (header: string, entries: RawEntry[]) => void): Promise<boolean> {
  // Not `git show`: it reads the parents too.
  const raw = git(top, ['cat-file', 'commit', commit]);
  const empty = git(top, ['hash-object', '-t', 'tree', '/dev/null']).stdout.trim();
  const info = raw.ok ? authorOf(commit, raw.stdout) : undefined;
  if (!info || !empty) return false;
  const entries: RawEntry[] = [];
  const r = await runGit(top, ['diff-tree', '-r', '--raw', '--no-abbrev', '-z', '--no-renames', empty, commit], undefined, { onHeader: () => {}, onEntry: (e) => entries.push(e) });
  if (!r.ok) return false;
  onCommit([info.commit, info.author, info.email, info.date].join('\x1f'), entries);
  return true;
}

/** Author and date (`%aI` form) from a raw commit object's `author Name <email> 1704067200 +0100` line. */
function authorOf(commit: string, raw: string): CommitInfo | undefined {
  const m = /^author (.*) <([^>]*)> (\d+) ([+-])(\d\d)(\d\d)$/m.exec(raw);
  if (!m) return undefined;
  const offset = (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
  const local = new Date((Number(m[3]) + offset * 60) * 1000).toISOString().slice(0, 19);
  return { commit, author: m[1]!, email: m[2]!, date: `${local}${m[4]}${m[5]}:${m[6]}` };
}

/** Runs git with `input`, feeding stdout to a RawParser; resolves with git's success and reason. */
async function runGit(
  top: string,
  args: string[],
  input: string | undefined,
  handlers: { onHeader: (h: string) => void; onEntry: (e: RawEntry) => void },
): Promise<{ ok: boolean; reason: string }> {
  const { child, closed } = spawnGit(top, args, input);
  const parser = new RawParser(handlers.onEntry, handlers.onHeader);
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout! as AsyncIterable<string>) parser.push(chunk);
  parser.end();
  const { code, stderr } = await closed;
  return { ok: code === 0, reason: reasonOf(stderr) };
}

/** Spawns git (no shell, safe config) with `input` on stdin; `closed` gives its exit code and the start of its stderr. */
function spawnGit(top: string, args: string[], input: string | undefined): { child: ChildProcess; closed: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn('git', ['--no-pager', ...SAFE_GIT_CONFIG, ...args], { cwd: top, env: gitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) {
    child.stdin!.on('error', () => {}); // git exiting early is reported through its exit code
    child.stdin!.end(input);
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 16384) stderr += d;
  });
  const closed = new Promise<{ code: number | null; stderr: string }>((res, rej) => {
    child.on('error', (e) => rej(new GitError(`cannot run git: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    child.on('close', (code) => res({ code, stderr }));
  });
  return { child, closed };
}

/** What to read: a blob to scan (with the version it changed from), or a parent only for its line hashes. */
interface Planned {
  id: string;
  scan?: { path: string; commit?: CommitInfo; parent?: string };
}

/**
 * Blob-level plan: the first appearance (in the order entries come) of every accepted, changed
 * regular file, and the parent versions that must be read first because no earlier read has them.
 */
class Plan {
  readonly reads: Planned[] = [];
  private readonly scanned = new Set<string>();
  private readonly read = new Set<string>();
  /** Later reads that need a blob's line hashes as their parent. */
  readonly uses = new Map<string, number>();

  constructor(private readonly accept: (path: string) => boolean) {}

  add(e: RawEntry, commit?: CommitInfo): void {
    if (e.status === 'D' || NULL_ID.test(e.newId) || !isRegularFile(e.newMode) || !this.accept(e.path)) return;
    if (this.scanned.has(e.newId)) return;
    const parent = /^[MRCT]$/.test(e.status) && isRegularFile(e.oldMode) && !NULL_ID.test(e.oldId) ? e.oldId : undefined;
    if (parent !== undefined) {
      // A version no earlier read brings (older than --since, or at an ignored path): read it for its lines only.
      if (!this.read.has(parent)) this.push({ id: parent });
      this.uses.set(parent, (this.uses.get(parent) ?? 0) + 1);
    }
    this.scanned.add(e.newId);
    this.push({ id: e.newId, scan: { path: e.path, commit, parent } });
  }

  private push(p: Planned): void {
    this.read.add(p.id);
    this.reads.push(p);
  }
}

/** Regular files (100644, 100755); not symlinks (120000), submodules (160000) or trees. */
function isRegularFile(mode: string): boolean {
  return mode.startsWith('100');
}

function parseHeader(h: string): CommitInfo {
  const [commit = '', author = '', email = '', date = ''] = h.split('\x1f');
  return { commit, author, email, date };
}

/** Scans the history of every ref (or only what is not reachable from `since`). */
export async function scanHistory(top: string, since: string | undefined, opts: ChangeScanOptions): Promise<{ bytes: number }> {
  noteShallow(top, opts.diag);
  const commits = listCommits(top, since, opts.diag);
  const plan = new Plan(opts.accept);
  await diffCommits(
    top,
    commits,
    (header, entries) => {
      const info = parseHeader(header);
      for (const e of entries) plan.add(e, info);
    },
    opts.diag,
  );
  return readPlan(top, plan, opts);
}

/** Scans the staged changes: the index against HEAD (or against nothing before the first commit). */
export async function scanStaged(top: string, opts: ChangeScanOptions): Promise<{ bytes: number }> {
  const head = git(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{tree}']);
  const base = head.ok ? head.stdout.trim() : git(top, ['hash-object', '-t', 'tree', '/dev/null']).stdout.trim();
  const plan = new Plan(opts.accept);
  const r = await runGit(top, ['diff-index', '--cached', '-r', '--raw', '--no-abbrev', '-z', '-M', base, '--'], undefined, {
    onHeader: () => {},
    onEntry: (e) => plan.add(e),
  });
  if (!r.ok) throw new GitError(`git diff-index failed: ${r.reason}`);
  return readPlan(top, plan, opts);
}

/** Says so when the repository is a shallow clone: history before the boundary commits is not there. */
function noteShallow(top: string, diag: (d: Diagnostic) => void): void {
  if (git(top, ['rev-parse', '--is-shallow-repository']).stdout.trim() !== 'true') return;
  const file = resolve(top, git(top, ['rev-parse', '--git-path', 'shallow']).stdout.trim());
  let listed = '';
  try {
    listed = readFileSync(file, 'utf8');
  } catch {
    // no list: say it without the commits
  }
  const boundary = listed.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l));
  const named = boundary.slice(0, 3).map((c) => {
    const date = git(top, ['show', '-s', '--no-show-signature', '--format=%aI', c]).stdout.trim();
    return `${c.slice(0, 12)}${date ? ` (${date})` : ''}`;
  });
  const where = boundary.length === 0 ? '' : ` before commit${boundary.length === 1 ? '' : 's'} ${named.join(', ')}${boundary.length > 3 ? ` and ${boundary.length - 3} more` : ''}`;
  diag({
    level: 'warning',
    code: 'history-truncated',
    message: `history is truncated: this is a shallow clone, so the history${where} is not in the repository and was not scanned (the boundary commit${boundary.length === 1 ? ' is' : 's are'} scanned as if every file were added); run \`git fetch --unshallow\` to scan all of it`,
  });
}

/** Reads the planned blobs through one `git cat-file --batch`, in plan order. */
async function readPlan(top: string, plan: Plan, opts: ChangeScanOptions): Promise<{ bytes: number }> {
  if (plan.reads.length === 0) return { bytes: 0 };
  const hashes = new Map<string, Int32Array | undefined>();
  const notes = { unreadable: 0, large: 0 };
  let bytes = 0;
  // Blobs come in history order, mostly older versions first; git stores those as deltas against
  // newer ones, and with its default 96 MB cache of delta bases it rebuilds the same bases again
  // and again (4.2 s of CPU on the benchmark history, 1.9 s with 256 MB).
  const { child, closed } = spawnGit(top, ['-c', `core.deltaBaseCacheLimit=${DELTA_BASE_CACHE}`, 'cat-file', '--batch'], plan.reads.map((r) => r.id).join('\n') + '\n');

  const useParent = (id: string | undefined): Int32Array | undefined => {
    if (id === undefined) return undefined;
    const h = hashes.get(id);
    const left = (plan.uses.get(id) ?? 1) - 1;
    if (left <= 0) {
      plan.uses.delete(id);
      hashes.delete(id);
    } else plan.uses.set(id, left);
    return h;
  };

  const onObject = async (read: Planned, data: Buffer | undefined, size: number): Promise<void> => {
    bytes += size;
    const scan = read.scan;
    if (data === undefined) {
      // Missing, corrupt, or over the size limit.
      if (scan) useParent(scan.parent);
      if (!plan.uses.has(read.id)) hashes.delete(read.id);
      else hashes.set(read.id, undefined);
      if (!scan) return;
      if (size < 0) {
        if (++notes.unreadable <= MAX_NOTES) {
          opts.diag({ level: 'error', file: scan.path, code: 'unreadable-object', failsGate: true, message: `history: object ${read.id}${scan.commit ? ` (added in commit ${scan.commit.commit})` : ''} cannot be read (corrupt or missing); not scanned` });
        }
      } else if (++notes.large <= MAX_NOTES) {
        opts.diag({ level: 'note', file: scan.path, message: `${scan.commit ? `commit ${scan.commit.commit.slice(0, 12)}: ` : ''}file is over the --max-file-size limit; skipped` });
      }
      return;
    }
    const parentHashes = scan ? useParent(scan.parent) : undefined;
    const kind = textKind(data);
    if (kind === 'binary') {
      if (plan.uses.has(read.id)) hashes.set(read.id, undefined);
      return;
    }
    // Lines are hashed over the bytes, and only text that is scanned is decoded: most of a
    // changed file is unchanged lines.
    // A UTF-8 byte-order mark is dropped, as in directory scans (text.ts), so line 1's columns agree.
    const raw = kind === 'utf16' ? Buffer.from(decodeText(data)!) : kind === 'utf8' && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
    const enc = kind === 'latin1' ? 'latin1' : 'utf8';
    const needLines = (plan.uses.get(read.id) ?? 0) > 0 || (scan !== undefined && parentHashes !== undefined);
    const lines = needLines ? hashLineBytes(raw) : undefined;
    if (plan.uses.has(read.id)) hashes.set(read.id, lines?.hashes);
    if (!scan) return;
    if (parentHashes === undefined) {
      await opts.onBlock({ file: scan.path, commit: scan.commit, text: raw.toString(enc), lineOf: (i) => i + 1, size });
      return;
    }
    const added = addedLines(parentHashes, lines!.hashes);
    if (added.length === 0) return;
    await opts.onBlock({ file: scan.path, commit: scan.commit, text: pickLines(raw, enc, lines!.starts, added), lineOf: (i) => added[i]! + 1, size });
  };

  const reader = new BatchReader(opts.maxFileSize);
  let next = 0;
  let last = 0;
  for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
    for (const o of reader.push(chunk)) {
      const read = plan.reads[next++];
      if (!read) continue;
      if (o.id !== read.id) throw new GitError(`git cat-file answered ${o.id} for ${read.id}`);
      await onObject(read, o.data, o.missing ? -1 : o.size);
    }
    if (opts.onProgress && bytes - last > 1 << 20) {
      last = bytes;
      opts.onProgress(bytes);
    }
  }
  const { code, stderr } = await closed;
  if (next < plan.reads.length) {
    // cat-file died (it should not: unreadable objects are answered "missing"): report what was left.
    opts.diag({ level: 'error', code: 'unreadable-object', failsGate: true, message: `history: git cat-file stopped after ${next} of ${plan.reads.length} objects (${reasonOf(stderr) || `exit code ${code}`}); the rest was not scanned` });
  }
  if (notes.unreadable > MAX_NOTES) opts.diag({ level: 'error', code: 'unreadable-object', failsGate: true, message: `history: ${notes.unreadable - MAX_NOTES} more objects cannot be read; not scanned` });
  if (notes.large > MAX_NOTES) opts.diag({ level: 'note', message: `history: ${notes.large - MAX_NOTES} more files over the --max-file-size limit skipped` });
  return { bytes };
}

/**
 * The lines `picked` (ascending) of `data`, decoded and joined with LF, a CR before a line break
 * dropped (as in a diff's `+` lines). Runs of consecutive lines are decoded as one slice.
 */
function pickLines(data: Buffer, enc: 'latin1' | 'utf8', starts: Int32Array, picked: readonly number[]): string {
  const parts: string[] = [];
  const lineEnd = (i: number): number => (i + 1 < starts.length ? starts[i + 1]! - 1 : data.length);
  for (let k = 0; k < picked.length; ) {
    let last = k;
    while (last + 1 < picked.length && picked[last + 1] === picked[last]! + 1) last++;
    parts.push(data.toString(enc, starts[picked[k]!]!, lineEnd(picked[last]!)));
    k = last + 1;
  }
  const joined = parts.join('\n');
  // Only a CR right before a line break or at the end (`m`'s `$` would also take one before another CR).
  return joined.includes('\r') ? joined.replace(/\r(?=\n|$)/g, '') : joined;
}

interface BatchObject {
  id: string;
  size: number;
  missing: boolean;
  /** Undefined for missing objects and for objects over the size limit (their bytes are skipped). */
  data?: Buffer;
}

/**
 * Incremental parser of `git cat-file --batch` output: `<id> <type> <size>\n<data>\n` or
 * `<id> missing\n`. Objects over `maxSize` are skipped without being kept in memory.
 */
export class BatchReader {
  private head: Buffer[] = [];
  private body: Buffer[] = [];
  private need = -1; // bytes of data (+ LF) still to read for the current object; -1 while reading a header
  private current: BatchObject | undefined;
  private keep = true;

  constructor(private readonly maxSize: number) {}

  *push(chunk: Buffer): Generator<BatchObject> {
    let at = 0;
    while (at < chunk.length) {
      if (this.need < 0) {
        const nl = chunk.indexOf(10, at);
        if (nl === -1) {
          this.head.push(chunk.subarray(at));
          return;
        }
        this.head.push(chunk.subarray(at, nl));
        const line = Buffer.concat(this.head).toString('latin1');
        this.head = [];
        at = nl + 1;
        const [id = '', type = '', size] = line.split(' ');
        if (size === undefined || type === 'missing') {
          yield { id, size: 0, missing: true };
          continue;
        }
        const n = Number(size);
        this.current = { id, size: n, missing: false };
        this.keep = n <= this.maxSize;
        this.need = n + 1;
        this.body = [];
      }
      const take = Math.min(this.need, chunk.length - at);
      if (this.keep) this.body.push(chunk.subarray(at, at + take));
      this.need -= take;
      at += take;
      if (this.need === 0) {
        const o = this.current!;
        if (this.keep) {
          const all = this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body);
          o.data = all.subarray(0, o.size);
        }
        this.body = [];
        this.need = -1;
        this.current = undefined;
        yield o;
      }
    }
  }
}
