// Prints (or, with --write, stores in README.md) what `pipewarden deps` finds in examples/ after
// importing examples/osv. test/deps/examples.test.ts compares the README block with a fresh run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEPS_MARKERS = ['<!-- example-deps:start -->', '<!-- example-deps:end -->'];

export function exampleDepsBlock() {
  const data = mkdtempSync(join(tmpdir(), 'pw-example-deps-'));
  const env = { ...process.env, NO_COLOR: '1' };
  try {
    spawnSync(process.execPath, ['dist/cli/main.js', 'deps', 'db', 'import', 'examples/osv', '--data', data], { encoding: 'utf8', env });
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'deps', 'examples', '--data', data, '--format', 'json', '--quiet'], { encoding: 'utf8', env });
    const { findings } = JSON.parse(r.stdout);
    const rows = findings.map((f) => `| \`${f.location.file.replace(/^examples\//, '')}:${f.location.startLine}\` | ${f.severity} | \`${f.ruleId}\` | ${f.message.replace(/\|/g, '\\|')} |`);
    return [
      '```sh',
      'node dist/cli/main.js deps db import examples/osv --data /tmp/pw-data',
      'node dist/cli/main.js deps examples --data /tmp/pw-data',
      '```',
      '',
      `${findings.length} findings, exit code ${r.status}:`,
      '',
      '| where (in `examples/`) | severity | rule | message |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

export function readmeDepsBlock(readme) {
  const a = readme.indexOf(DEPS_MARKERS[0]);
  const b = readme.indexOf(DEPS_MARKERS[1]);
  return a === -1 || b === -1 ? '' : readme.slice(a + DEPS_MARKERS[0].length, b).trim();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const block = exampleDepsBlock();
  if (process.argv.includes('--write')) {
    const readme = readFileSync('README.md', 'utf8');
    const a = readme.indexOf(DEPS_MARKERS[0]);
    const b = readme.indexOf(DEPS_MARKERS[1]);
    writeFileSync('README.md', `${readme.slice(0, a + DEPS_MARKERS[0].length)}\n${block}\n${readme.slice(b)}`);
  } else {
    console.log(block);
  }
}
