#!/usr/bin/env node
// Deterministic corpus for the secrets benchmark:
//   bench/corpus/secrets-tree/  a mixed source tree (--mb, default 1024) with planted secrets
//   bench/corpus/secrets-git/   a repository with --commits (default 20000) commits, written with
//                               `git fast-import` (one process, no per-commit `git commit`)
// Both get a planted.json manifest (file, kind) so the benchmark can report recall.
// Usage: node bench/gen-secrets-corpus.mjs [--mb 1024] [--commits 20000] [--seed 1] [--only tree|git] [--out bench/corpus]
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join, dirname } from 'node:path';

const args = parseArgs(process.argv.slice(2));
const MB = Number(args.mb ?? 1024);
const COMMITS = Number(args.commits ?? 20000);
const OUT = args.out ?? 'bench/corpus';
const SEED = Number(args.seed ?? 1);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) out[a.slice(2)] = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
  }
  return out;
}

// ---- deterministic PRNG (mulberry32) ----
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = prng(SEED);
const int = (n) => Math.floor(rand() * n);
const pick = (arr) => arr[int(arr.length)];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (n, alphabet = ALNUM) => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
  return s;
};

// ---- checksum-valid token builders (same layout the detectors validate) ----
const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(s) {
  let c = 0xffffffff;
  for (const b of Buffer.from(s)) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n, width) {
  let out = '';
  do {
    out = B62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}
const ghToken = (prefix) => {
  const payload = chars(30);
  return prefix + payload + base62(crc32(payload), 6);
};

/** Planted secrets: [kind, line generator]. Built at run time; nothing here is a real credential. */
const PLANTS = [
  ['github-pat', () => `GITHUB_TOKEN = "${ghToken('gh' + 'p_')}"`],
  ['aws-key', () => `aws_access_key_id = AKIA${chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}\naws_secret_access_key = ${chars(40, ALNUM + '+/')}`],
  ['slack-bot', () => `SLACK_BOT_TOKEN=xoxb-${1000000000 + int(8999999999)}-${1000000000 + int(8999999999)}-${chars(24)}`],
  ['url-credentials', () => `DATABASE_URL=postgres://app:${chars(16)}@db-${int(99)}.internal.corp:5432/app`],
  ['base64-github-pat', () => `config: ${Buffer.from(`token: ${ghToken('gh' + 'p_')}\n`).toString('base64')}`],
  ['stripe', () => `stripe.api_key = "sk_live_${chars(24)}"`],
  ['npm-token', () => `//registry.npmjs.org/:_authToken=${ghToken('np' + 'm_')}`],
];

// ---- filler content ----
const WORDS = 'alpha beta gamma delta user account order item value result config handler service client server request response cache index token parse render build update create delete fetch store query table column record stream buffer event state props model view router error status logger metric queue worker task job'.split(' ');
const ident = () => pick(WORDS) + pick(WORDS)[0].toUpperCase() + pick(WORDS).slice(1) + (rand() < 0.3 ? int(100) : '');
const LINE_MAKERS = {
  js: [
    () => `  const ${ident()} = await ${ident()}.${pick(WORDS)}(${ident()}, { ${pick(WORDS)}: ${int(1000)} });`,
    () => `export function ${ident()}(${ident()}, ${ident()}) {`,
    () => `  if (${ident()} === '${pick(WORDS)}') return ${ident()}.${pick(WORDS)};`,
    () => `  // ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
    () => `import { ${ident()} } from './${pick(WORDS)}/${pick(WORDS)}.js';`,
    () => `}`,
    () => `  url: 'https://${pick(WORDS)}.example.com/api/v${int(4)}/${pick(WORDS)}',`,
  ],
  py: [
    () => `def ${ident()}(${ident()}, ${ident()}=None):`,
    () => `    ${ident()} = ${ident()}.${pick(WORDS)}(${int(100)})`,
    () => `    return {"${pick(WORDS)}": ${ident()}, "${pick(WORDS)}": ${int(9999)}}`,
    () => `# ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
    () => `from ${pick(WORDS)}.${pick(WORDS)} import ${ident()}`,
  ],
  md: [
    () => `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}.`,
    () => `## ${pick(WORDS)} ${pick(WORDS)}`,
    () => `- [${pick(WORDS)}](https://docs.example.org/${pick(WORDS)}/${pick(WORDS)})`,
    () => '',
  ],
  yaml: [
    () => `${pick(WORDS)}:`,
    () => `  ${pick(WORDS)}: ${pick(WORDS)}-${int(100)}`,
    () => `  - name: ${pick(WORDS)} ${pick(WORDS)}`,
    () => `    image: registry.example.com/${pick(WORDS)}:${int(10)}.${int(10)}`,
    () => `    sha: ${chars(40, '0123456789abcdef')}`,
  ],
  json: [
    () => `  "${pick(WORDS)}": "${pick(WORDS)}-${int(1000)}",`,
    () => `  "${ident()}": ${int(100000)},`,
    () => `  "integrity": "sha512-${Buffer.from(chars(64)).toString('base64')}",`,
    () => `  "id": "${chars(8, '0123456789abcdef')}-${chars(4, '0123456789abcdef')}-4${chars(3, '0123456789abcdef')}-a${chars(3, '0123456789abcdef')}-${chars(12, '0123456789abcdef')}",`,
  ],
};
const EXT = { js: ['js', 'ts', 'mjs', 'tsx'], py: ['py'], md: ['md', 'txt'], yaml: ['yml', 'yaml'], json: ['json'] };
const KINDS = ['js', 'js', 'js', 'py', 'py', 'md', 'yaml', 'json'];

