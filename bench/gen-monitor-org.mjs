#!/usr/bin/env node
// Writes the generated organisation (src/monitor/simulate/org.ts) to a folder:
//   node bench/gen-monitor-org.mjs OUT_DIR [--seed N] [--days N] [--start YYYY-MM-DD]
// Needs `npm run build` first (it imports the compiled generator from dist/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (!out) {
  console.error('usage: node bench/gen-monitor-org.mjs OUT_DIR [--seed N] [--days N] [--start YYYY-MM-DD]');
  process.exit(2);
}
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const { generateOrg } = await import(resolve(import.meta.dirname, '../dist/monitor/simulate/org.js'));
const org = generateOrg({
  ...(flag('seed') && { seed: Number(flag('seed')) }),
  ...(flag('days') && { days: Number(flag('days')) }),
  ...(flag('start') && { start: flag('start') }),
});
for (const [rel, content] of org.files) {
  const abs = join(out, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}
console.log(JSON.stringify({ out, ...org.stats, incidents: org.truth.incidents.length, expectedAlerts: org.truth.expected.length }));
