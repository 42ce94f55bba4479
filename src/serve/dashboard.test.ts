/**
 * The dashboard of `pipewarden serve` end to end: a real server on 127.0.0.1 over SQLite in a
 * temp folder, seeded with signed webhook deliveries and an audit-stream batch, driven in Debian's
 * chromium through playwright-core. Skipped without chromium, except under
 * PIPEWARDEN_REQUIRE_SERVICES=1 where a missing chromium fails (test/services.ts).
 */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import { githubStyleToken } from '../monitor/simulate/org.js';
import { auditEntry, push, simple, workflowJob, workflowRun } from '../monitor/simulate/payloads.js';
import { SECURITY_HEADERS } from './app.js';
import { ADMIN, AUDIT_TOKEN, postGithub, settled, startStack, storeSpot, type StoreSpot, type TestStack } from './testing.js';

const CHROMIUM = serviceUrl('chromium');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Set to a folder to keep a screenshot of each view (development only). */
const SHOTS = process.env.PIPEWARDEN_DASHBOARD_SHOTS;

const sha = (c: string): string => c.repeat(40);
const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const T0 = Date.parse('2026-03-02T09:00:00Z');
const RUN_AT = Date.parse('2025-03-14T17:00:00Z');
// A structurally valid GitHub token that was never issued (fixed seed), planted in a commit message.
const LEAKED = githubStyleToken('ghp_', (() => {
  let x = 11;
  return () => ((x = (x * 48271) % 2147483647) / 2147483647);
})());
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const WORKFLOW = ['name: lint', 'on: push', 'jobs:', '  lint:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: tj-actions/changed-files@v45', '      - run: npm publish', '        env:', '          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}', ''].join('\n');

type Want = string | RegExp;
const matches = (got: string, want: Want): boolean => (typeof want === 'string' ? got === want : want.test(got));