function fileText(kind, bytes) {
  const makers = LINE_MAKERS[kind];
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const l = pick(makers)();
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join('\n') + '\n';
}

// ---- tree ----
function genTree() {
  rand = prng(SEED);
  const root = join(OUT, 'secrets-tree');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const target = MB * 1024 * 1024;
  const planted = [];
  let total = 0;
  let n = 0;
  const dirs = [];
  for (let i = 0; i < 200; i++) dirs.push(`${pick(['src', 'lib', 'pkg', 'docs', 'services', 'tools'])}/${pick(WORDS)}${i}/${pick(WORDS)}`);
  while (total < target) {
    const kind = pick(KINDS);
    const rel = `${pick(dirs)}/${ident()}${n}.${pick(EXT[kind])}`;
    // Mostly small files, a few big ones, like a real repository.
    const size = rand() < 0.02 ? 200_000 + int(800_000) : 1_000 + int(24_000);
    let text = fileText(kind, size);
    if (n % 400 === 7) {
      const [what, make] = PLANTS[Math.floor(n / 400) % PLANTS.length];
      const at = text.indexOf('\n', int(text.length)) + 1;
      text = text.slice(0, at) + make() + '\n' + text.slice(at);
      planted.push({ file: rel, kind: what });
    }
    if (n % 997 === 3) {
      // A binary (PNG header + noise): must be skipped with a note.
      const bin = Buffer.alloc(4096);
      for (let i = 0; i < bin.length; i++) bin[i] = int(256);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).copy(bin);
      writeAt(root, `assets/img${n}.png`, bin);
    }
    writeAt(root, rel, text);
    total += Buffer.byteLength(text);
    n++;
  }
  writeFileSync(join(OUT, 'secrets-tree.planted.json'), JSON.stringify(planted, null, 1));
  console.error(`tree: ${n} files, ${(total / 1e6).toFixed(0)} MB, ${planted.length} planted secrets in ${root}`);
}

function writeAt(root, rel, data) {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  const fd = openSync(abs, 'w');
  writeSync(fd, data);
  closeSync(fd);
}

