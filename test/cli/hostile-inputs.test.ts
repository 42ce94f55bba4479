import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers.js';

/**
 * Hostile inputs against the built CLI (issue 8, "make it impossible next time"): alias bombs,
 * huge files, deep nesting of every kind, binary and UTF-16 files, long lines, control
 * characters, 5,000 jobs, 10,000 expressions, extends/include/template cycles and fan-outs.
 *
 * Each row: an input generator, a command, the exit code, one line the output must contain,
 * and a bound on the child's peak memory (max RSS from /usr/bin/time). No wall-clock bound: the
 * machine running the tests is shared and loaded; a generous timeout is the hang guard only.
 * Every row also asserts: no stack trace, no raw terminal escape in stdout, bounded stdout.
 *
 * Rows marked `known` fail today on an issue 8 item another change fixes; they are written with
 * the correct expectation and run as `it.fails` until the fix is merged (then drop `known`).
 */

type Files = Record<string, string | Buffer>;

interface Row {
  name: string;
  files: () => Files;
  /** Arguments after the binary; the tree's root is the working directory. */
  args: string[];
  stdin?: string;
  exit: number;
  /** A line of stdout or stderr that must be there (the finding or diagnostic that matters). */
  line: RegExp;
  /** Peak resident memory of the CLI process, MB. */
  rssMb: number;
  /** Bytes of stdout (default 1 MB): a report must not grow faster than its input. */
  maxStdout?: number;
  /** The issue 8 item this row waits for (runs as `it.fails`). */
  known?: string;
}

/** Hang guard only (the machine is loaded; this is no performance assertion). */
const HANG_GUARD_MS = 240_000;
const TIME = '/usr/bin/time';

function tree(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'pw-hostile-'));
  for (const [p, content] of Object.entries(files)) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

interface Run {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  rssMb: number | undefined;
}

/** Heap cap for the CLI: a run that would need more dies quickly instead of swapping the machine. */
const HEAP_MB = 1536;

/** Runs the CLI asynchronously (a blocking spawn would stall the test runner's own messages). */
async function run(row: Row): Promise<Run> {
  const root = tree(row.files());
  const rssFile = join(root, '.rss');
  const timed = existsSync(TIME);
  try {
    const argv = [`--max-old-space-size=${HEAP_MB}`, CLI, ...row.args];
    const child = spawn(timed ? TIME : process.execPath, timed ? ['-o', rssFile, '-f', '%M', process.execPath, ...argv] : argv, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {});
    child.stdin.end(row.stdin ?? '');
    let killed = false;
    const guard = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, HANG_GUARD_MS);
    const code = await new Promise<number | null>((res, rej) => {
      child.on('error', rej);
      child.on('close', (c) => res(c));
    });
    clearTimeout(guard);
    // /usr/bin/time writes "Command exited with non-zero status N" (or "terminated by signal") before the figure.
    const rss = timed && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : undefined;
    const r = { code, killed, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), rssMb: Number.isFinite(rss) ? rss : undefined };
    if (process.env.HOSTILE_DEBUG) console.log(`--- ${row.name}: exit ${code}, ${r.rssMb} MB\n${r.stdout.slice(0, 1500)}\n${r.stderr.slice(0, 1500)}`);
    return r;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

const WF = '.github/workflows/w.yml';

/** A job whose run: expands an issue title (template-injection, high): proof the file was audited. */
const INJECTED_JOB = ['  inject:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo "${{ github.event.issue.title }}"'];
const injectable = (extraJobs: string[] = []): string => ['on: issues', 'permissions: {}', 'jobs:', ...extraJobs, ...INJECTED_JOB, ''].join('\n');

function aliasBomb(levels = 10, width = 10): string[] {
  const out = [`x0: &x0 [${Array(width).fill('a').join(', ')}]`];
  for (let i = 1; i < levels; i++) out.push(`x${i}: &x${i} [${Array(width).fill(`*x${i - 1}`).join(', ')}]`);
  return out;
}

function manyJobs(n: number): string {
  const jobs: string[] = [];
  for (let i = 0; i < n; i++) {
    jobs.push(`  j${i}:`, '    runs-on: ubuntu-latest');
    if (i > 0) jobs.push(`    needs: [j${i - 1}]`);
    jobs.push('    steps:', `      - run: echo ${i}`);
  }
  return injectable(jobs);
}

