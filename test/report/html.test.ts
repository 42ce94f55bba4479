/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): it renders, its
 * inline script runs under its own Content-Security-Policy, filters and sorting work, nothing is
 * logged as an error, and no request leaves the page (every request is recorded and any request
 * other than the page itself is aborted and fails the test).
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../services.js';
import { cli, REPO } from '../helpers.js';
import { GH_PAT, leaks, tempDir, write } from '../secrets/fixtures.js';

const CHROMIUM = serviceUrl('chromium');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

describe.skipIf(!CHROMIUM)('HTML report in Chromium', { timeout: 300_000 }, () => {
  let browser: Browser;
  const dir = tempDir('pw-html-');
  const data = tempDir('pw-html-data-');
  let reportFile = '';
  /** Findings in the examples scan (the scanners grow; the test follows the report it made). */
  let total = 0;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
    // The examples repository, plus a leaked token and a hostile file name and message.
    const scanJson = join(dir, 'scan.json');
    expect(cli(['scan', 'examples', '--format', 'json', '--fail-on', 'never', '-o', scanJson]).code).toBe(0);
    const old = join(dir, 'old.json');
    const report = JSON.parse(readFileSync(scanJson, 'utf8')) as { findings: unknown[] };
    total = report.findings.length;
    expect(total).toBeGreaterThan(100);
    writeFileSync(old, JSON.stringify({ ...report, findings: report.findings.slice(0, 40) }));
    utimesSync(old, new Date('2026-01-05T10:00:00Z'), new Date('2026-01-05T10:00:00Z'));
    reportFile = join(dir, 'report.html');
    const r = cli(['report', '--html', reportFile, scanJson, '--previous', old, '--data', data]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${reportFile}: ${total} findings, 2 runs in the trend\n`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);

  async function load(file: string): Promise<Loaded> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const self = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (req) => requests.push(req.url()));
    await context.route('**/*', (route) => (route.request().url() === self ? route.continue() : route.abort()));
    await page.goto(self);
    return { page, errors, requests };
  }

  const visible = (page: Page): Promise<number> => page.locator('tr.finding:not([hidden])').count();

  it('renders the summary, five charts and every finding, with no console error and no request', async () => {
    const { page, errors, requests } = await load(reportFile);
    expect(await page.title()).toBe('pipewarden report');
    expect(await page.locator('tr.finding').count()).toBe(total);
    expect(await page.locator('figure.chart svg').count()).toBe(5);
    expect(await page.locator('figure.chart figcaption').allTextContents()).toEqual(['By severity', 'By category', 'By OWASP CI/CD risk', 'By repository', 'Trend (2 runs)']);
    expect(await page.locator('.card.total .n').textContent()).toBe(String(total));
    expect(await page.locator('#shown').textContent()).toBe(`${total} of ${total} shown`);
    for (const box of await page.locator('figure.chart svg').all()) expect((await box.boundingBox())!.height).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(reportFile).href]);
  });

  it('filters by severity, category, OWASP risk, repository and text', async () => {
    const { page, errors, requests } = await load(reportFile);
    const json = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as { findings: Array<{ severity: string; ruleId: string; owasp: string[]; message: string }> };
    for (const s of ['critical', 'medium', 'low', 'info']) await page.locator(`input[name=severity][value=${s}]`).uncheck();
    const high = json.findings.filter((f) => f.severity === 'high').length;
    expect(await visible(page)).toBe(high);
    expect(await page.locator('#shown').textContent()).toBe(`${high} of ${total} shown`);
    for (const s of ['critical', 'medium', 'low', 'info']) await page.locator(`input[name=severity][value=${s}]`).check();

    await page.locator('#category').selectOption('Secrets');
    expect(await visible(page)).toBe(json.findings.filter((f) => f.ruleId.startsWith('secrets/')).length);
    await page.locator('#category').selectOption('');

    await page.locator('#owasp').selectOption('CICD-SEC-4');
    expect(await visible(page)).toBe(json.findings.filter((f) => f.owasp.includes('CICD-SEC-4')).length);
    await page.locator('#owasp').selectOption('');

    await page.locator('#q').fill('dependabot');
    expect(await visible(page)).toBe(json.findings.filter((f) => /dependabot/i.test(`${f.ruleId} ${f.message}`) || false).length + 0);
    expect(await visible(page)).toBeGreaterThan(0);
    await page.locator('#q').fill('no finding says this');
    expect(await visible(page)).toBe(0);
    expect(await page.locator('#shown').textContent()).toBe(`0 of ${total} shown`);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('sorts by a column, both ways', async () => {
    const { page, errors } = await load(reportFile);
    const rules = (): Promise<string[]> => page.locator('tr.finding').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.rule!));
    await page.locator('th[data-sort=rule] button').click();
    const asc = await rules();
    expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    expect(await page.locator('th[data-sort=rule]').getAttribute('aria-sort')).toBe('ascending');
    await page.locator('th[data-sort=rule] button').click();
    expect(await rules()).toEqual([...asc].reverse().sort((a, b) => b.localeCompare(a, undefined, { numeric: true })));
    await page.locator('th[data-sort=rank] button').click();
    const ranks = await page.locator('tr.finding').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.rank)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(errors).toEqual([]);
  });

  it('each finding has its code frame, fix and docs; the docs link opens the rule', async () => {
    const { page, errors } = await load(reportFile);
    const row = page.locator('tr.finding[data-file="examples/.github/workflows/issue-triage.yml:16:28"]');
    await row.locator('summary').click();
    expect(await row.locator('pre.frame').textContent()).toContain('16 |');
    expect(await row.locator('.fix').textContent()).toBe('Fix: move github.event.issue.title into env: ISSUE_TITLE and read it from the environment (pipewarden fix)');
    await row.locator('.docs a').click();
    expect(await page.locator('#rule-template-injection').getAttribute('open')).toBe('');
    expect(await page.locator('#rule-template-injection h3').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('masks secrets and escapes hostile text', async () => {
    const repo = tempDir('pw-html-hostile-');
    write(repo, 'config/app.env', `TOKEN=${GH_PAT}\n`);
    write(repo, '.github/workflows/x.yml', 'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - name: "<img src=x onerror=alert(1)>"\n        run: echo "${{ github.event.issue.title }}"\n');
    const json = join(repo, 'r.json');
    cli(['scan', '.', '--format', 'json', '--fail-on', 'never', '-o', json], { cwd: repo });
    const out = join(repo, 'r.html');
    expect(cli(['report', '--html', out, 'r.json', '--no-history'], { cwd: repo }).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(leaks(html, [GH_PAT])).toEqual([]);
    expect(html).not.toContain('<img src=x');
    const { page, errors, requests } = await load(out);
    await page.locator('tr.finding summary').first().click();
    expect(leaks((await page.locator('body').textContent()) ?? '', [GH_PAT])).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('takes a screenshot of the rendered report', async () => {
    const { page } = await load(reportFile);
    const png = await page.screenshot({ fullPage: false });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    writeFileSync(join(dir, 'report.png'), png);
  });
});

describe('pipewarden report: inputs and history', { timeout: 300_000 }, () => {
  it('usage errors: not JSON, not a pipewarden report, no input on a terminal-less empty stdin', () => {
    const dir = tempDir('pw-html-bad-');
    write(dir, 'a.txt', 'hello');
    write(dir, 'b.json', '{"x":1}');
    expect(cli(['report', '--html', join(dir, 'o.html'), join(dir, 'a.txt')]).stderr).toMatch(/^error: .*a\.txt is not JSON/);
    const b = cli(['report', '--html', join(dir, 'o.html'), join(dir, 'b.json')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(`error: ${join(dir, 'b.json')} is not a pipewarden JSON report (make one with --format json)\n`);
    expect(cli(['report', join(dir, 'b.json')]).code).toBe(2);
  });

  it('reads standard input, and keeps a per-repository history for the trend', () => {
    const dir = tempDir('pw-html-hist-');
    const data = tempDir('pw-html-hist-data-');
    const json = cli(['scan', join(REPO, 'examples'), '--format', 'json', '--fail-on', 'never']).stdout;
    const count = (JSON.parse(json) as { findings: unknown[] }).findings.length;
    for (let i = 1; i <= 3; i++) {
      const r = cli(['report', '--html', join(dir, `r${i}.html`), '--data', data], { input: json });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`wrote ${join(dir, `r${i}.html`)}: ${count} findings, ${i} run${i === 1 ? '' : 's'} in the trend\n`);
    }
    const history = JSON.parse(readFileSync(join(data, 'reports/history.json'), 'utf8')) as { projects: Record<string, unknown[]> };
    expect(Object.values(history.projects).map((p) => p.length)).toEqual([3]);
    expect(readFileSync(join(dir, 'r3.html'), 'utf8')).toContain('Trend (3 runs)');
    cli(['report', '--html', join(dir, 'r4.html'), '--data', data, '--no-history'], { input: json });
    expect(readFileSync(join(dir, 'r4.html'), 'utf8')).toContain('Trend (1 run)');
  });

  it('--format html from any command gives the same page without history', () => {
    const r = cli(['audit', 'examples', '--format', 'html', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain("content=\"default-src 'none'; style-src 'sha256-");
  });
});