/** Waits (bounded) until the locator satisfies the check; fails with what it last saw. */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await get().catch((e: Error) => e.message as unknown as T);
    if (ok(v)) return;
    if (Date.now() > end) throw new Error(`${what}: last saw ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The few locator assertions these tests need (playwright-core has no test runner's expect). */
function see(l: Locator) {
  return {
    toHaveText: (want: Want | Want[]) =>
      Array.isArray(want)
        ? until(`text of ${l}`, () => l.allTextContents(), (v) => v.length === want.length && v.every((t, i) => matches(t.trim(), want[i]!)))
        : until(`text of ${l}`, async () => (await l.textContent({ timeout: 1000 }))?.trim() ?? '', (v) => matches(v, want)),
    toContainText: (want: string) => until(`text of ${l}`, async () => (await l.textContent({ timeout: 1000 })) ?? '', (v) => v.includes(want)),
    toHaveCount: (n: number) => until(`count of ${l}`, () => l.count(), (v) => v === n),
    toHaveAttribute: (name: string, value: string) => until(`${name} of ${l}`, () => l.getAttribute(name, { timeout: 1000 }), (v) => v === value),
    toBeVisible: () => l.waitFor({ state: 'visible' }),
    toBeHidden: () => l.waitFor({ state: 'hidden' }),
    toBeChecked: () => until(`checked ${l}`, () => l.isChecked({ timeout: 1000 }), (v) => v === true),
    toBeUnchecked: () => until(`unchecked ${l}`, () => l.isChecked({ timeout: 1000 }), (v) => v === false),
  };
}

describe.skipIf(!CHROMIUM)('serve dashboard in Chromium', { timeout: 120_000 }, () => {
  let spot: StoreSpot;
  let s: TestStack;
  let url = '';
  let browser: Browser;
  const logs: string[] = [];
  const tokens = { viewer: '', responder: '' };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    spot = await storeSpot('sqlite');
    s = await startStack(spot.db, {
      log: (line) => void logs.push(line),
      contents: { get: async (r, commit, path) => (r === 'acme/api' && commit === sha('e') && path === '.github/workflows/lint.yml' ? WORKFLOW : undefined) },
    });
    url = s.server.url;
    // Two workflow pushes on main (high alerts); the second one's commit message leaks a token.
    for (const [i, d] of ['dash-1', 'dash-2'].entries()) {
      const after = sha(String(i + 1));
      const p = push(repo, { ref: 'refs/heads/main', before: sha('a'), after, pusher: 'mallory', commits: [{ id: after, modified: ['.github/workflows/ci.yml'] }], at: T0 + i * 86_400_000 });
      if (i === 1) (p.head_commit as Record<string, unknown>).message = `ci: debug with ${LEAKED}`;
      expect((await postGithub(url, 'push', p, { delivery: d })).status).toBe(202);
    }
    // Markup in attacker-chosen fields must stay text.
    expect((await postGithub(url, 'member', simple({ org: 'other', name: 'lib' }, HOSTILE, { action: 'added', member: { login: HOSTILE } }), { delivery: 'dash-3' })).status).toBe(202);
    // A run of tj-actions/changed-files@v45 inside its compromise window, with the secrets the audit log says it got.
    const run = { runId: 500, name: 'lint', path: '.github/workflows/lint.yml', headSha: sha('e'), branch: 'main', event: 'push', actor: 'dev' };
    expect((await postGithub(url, 'workflow_run', workflowRun(repo, { ...run, action: 'completed', at: RUN_AT }), { delivery: 'dash-run' })).status).toBe(202);
    expect((await postGithub(url, 'workflow_job', workflowJob(repo, { action: 'completed', runId: 500, jobId: 9001, name: 'lint', workflowName: 'lint', headSha: sha('e'), branch: 'main', startedAt: RUN_AT, completedAt: RUN_AT + 60_000, sender: 'dev' }), { delivery: 'dash-job' })).status).toBe(202);
    const audit = [
      auditEntry('repo.create_actions_secret', { at: RUN_AT - 30 * 86_400_000, id: 'doc-1', actor: 'alice', org: 'acme', repo: 'acme/api', fields: { key: 'NPM_TOKEN' } }),
      auditEntry('org.create_actions_secret', { at: RUN_AT - 30 * 86_400_000, id: 'doc-2', actor: 'alice', org: 'acme', fields: { key: 'DEPLOY_KEY' } }),
      auditEntry('workflows.prepared_workflow_job', { at: RUN_AT, id: 'doc-3', actor: 'dev', org: 'acme', repo: 'acme/api', fields: { workflow_run_id: 500, job_name: 'lint', secrets_passed: ['GITHUB_TOKEN', 'NPM_TOKEN', 'DEPLOY_KEY'] } }),
    ];
    const batch = await fetch(`${url}/ingest/github-audit`, { method: 'POST', headers: { authorization: `Bearer ${AUDIT_TOKEN}`, 'content-type': 'application/json' }, body: audit.map((a) => JSON.stringify(a)).join('\n') });
    expect(batch.status).toBe(202);
    await settled(s);
    for (const role of ['viewer', 'responder'] as const) {
      const res = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `${role} on call`, role }) });
      tokens[role] = ((await res.json()) as { token: string }).token;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
    await spot?.cleanup();
  }, 60_000);

  async function open(path = '/', token?: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Recorded before any page script runs (the init script is not subject to the page's CSP).
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // The browser logs the API's refusals the tests provoke (a wrong token, a viewer's write, a bad filter).
      if (/^Failed to load resource: the server responded with a status of 40[013] /.test(m.text())) return;
      consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => void consoleErrors.push(`page error: ${e.message}`));
    await page.goto(`${url}${path}`);
    if (token) {
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
      if (path.includes('#/') && !path.endsWith('#/alerts')) {
        await page.goto(`${url}${path}`);
      }
    }
    return { page, context };
  }

  async function shot(page: Page, name: string): Promise<void> {
    // Whatever the view, no missing value is printed as such (outside the raw JSON, where null is data).
    const text = await page.evaluate(() => {
      const copy = document.getElementById('main')!.cloneNode(true) as HTMLElement;
      for (const pre of copy.querySelectorAll('pre')) pre.remove();
      return copy.textContent ?? '';
    });
    expect(text).not.toMatch(/\b(?:null|undefined|NaN)\b|\[object /);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/dashboard-${name}.png`, fullPage: true });
  }

  /** Every form control on the page has a label (a <label for>, a wrapping label or aria-label). */
  async function unlabelled(page: Page): Promise<string[]> {
    return page.$$eval('input, select, textarea', (els) => els.filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map((e) => e.outerHTML));
  }

  it('serves its files with the exact strict headers and refuses oversized bodies', async () => {
    for (const [path, type] of [['/', 'text/html; charset=utf-8'], ['/ui/app.js', 'text/javascript; charset=utf-8'], ['/ui/app.css', 'text/css; charset=utf-8']] as const) {
      const res = await fetch(`${url}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, type]);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect([path, k, res.headers.get(k)]).toEqual([path, k, v]);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const html = await (await fetch(`${url}/`)).text();
    // No inline script or style for the CSP to allow: only the two files.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="ui/app.js">']);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/);
    const big = await fetch(`${url}/api/v1/alerts/1/notes`, { method: 'POST', headers: { authorization: `Bearer ${tokens.responder}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
  });

  it('shows nothing without a token, and says so when the token is wrong', async () => {
    const { page, context } = await open('/#/alerts');
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(`${r.method()} ${new URL(r.url()).pathname} ${r.headers().authorization ? 'bearer' : 'none'}`);
    });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${url}/#/login`);
    await see(page.getByRole('navigation')).toBeHidden();
    await page.getByLabel('API token').fill('pwt_this-token-was-never-issued-0000');
    await page.keyboard.press('Enter');
    await see(page.getByRole('alert')).toHaveText('That token was not accepted.');
    for (const path of ['#/alerts/1', '#/repositories', '#/incident', '#/events/1']) {
      await page.goto(`${url}/${path}`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    }
    const text = await page.content();
    expect(text).not.toContain('acme/api');
    expect(text).not.toContain('mallory');
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'login');
    // The only request was the sign-in check, and the page never asked for data.
    expect(apiCalls).toEqual(['GET /api/v1/me bearer']);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('goes back to the sign-in page, with the reason, when the token is revoked during a session', async () => {
    const made = (await (await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'short shift', role: 'viewer' }) })).json()) as { id: number; token: string };
    const { page, context } = await open('/', made.token);
    await see(page.locator('#who')).toHaveText('short shift (viewer)');
    expect((await fetch(`${url}/api/v1/tokens/${made.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
    await page.getByRole('link', { name: 'Repositories' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await see(page.getByRole('alert')).toHaveText('Your token was not accepted (it may have been revoked). Sign in again.');
    await see(page.getByRole('navigation')).toBeHidden();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.content()).not.toContain('acme/api');
    await context.close();
  });

  it('lists alerts with severity counts, a chart per day, and filters', async () => {
    const { page, context } = await open('/', tokens.viewer);
    const stored = await s.store.listAlerts({});
    expect(stored.length).toBeGreaterThanOrEqual(2);
    await see(page.locator('#who')).toHaveText('viewer on call (viewer)');
    for (const sev of ['critical', 'high', 'medium', 'low', 'info']) {
      await see(page.locator(`.counts [data-severity="${sev}"] .n`)).toHaveText(String(stored.filter((a) => a.severity === sev).length));
    }
    await see(page.locator('table.list tbody tr')).toHaveCount(stored.length);
    // The chart: one group per day from the first to the last alert day (at most 60), a bar per severity present.
    const days = await page.locator('figure.chart svg g[data-day]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-day')));
    // At least 14 days, ending on the last day with alerts; bars only where there are alerts.
    expect(days).toHaveLength(14);
    expect([days[0], days.at(-1)]).toEqual(['2026-02-18', '2026-03-03']);
    expect(await page.locator('figure.chart svg g[data-day]:has(rect)').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-day')))).toEqual(['2026-03-02', '2026-03-03']);
    await see(page.locator('figure.chart svg g[data-day="2026-03-02"] rect.bar.sev-high')).toHaveCount(1);
    await see(page.locator('figure.chart svg')).toHaveAttribute('role', 'img');
    await shot(page, 'alerts');

    await page.getByLabel('Alert id').fill('workflow-pushed');
    await page.getByLabel('Minimum severity').selectOption('high');
    await page.getByRole('button', { name: 'Apply' }).click();
    await see(page.locator('table.list caption')).toHaveText('2 alerts');
    expect(page.url()).toBe(`${url}/#/alerts?severity=high&alert=workflow-pushed`);
    await see(page.locator('table.list tbody tr td:nth-child(3)')).toHaveText([/workflow/i, /workflow/i]);
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('button', { name: 'Apply' }).click();
    await see(page.getByText('No alerts match these filters.')).toBeVisible();
    await page.goto(`${url}/#/alerts?status=closed`);
    await see(page.getByRole('alert')).toHaveText(/^The filters were refused: querystring\/status must be equal to one of the allowed values/);
    await see(page.getByLabel('Status')).toBeVisible();
    expect(await unlabelled(page)).toEqual([]);
    await context.close();
  });

  it('pages the alert list with links that keep the filters, and a shared page link shows the same alerts', async () => {
    const [newer, older] = await s.store.listAlerts({ alert: 'workflow-pushed', order: 'desc' });
    const { page, context } = await open('/#/alerts?alert=workflow-pushed&limit=1', tokens.viewer);
    const rows = page.locator('table.list tbody tr');
    await see(page.locator('table.list caption')).toHaveText('Page 1: alerts 1–1');
    await see(rows.locator('td:nth-child(6)')).toHaveText(['2026-03-03 09:00 UTC']);
    await see(rows.locator('td:nth-child(3) a')).toHaveAttribute('href', `#/alerts/${newer!.id}`);
    // An unlisted page size from the URL is kept, and shown as the selected one.
    expect(await page.getByLabel('Per page').inputValue()).toBe('1');
    const pages = page.getByRole('navigation', { name: 'Alert pages' });
    await see(pages.getByRole('link')).toHaveText(['Next page']);
    // From the keyboard: the pager link takes the focus and Enter follows it.
    await pages.getByRole('link', { name: 'Next page' }).focus();
    await page.keyboard.press('Enter');
    await see(page.locator('table.list caption')).toHaveText('Page 2: alerts 2–2');
    const page2 = `${url}/#/alerts?alert=workflow-pushed&limit=1&cursor=${Date.parse('2026-03-03T09:00:00Z')}_${newer!.id}&page=2`;
    expect(page.url()).toBe(page2);
    await see(rows.locator('td:nth-child(6)')).toHaveText(['2026-03-02 09:00 UTC']);
    await see(rows.locator('td:nth-child(3) a')).toHaveAttribute('href', `#/alerts/${older!.id}`);
    // From page 2 the way back is the first page: one link to it.
    await see(pages.getByRole('link')).toHaveText(['Previous page']);
    await see(pages.getByRole('link', { name: 'Previous page' })).toHaveAttribute('href', '#/alerts?alert=workflow-pushed&limit=1');
    await shot(page, 'alerts-page-2');
    expect(await unlabelled(page)).toEqual([]);
    await context.close();

    // The link, opened by someone else, shows the same page.
    const shared = await open(page2.slice(url.length), tokens.responder);
    await see(shared.page.locator('table.list caption')).toHaveText('Page 2: alerts 2–2');
    await see(shared.page.locator('table.list tbody tr td:nth-child(3) a')).toHaveAttribute('href', `#/alerts/${older!.id}`);
    await shared.page.getByRole('link', { name: 'Previous page' }).click();
    await see(shared.page.locator('table.list caption')).toHaveText('Page 1: alerts 1–1');
    expect(shared.page.url()).toBe(`${url}/#/alerts?alert=workflow-pushed&limit=1`);
    await see(shared.page.locator('table.list tbody tr td:nth-child(6)')).toHaveText(['2026-03-03 09:00 UTC']);
    await shared.context.close();
  });

  it('shows the latest navigation only: an earlier page whose answer comes last is dropped', async () => {
    const { page, context } = await open('/', tokens.viewer);
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    const asked = new Promise<void>((r) =>
      void page.route('**/api/v1/repositories', async (req) => {
        r();
        await held;
        await req.continue();
      }),
    );
    // First navigation: the repositories, whose answer is held back.
    await page.getByRole('link', { name: 'Repositories' }).click();
    await asked;
    // Second navigation while the first is loading: it renders at once.
    await page.goto(`${url}/#/alerts?alert=workflow-pushed&limit=1`);
    await see(page.locator('table.list caption')).toHaveText('Page 1: alerts 1–1');
    // Now the older answer arrives; the page it would have rendered must not replace the alerts.
    const answered = page.waitForResponse('**/api/v1/repositories');
    release();
    expect((await answered).status()).toBe(200);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    await see(page.getByRole('heading', { level: 1 })).toHaveText('Alerts');
    await see(page.locator('table.list caption')).toHaveText('Page 1: alerts 1–1');
    expect(await page.title()).toBe('Alerts · pipewarden');
    await see(page.locator('#nav a[aria-current="page"]')).toHaveText('Alerts');
    // The focus went to the content of the latest page, and stays there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await context.close();
  });

  it('filters alerts by time with labelled Since and Until fields, kept in the URL, counts included', async () => {
    const { page, context } = await open('/#/alerts?alert=workflow-pushed', tokens.viewer);
    await see(page.locator('table.list caption')).toHaveText('2 alerts');
    // From the keyboard: after the alert id come Since, Until and the page size; Enter applies.
    await page.getByLabel('Alert id').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-from');
    await page.keyboard.type('2026-03-03');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-to');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-limit');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await see(page.locator('table.list caption')).toHaveText('1 alert');
    expect(page.url()).toBe(`${url}/#/alerts?alert=workflow-pushed&from=2026-03-03`);
    await see(page.locator('table.list tbody tr td:nth-child(6)')).toHaveText(['2026-03-03 09:00 UTC']);
    // The counts and the chart follow the window too: the 2026-03-02 alert is outside it.
    await see(page.locator('.counts [data-severity="high"] .n')).toHaveText('1');
    await see(page.locator('figure.chart svg g[data-day="2026-03-02"] rect.bar')).toHaveCount(0);
    await see(page.getByRole('navigation', { name: 'Alert pages' })).toHaveCount(0);
    await see(page.getByLabel('Since')).toHaveAttribute('aria-describedby', 'f-time-help');

    // Until a date includes that whole day; Since cleared.
    await page.getByLabel('Since').fill('');
    await page.getByLabel('Until').fill('2026-03-02');
    await page.getByRole('button', { name: 'Apply' }).click();
    await see(page.locator('table.list tbody tr td:nth-child(6)')).toHaveText(['2026-03-02 09:00 UTC']);
    expect(page.url()).toBe(`${url}/#/alerts?alert=workflow-pushed&to=2026-03-02`);
    // A window with times, as a shared link: from 09:00:01 on 2026-03-02 excludes the older push.
    await page.goto(`${url}/#/alerts?alert=workflow-pushed&from=2026-03-02T09:00:01Z&to=2026-03-03T09:00:00Z`);
    await see(page.locator('table.list tbody tr td:nth-child(6)')).toHaveText(['2026-03-03 09:00 UTC']);
    expect(await page.getByLabel('Since').inputValue()).toBe('2026-03-02T09:00:01Z');
    expect(await page.getByLabel('Until').inputValue()).toBe('2026-03-03T09:00:00Z');
    await page.goto(`${url}/#/alerts?alert=workflow-pushed&from=2026-03-04`);
    await see(page.getByText('No alerts match these filters.')).toBeVisible();
    await page.goto(`${url}/#/alerts?from=yesterday`);
    await see(page.getByRole('alert')).toHaveText('The filters were refused: Since: "yesterday" is not a date or time (use 2025-03-14 or 2025-03-14T16:00:00Z)');
    await page.goto(`${url}/#/alerts?from=2026-03-03&to=2026-03-02`);
    await see(page.getByRole('alert')).toHaveText('The filters were refused: Until is before Since');
    expect(await page.getByLabel('Since').inputValue()).toBe('2026-03-03');
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'alerts-time-refused');
    await context.close();
  });

  it('shows an alert with evidence and the raw event, the planted secret masked; a viewer gets the 403 explained', async () => {
    const [a] = await s.store.listAlerts({ alert: 'workflow-pushed', order: 'desc', limit: 1 });
    const { page, context } = await open(`/#/alerts/${a!.id}`, tokens.viewer);
    await page.getByRole('heading', { name: a!.title, level: 1 }).waitFor();
    await see(page.getByRole('heading', { name: 'Response steps' })).toBeVisible();
    await see(page.locator('ol.steps li')).toHaveCount(a!.response.length);
    await see(page.getByRole('heading', { name: 'Evidence (1)' })).toBeVisible();
    const show = page.getByRole('button', { name: 'Show raw event' });
    await show.click();
    const raw = page.locator('.rawfig pre');
    await see(raw).toContainText('"delivery": "dash-2"');
    await see(raw).toContainText('ci: debug with ghp_');
    await see(page.locator('.rawfig figcaption')).toHaveText(/^Raw event dash-2, \d+ secrets? masked$/);
    await see(page.getByRole('button', { name: 'Hide raw event' })).toHaveAttribute('aria-expanded', 'true');
    const content = await page.content();
    expect(content).toContain('ghp_');
    expect(content).not.toContain(LEAKED);
    expect(content).not.toContain(LEAKED.slice(8));
    await shot(page, 'alert-viewer');

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await see(page.getByRole('alert')).toHaveText('Not allowed: this needs the responder role; the token is viewer.');
    await see(page.locator('#alert-status')).toHaveText('open');
    expect((await s.store.listAlerts({ alert: 'workflow-pushed', order: 'desc', limit: 1 }))[0]!.status).toBe('open');
    expect(await unlabelled(page)).toEqual([]);
    await context.close();
  });

  it('lets a responder acknowledge with a note and resolve', async () => {
    const [a] = await s.store.listAlerts({ alert: 'workflow-pushed', order: 'asc', limit: 1 });
    const { page, context } = await open(`/#/alerts/${a!.id}`, tokens.responder);
    await page.getByLabel('Note (optional, saved with the status change)').fill('pusher confirmed, reviewing the diff');
    // From the keyboard: Tab from the note to the button, Enter presses it.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Acknowledge');
    await page.keyboard.press('Enter');
    await see(page.getByRole('status')).toHaveText('Alert acknowledged.');
    await see(page.locator('#alert-status')).toHaveText('acknowledged');
    // The pressed button is gone; the focus stays on the next action, not lost to the page.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Resolve');
    await see(page.locator('ul.notes li')).toHaveText([/^responder on call \(token \d+\), \d{4}-\d\d-\d\d \d\d:\d\d UTCpusher confirmed, reviewing the diff$/]);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await see(page.locator('#alert-status')).toHaveText('resolved');
    await see(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await see(page.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
    await shot(page, 'alert-responder');
    expect((await s.store.listAlerts({ alert: 'workflow-pushed', order: 'asc', limit: 1 }))[0]!.status).toBe('resolved');
    await context.close();
  });

  it('shows a repository with its event timeline, events linking to their masked raw view', async () => {
    const { page, context } = await open('/#/repositories', tokens.viewer);
    await page.getByRole('heading', { name: 'Repositories' }).waitFor();
    await page.getByRole('link', { name: 'acme/api' }).click();
    await page.getByRole('heading', { name: 'acme/api', level: 1 }).waitFor();
    const events = await s.store.listEvents({ repository: 'acme/api' });
    const alerts = await s.store.listAlerts({ repository: 'acme/api' });
    await see(page.locator('ol.timeline li.tl-event')).toHaveCount(events.length);
    await see(page.locator('ol.timeline li.tl-alert')).toHaveCount(alerts.length);
    // Latest first: the second push (2026-03-03) and its alert lead.
    await see(page.locator('ol.timeline li .tl-time').first()).toHaveText('2026-03-03 09:00 UTC');
    await shot(page, 'repository');
    await page.locator('ol.timeline li.tl-event a').first().click();
    await see(page.locator('.rawfig pre')).toContainText('"delivery": "dash-2"');
    expect(await page.content()).not.toContain(LEAKED);

    // Markup from a payload is shown as text, in the timeline and in the raw view.
    await page.goto(`${url}/#/repositories/other%2Flib`);
    await page.getByRole('heading', { name: 'other/lib', level: 1 }).waitFor();
    await see(page.locator('ol.timeline li.tl-event')).toHaveCount(1);
    await see(page.locator('ol.timeline li.tl-event')).toHaveText(new RegExp(HOSTILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.locator('ol.timeline li.tl-event a').click();
    await see(page.locator('.rawfig pre')).toContainText(`"login": "${HOSTILE.replaceAll('"', '\\"')}"`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await context.close();
  });

  it('answers an exposure query with the affected job and the secrets to rotate as a checklist', async () => {
    const { page, context } = await open('/#/incident', tokens.viewer);
    await page.getByRole('heading', { name: /^Incident/ }).waitFor();
    expect(await unlabelled(page)).toEqual([]);
    await page.getByLabel('Compromised action').fill('tj-actions/changed-files');
    await page.getByLabel('From').fill('2025-03-14');
    await page.getByLabel('To', { exact: true }).fill('2025-03-15');
    await page.getByLabel('To', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Secrets to rotate' }).waitFor();
    expect(page.url()).toBe(`${url}/#/incident?action=tj-actions%2Fchanged-files&from=2025-03-14&to=2025-03-15`);
    await see(page.locator('tbody tr')).toHaveCount(1);
    await see(page.locator('tbody tr td').nth(0)).toHaveText('likely');
    await see(page.locator('tbody tr td').nth(1)).toHaveText('acme/api');
    const boxes = page.getByRole('checkbox');
    await see(boxes).toHaveCount(2);
    await see(page.locator('ul.checklist label')).toHaveText(['DEPLOY_KEY: org secret of acme; read by 1 job', 'NPM_TOKEN: repo secret of acme/api; read by 1 job']);
    await page.getByLabel('NPM_TOKEN: repo secret of acme/api; read by 1 job').check();
    await shot(page, 'incident');
    await page.reload();
    await see(page.getByLabel('NPM_TOKEN: repo secret of acme/api; read by 1 job')).toBeChecked();
    await see(page.getByLabel('DEPLOY_KEY: org secret of acme; read by 1 job')).toBeUnchecked();
    expect(await unlabelled(page)).toEqual([]);
    await context.close();
  });

  it('lists API tokens for an admin only: roles and use, never a token value', async () => {
    const unused = (await (await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'never used', role: 'responder' }) })).json()) as { id: number; token: string };
    const gone = (await (await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'left the team', role: 'viewer' }) })).json()) as { id: number; token: string };
    expect((await fetch(`${url}/api/v1/tokens/${gone.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
    const { page, context } = await open('/', ADMIN);
    const tokenRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/tokens') tokenRequests.push(r.method());
    });
    await page.getByRole('navigation').getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    expect(page.url()).toBe(`${url}/#/admin/tokens`);
    await see(page.getByRole('link', { name: 'Tokens' })).toHaveAttribute('aria-current', 'page');
    const listed = (await (await fetch(`${url}/api/v1/tokens`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { tokens: Array<{ name: string; role: string; revoked_at: string | null }> };
    const rows = page.locator('table.tokens tbody tr');
    await see(rows).toHaveCount(listed.tokens.length);
    await see(page.locator('table.tokens caption')).toHaveText(`${listed.tokens.length} tokens, ${listed.tokens.filter((t) => t.revoked_at === null).length} active`);
    await see(rows.locator('td:nth-child(1)')).toHaveText(listed.tokens.map((t) => t.name));
    // The environment's admin token and the two made for these tests come first, in creation order.
    expect(listed.tokens.slice(0, 3).map((t) => [t.name, t.role])).toEqual([['admin (PIPEWARDEN_ADMIN_TOKEN)', 'admin'], ['viewer on call', 'viewer'], ['responder on call', 'responder']]);
    const cells = async (name: string): Promise<string[]> => (await rows.filter({ has: page.getByRole('cell', { name, exact: true }) }).locator('td').allTextContents()).map((t) => t.trim());
    const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/;
    const fresh = await cells('never used');
    expect([fresh[0], fresh[1], fresh[3], fresh[4], fresh[5]]).toEqual(['never used', 'responder', 'admin (PIPEWARDEN_ADMIN_TOKEN) (token 1)', 'never', 'active']);
    expect(fresh[2]).toMatch(stamp);
    const env = await cells('admin (PIPEWARDEN_ADMIN_TOKEN)');
    expect([env[1], env[3], env[5]]).toEqual(['admin', 'environment', 'active']);
    // Signed in with it just now: its use is recorded.
    expect(env[4]).toMatch(stamp);
    const revoked = await cells('left the team');
    expect([revoked[1], revoked[4]]).toEqual(['viewer', 'never']);
    expect(revoked[5]).toMatch(/^revoked \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await see(rows.filter({ hasText: 'left the team' })).toHaveAttribute('class', 'token-revoked');
    const content = await page.content();
    for (const t of [ADMIN, AUDIT_TOKEN, tokens.viewer, tokens.responder, unused.token, gone.token]) expect(content).not.toContain(t);
    await shot(page, 'tokens');
    expect(tokenRequests).toEqual(['GET']);
    await context.close();

    // A responder is not offered the page, and typing its address asks the server nothing.
    const other = await open('/', tokens.responder);
    const asked: string[] = [];
    other.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/tokens') asked.push(r.method());
    });
    await see(other.page.getByRole('navigation').getByRole('link')).toHaveText(['Alerts', 'Repositories', 'Incident']);
    await other.page.goto(`${url}/#/admin/tokens`);
    await see(other.page.getByRole('alert')).toHaveText('Not allowed: this needs the admin role; the token is responder.');
    await see(other.page.locator('table.tokens')).toHaveCount(0);
    expect(asked).toEqual([]);
    await other.context.close();
  });

  it('works from the keyboard: Tab reaches the navigation and the controls, Enter activates them', async () => {
    const { page, context } = await open('/');
    // The token field has the focus on arrival; Enter signs in.
    await page.keyboard.type(tokens.viewer);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    const focusedText = (): Promise<string> => page.evaluate(() => `${document.activeElement?.tagName}:${(document.activeElement?.textContent ?? '').trim().slice(0, 40)}`);
    const tabTo = async (target: string, key = 'Tab'): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press(key);
        const f = await focusedText();
        seen.push(f);
        if (f === target) return seen;
      }
      throw new Error(`${key} never reached ${target}: ${seen.join(' | ')}`);
    };
    // After a navigation the content has the focus: the first Tab reaches the filters, and
    // Shift+Tab goes back through the header.
    expect(await focusedText()).toMatch(/^MAIN:/);
    expect(await tabTo('SELECT:anycriticalhighmediumlowinfo')).toEqual(['SELECT:anycriticalhighmediumlowinfo']);
    expect(await tabTo('A:Repositories', 'Shift+Tab')).toEqual(['BUTTON:Sign out', 'A:Incident', 'A:Repositories']);
    expect(await tabTo('A:Skip to content', 'Shift+Tab')).toEqual(['A:Alerts', 'A:Skip to content']);
    await tabTo('A:Repositories');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Repositories', level: 1 }).waitFor();
    await tabTo('A:acme/api');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'acme/api', level: 1 }).waitFor();
    // The filter form is reachable and submits with Enter.
    await page.goto(`${url}/#/alerts`);
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await tabTo('INPUT:');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-alert');
    await page.keyboard.type('workflow-pushed');
    await page.keyboard.press('Enter');
    await see(page.locator('table.list caption')).toHaveText('2 alerts');
    await tabTo('BUTTON:Sign out', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('works behind a proxy that serves it under a path prefix (every URL it uses is relative)', async () => {
    const context = await browser.newContext();
    const seen: string[] = [];
    // The "proxy": /pw/... on the same origin is answered by the server's /...; anything else fails.
    await context.route(`${url}/**`, async (r) => {
      const u = new URL(r.request().url());
      if (!u.pathname.startsWith('/pw/')) return r.abort();
      seen.push(u.pathname);
      return r.fulfill({ response: await r.fetch({ url: `${url}${u.pathname.slice(3)}${u.search}` }) });
    });
    const page = await context.newPage();
    await page.goto(`${url}/pw/#/repositories`);
    await page.getByLabel('API token').fill(tokens.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await see(page.locator('table.list tbody tr')).toHaveCount((await s.store.listAlerts({})).length);
    expect([...new Set(seen)].sort()).toEqual(['/pw/', '/pw/api/v1/alerts', '/pw/api/v1/me', '/pw/api/v1/stats/alerts', '/pw/ui/app.css', '/pw/ui/app.js']);
    await context.close();
  });

  it('goes back page by page with Previous page (the API `before` cursor in the address), from the keyboard', async () => {
    // Two more workflow pushes (on another repository, after the others), so there are four alerts to page
    // through. Last but one test: the earlier ones count the alerts of the first setup.
    const more = { org: 'acme', name: 'web', visibility: 'private' as const };
    for (const [i, d] of ['dash-4', 'dash-5'].entries()) {
      const after = sha(String(i + 6));
      expect((await postGithub(url, 'push', push(more, { ref: 'refs/heads/main', before: sha('a'), after, pusher: 'mallory', commits: [{ id: after, modified: ['.github/workflows/ci.yml'] }], at: T0 + (i + 2) * 86_400_000 }), { delivery: d })).status).toBe(202);
    }
    await settled(s);
    const stored = await s.store.listAlerts({ order: 'desc' });
    expect(stored.length).toBe(4);
    const { page, context } = await open('/#/alerts?limit=1', tokens.viewer);
    const caption = page.locator('table.list caption');
    const link = page.locator('table.list tbody tr td:nth-child(3) a');
    const pages = page.getByRole('navigation', { name: 'Alert pages' });
    for (const n of [2, 3]) {
      await pages.getByRole('link', { name: 'Next page' }).click();
      await see(caption).toHaveText(`Page ${n}: alerts ${n}–${n}`);
    }
    await see(link).toHaveAttribute('href', `#/alerts/${stored[2]!.id}`);
    await see(pages.getByRole('link')).toHaveText(['First page', 'Previous page', 'Next page']);
    await shot(page, 'alerts-page-3');
    // Previous from page 3: the alert before, with its own address (the cursor of the first alert shown, as `before`).
    await pages.getByRole('link', { name: 'Previous page' }).focus();
    await page.keyboard.press('Enter');
    await see(caption).toHaveText('Page 2: alerts 2–2');
    expect(page.url()).toBe(`${url}/#/alerts?limit=1&before=${Date.parse(stored[2]!.time)}_${stored[2]!.id}&page=2`);
    await see(link).toHaveAttribute('href', `#/alerts/${stored[1]!.id}`);
    await see(pages.getByRole('link')).toHaveText(['Previous page', 'Next page']);
    // Next from there is page 3 again, Previous the first page.
    await pages.getByRole('link', { name: 'Next page' }).click();
    await see(caption).toHaveText('Page 3: alerts 3–3');
    await see(link).toHaveAttribute('href', `#/alerts/${stored[2]!.id}`);
    await page.goBack();
    await see(caption).toHaveText('Page 2: alerts 2–2');
    await pages.getByRole('link', { name: 'Previous page' }).click();
    await see(caption).toHaveText('Page 1: alerts 1–1');
    expect(page.url()).toBe(`${url}/#/alerts?limit=1`);
    await see(link).toHaveAttribute('href', `#/alerts/${stored[0]!.id}`);
    await see(pages.getByRole('link')).toHaveText(['Next page']);
    // A shared way-back link whose page number is wrong: when nothing is newer, it is the first page.
    await page.goto(`${url}/#/alerts?limit=1&before=${Date.parse(stored[1]!.time)}_${stored[1]!.id}&page=7`);
    await see(caption).toHaveText('Page 1: alerts 1–1');
    await see(pages.getByRole('link')).toHaveText(['Next page']);
    expect(await unlabelled(page)).toEqual([]);
    await context.close();
  });

  it('logged no CSP violation or script error, and the server log never holds a token', () => {
    expect(consoleErrors).toEqual([]);
    const all = logs.join('\n');
    for (const t of [ADMIN, AUDIT_TOKEN, tokens.viewer, tokens.responder, LEAKED]) expect(all).not.toContain(t);
  });
});