function manyExpressions(n: number): string {
  return ['on: issues', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', `      - run: echo ${Array(n).fill('"${{ github.event.issue.title }}"').join(' ')}`, ''].join('\n');
}

function deepBlockMap(depth: number): string {
  const out = ['on: issues', 'permissions: {}', 'jobs:', ...INJECTED_JOB, 'env:'];
  for (let i = 1; i <= depth; i++) out.push(`${'  '.repeat(i)}k${i}:`);
  out.push(`${'  '.repeat(depth + 1)}v`);
  return out.join('\n') + '\n';
}

function utf16(text: string, bigEndian = false): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), bigEndian ? Buffer.from(le).swap16() : le]);
}

/** A made-up AWS secret access key (40 characters) under its usual variable name: a critical finding. */
const TOKEN = 'AWS_SECRET_ACCESS_KEY=Xq7Lm2Np9Rs4Tv6Wy8Za1Bc3De5Fg0Hj2Kl4Mn6P';

const GITLAB_INJECTION = ['inject:', '  script:', '    - eval "$CI_MERGE_REQUEST_TITLE"', '  rules:', '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"'];

function gitlabChain(n: number): string {
  const out = ['.c0:', '  script: [make]', '.c1:', '  script: [make]'];
  for (let i = 2; i < n; i++) out.push(`.c${i}:`, `  extends: [.c${i - 1}, .c${i - 2}]`);
  out.push('job:', `  extends: .c${n - 1}`, ...GITLAB_INJECTION);
  return out.join('\n') + '\n';
}

function gitlabIncludeFanOut(n: number): Files {
  const files: Files = {};
  const all = Array.from({ length: n }, (_, i) => `ci/f${i}.yml`);
  for (let i = 0; i < n; i++) files[all[i]!] = `include:\n${all.map((f) => `  - local: ${f}\n`).join('')}job${i}:\n  script: [make]\n`;
  files['.gitlab-ci.yml'] = `include:\n${all.map((f) => `  - local: ${f}\n`).join('')}${GITLAB_INJECTION.join('\n')}\n`;
  return files;
}

function azureTemplateFanOut(levels: number): Files {
  const files: Files = { 'azure-pipelines.yml': 'trigger: none\npr: [main]\nsteps:\n  - template: t/t0.yml\n  - script: echo $(System.PullRequest.SourceBranch)\n' };
  for (let i = 0; i < levels; i++) files[`t/t${i}.yml`] = `steps:\n  - template: t${i + 1}.yml\n  - template: t${i + 1}.yml\n`;
  files[`t/t${levels}.yml`] = 'steps:\n  - script: make\n';
  return files;
}

function circleciCommandFanOut(levels: number): string {
  const cmds = ['  c0:', '    steps:', '      - run: make'];
  for (let i = 1; i <= levels; i++) cmds.push(`  c${i}:`, '    steps:', `      - c${i - 1}`, `      - c${i - 1}`);
  return ['version: 2.1', 'commands:', ...cmds, '  loop:', '    steps:', '      - loop', 'jobs:', '  build:', '    docker: [{ image: cimg/base:2024.01 }]', '    steps:', `      - c${levels}`, '      - loop', '      - run: echo << pipeline.git.branch >> | bash', 'workflows:', '  w:', '    jobs: [build]', ''].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The table

const STACK_OR_INTERNAL = /\n\s+at .+:\d+:\d+\)?\n|internal error|Maximum call stack|Invalid string length|heap out of memory/;

