// Prints (or, with --write, stores in README.md) the findings the quick start shows for examples/.
// The end-to-end test compares the README block with a fresh run, so the README cannot drift.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export function exampleFindingsBlock() {
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'audit', 'examples', '--format', 'json', '--quiet'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const { findings } = JSON.parse(r.stdout);
  const rows = findings.map((f) => `| \`${f.location.file.replace(/^examples\//, '')}:${f.location.startLine}:${f.location.startColumn}\` | ${f.severity} | \`${f.ruleId}\` | ${f.message.replace(/\|/g, '\\|')} |`);
  return ['```sh', 'node dist/cli/main.js audit examples', '```', '', `${findings.length} findings, exit code ${r.status}:`, '', '| where (in `examples/`) | severity | rule | message |', '|---|---|---|---|', ...rows].join('\n');
}

const START = '<!-- example-findings:start -->';
const END = '<!-- example-findings:end -->';

export function readmeBlock(readme) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  return readme.slice(a + START.length, b).trim();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const block = exampleFindingsBlock();
  if (process.argv.includes('--write')) {
    const readme = readFileSync('README.md', 'utf8');
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    writeFileSync('README.md', `${readme.slice(0, a + START.length)}\n${block}\n${readme.slice(b)}`);
  } else {
    console.log(block);
  }
}
