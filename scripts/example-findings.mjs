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

/** `fix --dry-run` on the examples: the before/after the README shows. */
export function exampleFixBlock() {
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'fix', 'examples/.github/workflows/issue-triage.yml', '--dry-run', '--quiet'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return ['```sh', 'node dist/cli/main.js fix examples/.github/workflows/issue-triage.yml --dry-run', '```', '', '```diff', r.stdout.trimEnd(), '```'].join('\n');
}

/** `sast` on the example app: each finding with its code flow, as the README's SAST section shows them. */
export function sastFindingsBlock() {
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'sast', 'examples/vulnerable-app', '--format', 'json', '--quiet'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const { findings } = JSON.parse(r.stdout);
  const at = (l) => `${l.file.replace(/^examples\/vulnerable-app\//, '')}:${l.startLine}`;
  const rows = findings.map((f) => {
    const flow = (f.codeFlows?.[0] ?? []).map((s) => `\`${at(s)}\` ${s.message.replace(/^(source|sink): /, '')}`).join(' → ');
    return `| \`${at(f.location)}\` | ${f.severity} / ${f.confidence} | \`${f.ruleId}\` | ${flow.replace(/\|/g, '\\|') || '-'} |`;
  });
  return ['```sh', 'node dist/cli/main.js sast examples/vulnerable-app', '```', '', `${findings.length} findings, exit code ${r.status}:`, '', '| sink (in `examples/vulnerable-app/`) | severity / confidence | rule | code flow (source → … → sink) |', '|---|---|---|---|', ...rows].join('\n');
}

const SAST_START = '<!-- sast-findings:start -->';
const SAST_END = '<!-- sast-findings:end -->';
export const SAST_MARKERS = [SAST_START, SAST_END];

const START = '<!-- example-findings:start -->';
const END = '<!-- example-findings:end -->';
const FIX_START = '<!-- example-fix:start -->';
const FIX_END = '<!-- example-fix:end -->';

export function readmeBlock(readme, start = START, end = END) {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  return readme.slice(a + start.length, b).trim();
}

export const FIX_MARKERS = [FIX_START, FIX_END];

function replaceBlock(readme, start, end, block) {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  return `${readme.slice(0, a + start.length)}\n${block}\n${readme.slice(b)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const block = exampleFindingsBlock();
  if (process.argv.includes('--write')) {
    let readme = readFileSync('README.md', 'utf8');
    readme = replaceBlock(readme, START, END, block);
    readme = replaceBlock(readme, FIX_START, FIX_END, exampleFixBlock());
    readme = replaceBlock(readme, SAST_START, SAST_END, sastFindingsBlock());
    writeFileSync('README.md', readme);
  } else {
    console.log(block);
  }
}