const ROWS: Row[] = [
  // --- alias bombs
  {
    name: 'GitHub workflow alias bomb (10^10 nodes when expanded)',
    files: () => ({ [WF]: ['on: issues', ...aliasBomb(), 'jobs:', ...Array.from({ length: 1100 }, (_, i) => `  j${i}: *x9`), ''].join('\n') }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] (?:syntax-error|not-audited): more than 1000 YAML aliases \(possible alias bomb\); not audited$/m,
    rssMb: 400,
  },
  {
    name: 'GitLab alias bomb, alias count under the limit but huge when expanded into merged jobs',
    files: () => ({ '.gitlab-ci.yml': [...aliasBomb(7, 10).map((l) => `.${l}`), 'job:', '  variables: { A: 1 }', '  script: *x6', ...GITLAB_INJECTION, ''].join('\n') }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:1:1: high\[\w+\] (?:syntax-error|not-audited): more than 1000000 values after expanding aliases and merges \(possible alias bomb\); not audited$/m,
    rssMb: 600,
  },
  {
    name: 'secrets scan of a YAML alias bomb (text only, never expanded)',
    files: () => ({ 'conf.yml': [...aliasBomb(), TOKEN, ''].join('\n') }),
    args: ['secrets', '.'],
    exit: 1,
    line: /^conf\.yml:11:\d+: \w+\[\w+\] \S+: /m,
    rssMb: 400,
  },

  // --- huge files
  {
    name: 'workflow over the 10 MiB size limit: not audited is a finding, not silence',
    files: () => ({ [WF]: injectable() + `# ${'x'.repeat(11 * 1024 * 1024)}\n` }),
    args: ['audit', '.'],
    exit: 1,
    line: /w\.yml.*(not audited|not-audited)/,
    rssMb: 500,
  },
  {
    name: '4 MiB workflow (under the limits) is audited in full',
    files: () => ({ [WF]: injectable() + `# ${'x'.repeat(4 * 1024 * 1024)}\n` }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:7:\d+: high\[\w+\] template-injection: /m,
    rssMb: 600,
  },
  {
    name: 'secrets in a 9.5 MB text file (under the 10 MiB limit): the key on the last line is found',
    files: () => ({ 'big.log': `${'log line without secrets 0123456789\n'.repeat(260_000)}${TOKEN}\n` }),
    args: ['secrets', '.'],
    exit: 1,
    line: /^big\.log:260001:23: critical\[high\] secrets\/aws-secret-access-key: /m,
    rssMb: 900,
  },
  {
    name: 'secrets: a 40 MB file is skipped with a note naming the limit',
    files: () => ({ 'huge.log': `${'log line without secrets 0123456789\n'.repeat(1_100_000)}${TOKEN}\n` }),
    args: ['secrets', '.'],
    exit: 0,
    line: /^huge\.log: note: file is 37\.8 MiB, over the 10\.0 MiB limit; skipped$/m,
    rssMb: 300,
  },

  // --- deep nesting of every kind
  {
    name: 'YAML flow nesting 100,000 deep',
    files: () => ({ [WF]: `${injectable()}x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] (?:syntax-error|not-audited): nesting deeper than 256 levels; not (parsed|audited)$/m,
    rssMb: 400,
  },
  {
    name: 'YAML block nesting 2,000 deep',
    files: () => ({ [WF]: deepBlockMap(2000) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] (?:syntax-error|not-audited): nesting deeper than 256 levels; not (parsed|audited)$/m,
    rssMb: 400,
  },
  {
    name: 'expression nesting 20,000 deep in an if:',
    files: () => ({ [WF]: injectable(['  deep:', '    runs-on: ubuntu-latest', `    if: \${{ ${'('.repeat(20_000)}github.event.issue.title${')'.repeat(20_000)} == 'x' }}`, '    steps:', '      - run: echo']) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] template-injection: /m,
    rssMb: 500,
  },
  {
    name: 'shell nesting: 10,000 nested $( ) around an expression',
    files: () => ({ [WF]: injectable(['  deep:', '    runs-on: ubuntu-latest', '    steps:', `      - run: echo ${'$('.repeat(10_000)}echo "\${{ github.event.issue.body }}"${')'.repeat(10_000)}`]) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] template-injection: "github\.event\.issue\.body"/m,
    rssMb: 500,
  },
  {
    name: 'JSON nesting 200,000 deep in a Docker config and a Terraform state',
    files: () => ({ '.docker/config.json': `{"auths":${'['.repeat(200_000)}${']'.repeat(200_000)}}`, 'terraform.tfstate': `{"resources":[{"instances":[{"attributes":${'['.repeat(200_000)}${']'.repeat(200_000)}}]}]}`, 'ok.env': `${TOKEN}\n` }),
    args: ['secrets', '.'],
    exit: 1,
    line: /^ok\.env:1:\d+: \w+\[\w+\] \S+: /m,
    rssMb: 500,
  },
  {
    name: 'GitLab !reference nested 30 deep',
    files: () => {
      const out = ['.r0:', '  script: [make]'];
      for (let i = 1; i < 30; i++) out.push(`.r${i}:`, `  script: [!reference [.r${i - 1}, script]]`);
      out.push('job:', '  script: [!reference [.r29, script]]', ...GITLAB_INJECTION.slice(0));
      return { '.gitlab-ci.yml': out.join('\n') + '\n' };
    },
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:\d+:\d+: \w+\[\w+\] \S+: .*(reference|nest)/im,
    rssMb: 400,
  },
  {
    name: 'GitLab include chain 200 files deep',
    files: () => {
      const files: Files = { '.gitlab-ci.yml': `include: ci/i0.yml\n${GITLAB_INJECTION.join('\n')}\n` };
      for (let i = 0; i < 200; i++) files[`ci/i${i}.yml`] = `include: ci/i${i + 1}.yml\nj${i}:\n  script: [make]\n`;
      files['ci/i200.yml'] = 'last:\n  script: [make]\n';
      return files;
    },
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:\d+:\d+: high\[\w+\] \S+: /m,
    rssMb: 500,
  },

  // --- binary, UTF-16, control characters, long lines
  {
    name: 'binary workflow file: not audited is a finding',
    files: () => ({ [WF]: Buffer.concat([Buffer.from('on: push\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0])]) }),
    args: ['audit', '.'],
    exit: 1,
    line: /w\.yml.*(not audited|not-audited)/,
    rssMb: 300,
  },
  {
    name: 'UTF-16LE workflow with a BOM is decoded and audited',
    files: () => ({ [WF]: utf16(injectable()) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:7:\d+: high\[\w+\] template-injection: /m,
    rssMb: 300,
  },
  {
    name: 'UTF-16BE .env with a token: secrets decodes it',
    files: () => ({ 'app.env': utf16(`A=1\n${TOKEN}\n`, true) }),
    args: ['secrets', '.'],
    exit: 1,
    line: /^app\.env:2:\d+: \w+\[\w+\] \S+: /m,
    rssMb: 300,
  },
  {
    name: 'control characters and terminal escapes in a workflow never reach the terminal raw',
    files: () => ({ [WF]: injectable(['  ctl:', '    runs-on: ubuntu-latest', '    steps:', '      - name: "\\e[2J\\e]0;owned\\a\\x01\\x7f"', '        run: echo "${{ github.event.issue.body }}" # \u0007 \u009b31m']) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] template-injection: "github\.event\.issue\.body"/m,
    rssMb: 300,
  },
  {
    name: 'a 4 MB single-line run: script',
    files: () => ({ [WF]: injectable(['  long:', '    runs-on: ubuntu-latest', '    steps:', `      - run: echo ${'a'.repeat(4_000_000)} "\${{ github.event.issue.body }}"`]) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] template-injection: "github\.event\.issue\.body"/m,
    rssMb: 700,
  },
  {
    name: 'secrets: a 9 MB single line with a key in the middle',
    files: () => ({ 'one.txt': `${'a1 '.repeat(1_500_000)} ${TOKEN} ${'b2 '.repeat(1_500_000)}` }),
    args: ['secrets', '.'],
    exit: 1,
    line: /^one\.txt:1:\d+: \w+\[\w+\] \S+: /m,
    rssMb: 900,
  },
  {
    name: 'secrets: the six-byte file that looped forever ("\\\\" and a newline)',
    files: () => ({ 'x.txt': '"\\\\"\n', 'y.ts': 'const p = "C:\\\\" + name + \'\\n\';\n' }),
    args: ['secrets', '.'],
    exit: 0,
    line: /no findings/,
    rssMb: 300,
  },
  {
    name: 'secrets: a Terraform state holding null (scanner error found by the fuzzer)',
    files: () => ({ 'terraform.tfstate': 'null\n' }),
    args: ['secrets', '.'],
    exit: 0,
    line: /no findings/,
    rssMb: 300,
  },

  // --- scale
  {
    name: '5,000 jobs, each needing the previous one',
    files: () => ({ [WF]: manyJobs(5000) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.github\/workflows\/w\.yml:\d+:\d+: high\[\w+\] template-injection: "github\.event\.issue\.title"/m,
    rssMb: 800,
  },
  {
    name: '10,000 expressions in one run: (one finding with a count, bounded output)',
    files: () => ({ [WF]: manyExpressions(10_000) }),
    args: ['audit', '.', '--format', 'json'],
    exit: 1,
    line: /"ruleId": "template-injection"/,
    rssMb: 800,
    maxStdout: 2 * 1024 * 1024,
  },

  // --- cycles and fan-outs
  {
    name: 'GitLab extends cycle',
    files: () => ({ '.gitlab-ci.yml': ['.a:', '  extends: .b', '.b:', '  extends: .a', 'job:', '  extends: .a', ...GITLAB_INJECTION, ''].join('\n') }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:4:12: high\[high\] syntax-error: extends: circular dependency: \.a -> \.b -> \.a$/m,
    rssMb: 300,
  },
  {
    name: 'GitLab extends fan-out (25 templates, each extending the previous two)',
    files: () => ({ '.gitlab-ci.yml': gitlabChain(25) }),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:\d+:\d+: high\[high\] syntax-error: extends: "\.c13" is nested 12 levels deep through "\.c12", more than GitLab's limit of 11; GitLab rejects this pipeline$/m,
    rssMb: 400,
  },
  {
    name: 'GitLab include cycle and fan-out (40 files each including all 40)',
    files: () => gitlabIncludeFanOut(40),
    args: ['audit', '.'],
    exit: 1,
    line: /^\.gitlab-ci\.yml:\d+:\d+: high\[\w+\] \S+: /m,
    rssMb: 500,
  },
  {
    name: 'Azure template fan-out (30 levels, each using the next twice) and a self-including template',
    files: () => ({ ...azureTemplateFanOut(30), 't/self.yml': 'steps:\n  - template: self.yml\n', '.azure-pipelines/self.yml': 'trigger: none\nsteps:\n  - template: ../t/self.yml\n' }),
    args: ['audit', '.'],
    exit: 1,
    line: /^t\/self\.yml:2:15: high\[high\] syntax-error: template "self\.yml" includes itself \(cycle through t\/self\.yml -> t\/self\.yml\); not expanded$/m,
    rssMb: 500,
  },
  {
    name: 'CircleCI command fan-out (30 levels, each calling the next twice) and a recursive command',
    files: () => ({ '.circleci/config.yml': circleciCommandFanOut(30) }),
    // The finding after the fan-out proves the job was audited to the end.
    args: ['audit', '.', '--fail-on', 'medium'],
    exit: 1,
    line: /^\.circleci\/config\.yml:135:19: medium\[high\] template-injection: "<< pipeline\.git\.branch >>" \(the branch name\) is attacker-controlled/m,
    rssMb: 500,
  },
  {
    name: 'Bitbucket shared pipeline importing itself',
    files: () => ({
      'bitbucket-pipelines.yml': [
        'export: true',
        'definitions:',
        '  pipelines:',
        '    loop:',
        '      import: loop:main:bitbucket-pipelines.yml',
        'pipelines:',
        '  pull-requests:',
        "    '**':",
        '      - step:',
        '          script:',
        '            - git checkout "$BITBUCKET_BRANCH" && ./build.sh',
        '      - import: loop:main:bitbucket-pipelines.yml',
        '',
      ].join('\n'),
    }),
    args: ['audit', '.', '--fail-on', 'medium'],
    exit: 1,
    line: /^bitbucket-pipelines\.yml:5:15: medium\[medium\] unpinned-uses: import "loop:main:bitbucket-pipelines\.yml" /m,
    rssMb: 400,
  },
];

describe('hostile inputs against the built CLI', () => {
  for (const row of ROWS) {
    const test = row.known ? it.fails : it;
    test(`${row.name}${row.known ? ` [waits for ${row.known}]` : ''}`, async () => {
      const r = await run(row);
      expect(r.killed, 'killed by the hang guard').toBe(false);
      expect(`${r.stderr}\n${r.stdout.slice(0, 100_000)}`).not.toMatch(STACK_OR_INTERNAL);
      expect({ exit: r.code, stderr: r.stderr.slice(0, 2000) }).toMatchObject({ exit: row.exit });
      expect(`${r.stdout}\n${r.stderr}`).toMatch(row.line);
      expect(r.stdout.length, 'stdout bytes').toBeLessThanOrEqual(row.maxStdout ?? 1024 * 1024);
      expect(r.stdout).not.toMatch(/[\u001b\u009b\u0007]/);
      if (r.rssMb !== undefined) expect(r.rssMb, 'peak RSS, MB').toBeLessThanOrEqual(row.rssMb);
    }, HANG_GUARD_MS + 60_000);
  }
});
