// Regenerates docs/report.png: the HTML report of the examples repository in Debian's chromium.
//   npm run build && node scripts/report-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const work = mkdtempSync(join(tmpdir(), 'pw-shot-'));
try {
  const json = join(work, 'scan.json');
  execFileSync(process.execPath, [cli, 'scan', 'examples', '--format', 'json', '--fail-on', 'never', '-o', json], { cwd: root });
  const html = join(work, 'report.html');
  execFileSync(process.execPath, [cli, 'report', '--html', html, json, '--no-history', '--title', 'pipewarden report: examples/', '--quiet'], { cwd: root });
  const browser = await chromium.launch({
    executablePath: process.env.PIPEWARDEN_TEST_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(html).href);
  writeFileSync(join(root, 'docs/report.png'), await page.screenshot({ fullPage: false }));
  await browser.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