// ---- git history via fast-import ----
async function genGit() {
  rand = prng(SEED + 1);
  const root = join(OUT, 'secrets-git');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', root]);
  // glibc returns memory to the OS after every big blob and asks for it again for the next one;
  // fast-import then spends most of its time in brk(). Keeping the heap makes it ~5x faster.
  const env = { ...process.env, MALLOC_TOP_PAD_: String(256 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30), MALLOC_MMAP_THRESHOLD_: String(1 << 30) };
  const fi = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: root, env, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) => fi.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`fast-import exited ${c}`)))));
  let pending = [];
  let pendingBytes = 0;
  const out = async (s) => {
    pending.push(typeof s === 'string' ? Buffer.from(s) : s);
    pendingBytes += pending[pending.length - 1].length;
    if (pendingBytes > 4 << 20) await flush();
  };
  const flush = async () => {
    const buf = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (!fi.stdin.write(buf)) await new Promise((r) => fi.stdin.once('drain', r));
  };
  const data = async (text) => {
    const b = Buffer.from(text);
    await out(`data ${b.length}\n`);
    await out(b);
    await out('\n');
  };

  const files = new Map(); // path -> lines[]
  const planted = [];
  const authors = Array.from({ length: 40 }, (_, i) => [`Dev ${pick(WORDS)} ${i}`, `dev${i}@example.com`]);
  let when = 1_600_000_000;
  let mark = 0;
  const branchEvery = 2000;
  for (let c = 0; c < COMMITS; c++) {
    when += 60 + int(3600);
    const onBranch = c % branchEvery >= branchEvery - 10 && c > branchEvery;
    const ref = onBranch ? `refs/heads/feature-${Math.floor(c / branchEvery)}` : 'refs/heads/main';
    const [name, email] = pick(authors);
    await out(`commit ${ref}\nmark :${++mark}\nauthor ${name} <${email}> ${when} +0000\ncommitter ${name} <${email}> ${when} +0000\n`);
    await data(`${pick(WORDS)} ${pick(WORDS)} #${c}\n`);
    if (onBranch && c % branchEvery === branchEvery - 10) await out('from refs/heads/main\n');
    const nfiles = 1 + int(3);
    for (let k = 0; k < nfiles; k++) {
      let path;
      let lines;
      if (files.size < 300 || rand() < 0.15) {
        const kind = pick(KINDS);
        path = `${pick(['src', 'lib', 'app', 'docs'])}/${pick(WORDS)}/${ident()}${c}.${pick(EXT[kind])}`;
        lines = fileText(kind, 2_000 + int(20_000)).split('\n');
      } else {
        const keys = [...files.keys()];
        path = keys[int(keys.length)];
        lines = files.get(path);
        const kind = path.endsWith('.py') ? 'py' : path.endsWith('.md') || path.endsWith('.txt') ? 'md' : path.endsWith('.json') ? 'json' : /\.ya?ml$/.test(path) ? 'yaml' : 'js';
        const edits = 1 + int(4);
        for (let e = 0; e < edits; e++) {
          const at = int(lines.length);
          const add = fileText(kind, 200 + int(2_500)).split('\n').slice(0, -1);
          lines.splice(at, int(6), ...add);
        }
      }
      if (c % 250 === 11 && k === 0) {
        const [what, make] = PLANTS[Math.floor(c / 250) % PLANTS.length];
        const at = int(lines.length);
        lines.splice(at, 0, ...make().split('\n'));
        planted.push({ file: path, kind: what, commitIndex: c });
        // Half of them are removed again later: history scanning must still find them.
        if (rand() < 0.5) removeLater.set(c + 1 + int(50), { path });
      }
      const rm = removeLater.get(c);
      if (rm && files.has(rm.path) && rm.path !== path) {
        files.set(rm.path, files.get(rm.path).filter((l) => !/TOKEN|aws_|DATABASE_URL|api_key|_authToken|config: /.test(l)));
        await out(`M 100644 inline ${rm.path}\n`);
        await data(files.get(rm.path).join('\n'));
      }
      files.set(path, lines);
      await out(`M 100644 inline ${path}\n`);
      await data(lines.join('\n'));
    }
    await out('\n');
    if (files.size > 3000) {
      // Keep the working set (and this script's memory) bounded: delete an old file.
      const victim = files.keys().next().value;
      files.delete(victim);
      await out(`commit refs/heads/main\nmark :${++mark}\ncommitter Janitor <janitor@example.com> ${when} +0000\n`);
      await data('remove old file\n');
      await out(`D ${victim}\n\n`);
    }
  }
  await out('done\n');
  await flush();
  fi.stdin.end();
  await done;
  // fast-import's pack has long, naive delta chains; a clone from a server has a repacked one.
  // Repack so reading the history costs what it would in CI.
  execFileSync('git', ['repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=10'], { cwd: root, env });
  writeFileSync(join(OUT, 'secrets-git.planted.json'), JSON.stringify(planted, null, 1));
  console.error(`git: ${COMMITS} commits, ${planted.length} planted secrets in ${root}`);
}
const removeLater = new Map();

if (args.only !== 'git') genTree();
if (args.only !== 'tree') await genGit();
