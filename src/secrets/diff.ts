/**
 * Streaming parser for `git log -p -U0` / `git diff -U0` output. It keeps only the ADDED lines
 * of the current file (with their new-file line numbers) and hands them out per file and commit,
 * in blocks of bounded size, so memory stays flat however long the history is.
 * Hunk bodies are consumed by the counts in their `@@` header, never by guessing from content,
 * so a file line that looks like a header (`diff --git`, a commit marker) cannot confuse it.
 */

export interface CommitInfo {
  commit: string;
  author: string;
  email: string;
  date: string;
}

export interface AddedBlock {
  file: string;
  commit?: CommitInfo;
  /** Added lines, in order; lineNos[i] is the 1-based line of lines[i] in the new file. */
  lines: string[];
  lineNos: number[];
}

/** Prefix of the commit header line we ask git to print (`--format=%x1e...`). */
export const COMMIT_MARK = '\x1e';
export const LOG_FORMAT = '--format=%x1e%H%x1f%an%x1f%ae%x1f%aI';

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export class DiffParser {
  private commit: CommitInfo | undefined;
  private file: string | undefined;
  private lines: string[] = [];
  private lineNos: number[] = [];
  private chars = 0;
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;
  /** Bytes of patch text seen, for progress. */
  bytes = 0;

  constructor(
    private readonly onBlock: (b: AddedBlock) => void,
    private readonly accept: (file: string) => boolean = () => true,
    private readonly maxBlockChars = 4 << 20,
  ) {}

  line(l: string): void {
    this.bytes += l.length + 1;
    if (this.oldLeft > 0 || this.newLeft > 0) {
      const c = l.charCodeAt(0);
      if (c === 43 /* + */) {
        this.newLeft--;
        if (this.file !== undefined) this.add(l.slice(1), this.newLine);
        this.newLine++;
        return;
      }
      if (c === 45 /* - */) {
        this.oldLeft--;
        return;
      }
      if (c === 32 /* space: context, only with -U>0 */) {
        this.oldLeft--;
        this.newLeft--;
        this.newLine++;
        return;
      }
      if (c === 92 /* \ No newline at end of file */) return;
      // Anything else means the counts were off (should not happen): resynchronise on headers.
      this.oldLeft = this.newLeft = 0;
    }
    if (l.startsWith('@@')) {
      const m = HUNK.exec(l);
      if (!m) return;
      this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      this.newLine = Number(m[2]);
      this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
    } else if (l.startsWith(COMMIT_MARK)) {
      this.flush();
      const [commit = '', author = '', email = '', date = ''] = l.slice(1).split('\x1f');
      this.commit = { commit, author, email, date };
      this.file = undefined;
    } else if (l.startsWith('diff --git ')) {
      this.flush();
      this.file = undefined;
    } else if (l.startsWith('+++ ')) {
      const path = parseHeaderPath(l.slice(4));
      this.file = path !== undefined && this.accept(path) ? path : undefined;
    }
  }

  end(): void {
    this.flush();
  }

  private add(text: string, lineNo: number): void {
    // A CRLF file shows its CR at the end of every added line; it is not part of the content.
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    this.lines.push(t);
    this.lineNos.push(lineNo);
    this.chars += t.length + 1;
    if (this.chars >= this.maxBlockChars) this.flush();
  }

  private flush(): void {
    if (this.lines.length > 0 && this.file !== undefined) {
      this.onBlock({ file: this.file, commit: this.commit, lines: this.lines, lineNos: this.lineNos });
    }
    this.lines = [];
    this.lineNos = [];
    this.chars = 0;
  }
}

/** `b/path`, `"b/quoted\tpath"` or `/dev/null` from a `+++` line. */
export function parseHeaderPath(raw: string): string | undefined {
  let s = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (s === '/dev/null') return undefined;
  if (s.startsWith('"')) {
    const unq = unquoteC(s);
    if (unq === undefined) return undefined;
    s = unq;
  }
  return s.startsWith('b/') ? s.slice(2) : s;
}

/** Git's C-style quoting: backslash escapes and octal bytes (UTF-8 sequences as \303\251). */
function unquoteC(s: string): string | undefined {
  if (!s.endsWith('"') || s.length < 2) return undefined;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = body[++i];
    if (n === undefined) return undefined;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (n in simple) bytes.push(simple[n]!);
    else return undefined;
  }
  return Buffer.from(bytes).toString('utf8');
}
