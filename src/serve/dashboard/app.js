// The dashboard of `pipewarden serve` (docs/serve.md): plain ES module, no build step, no
// dependencies. Every datum comes from /api/v1 with `Authorization: Bearer` (no cookie, so no
// CSRF), and is put into the page with textContent or attributes, never parsed as HTML (the
// strict Content-Security-Policy forbids inline script and style anyway). The token lives in
// sessionStorage: it is gone when the tab closes.

const TOKEN_KEY = 'pipewarden.token';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const STATUSES = ['open', 'acknowledged', 'resolved'];
const main = document.getElementById('main');
let me = null;

// ---- DOM helpers: text only ----

/** h('p', { class: 'x' }, 'text', child) → element; attributes set with setAttribute, text as text nodes. */
function h(tag, attrs, ...children) {
  const svg = ['svg', 'g', 'rect', 'line', 'text', 'title', 'desc'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Set while the sign-in form is being shown: the only page that may be shown without a token. */
let showingLogin = false;

function show(...nodes) {
  // A page whose data arrives after a sign-out (the alerts still loading when "Sign out" is
  // pressed) must not replace the sign-in form.
  if (!showingLogin && !sessionStorage.getItem(TOKEN_KEY)) return;
  // replaceChildren would print a skipped optional section as the text "null".
  main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
}

function when(isoTime) {
  return isoTime ? `${isoTime.slice(0, 10)} ${isoTime.slice(11, 16)} UTC` : '';
}

function sevBadge(sev) {
  return h('span', { class: `sev sev-${SEVERITIES.includes(sev) ? sev : 'info'}` }, sev);
}

function statusBadge(st) {
  return h('span', { class: `status status-${STATUSES.includes(st) ? st : 'open'}` }, st);
}

function message(text, kind = 'error') {
  return h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

// ---- API ----

class ApiError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

async function api(path, { method = 'GET', body, token = sessionStorage.getItem(TOKEN_KEY) } = {}) {
  if (!token) throw new ApiError(401, 'not signed in');
  let res;
  try {
    // Relative to the page, so the dashboard also works behind a proxy that serves it under a path prefix.
    res = await fetch(path.replace(/^\//, ''), {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'the server did not answer');
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (json && typeof json.error === 'string' && json.error) || `HTTP ${res.status}`);
  return json;
}

/** Runs a view; a 401 (token revoked or wrong) goes back to the login with the reason. */
async function guarded(fn, { show: render = show } = {}) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut('Your token was not accepted (it may have been revoked). Sign in again.');
      return;
    }
    render(h('h1', {}, 'Something went wrong'), message(e instanceof ApiError ? `${e.message} (${e.status || 'no answer'})` : 'The page could not be shown.'));
  }
}

// ---- login ----

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  // A page still loading belongs to the session that ended.
  navSeq++;
  me = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('nav-admin').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  loginView(reason);
}

function loginView(reason) {
  document.title = 'Sign in · pipewarden';
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
  const status = h('div', { id: 'login-status' }, reason ? message(reason) : null);
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' }, 'A token from PIPEWARDEN_ADMIN_TOKEN or POST /api/v1/tokens. It is kept in this tab only (sessionStorage) and sent as Authorization: Bearer.'),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    input.value = '';
    try {
      me = await api('/api/v1/me', { token });
    } catch (e) {
      status.replaceChildren(message(e instanceof ApiError && e.status === 401 ? 'That token was not accepted.' : `Sign-in failed: ${e.message}`));
      input.focus();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    location.hash = '#/alerts';
  });
  showingLogin = true;
  try {
    show(form);
  } finally {
    showingLogin = false;
  }
  input.focus();
}

async function ensureMe() {
  me ??= await api('/api/v1/me');
  document.getElementById('nav').hidden = false;
  // Only an admin's token can list tokens: the link is not offered to the others.
  document.getElementById('nav-admin').hidden = me.role !== 'admin';
  document.getElementById('signout').hidden = false;
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  return me;
}

// ---- alerts ----

/** Alerts per page unless the URL says otherwise (`limit`, 1 to 500). */
const PAGE_SIZE = 50;
const PAGE_SIZES = [25, 50, 100, 200, 500];

function filtersFrom(params) {
  const f = {};
  // `from`/`to` are the API's names for the Since/Until fields, so a shared link reads the same.
  for (const k of ['severity', 'status', 'repository', 'alert', 'from', 'to']) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

function qs(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function select(id, label, options, value) {
  return [
    h('label', { for: id }, label),
    h('select', { id, name: id }, h('option', { value: '' }, 'any'), ...options.map((o) => h('option', { value: o, selected: o === value }, o))),
  ];
}

/**
 * The page state of the URL: page size, the API cursor of this page (`cursor` going forward,
 * `before` coming back) and its number (for the caption).
 */
function pagingFrom(params) {
  const n = Number(params.get('limit'));
  const limit = Number.isInteger(n) && n >= 1 && n <= 500 ? n : PAGE_SIZE;
  const cursor = params.get('cursor') || undefined;
  const before = cursor ? undefined : params.get('before') || undefined;
  const p = Number(params.get('page'));
  return { limit, cursor, before, page: (cursor || before) && Number.isInteger(p) && p >= 2 ? p : 1 };
}

async function alertsView(params, { show, title }) {
  title('Alerts · pipewarden');
  const f = filtersFrom(params);
  const paging = pagingFrom(params);
  const { severity: _s, ...statFilters } = f;
  const sizes = PAGE_SIZES.includes(paging.limit) ? PAGE_SIZES : [...PAGE_SIZES, paging.limit].sort((a, b) => a - b);
  const timeHelp = 'Date or time, UTC (2026-03-14 or 2026-03-14T16:00:00Z); a date as Until includes that day.';
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter alerts' },
    h('div', { class: 'field' }, ...select('f-severity', 'Minimum severity', SEVERITIES, f.severity)),
    h('div', { class: 'field' }, ...select('f-status', 'Status', STATUSES, f.status)),
    h('div', { class: 'field' }, h('label', { for: 'f-repository' }, 'Repository'), h('input', { id: 'f-repository', name: 'repository', type: 'text', value: f.repository ?? '', placeholder: 'owner/name' })),
    h('div', { class: 'field' }, h('label', { for: 'f-alert' }, 'Alert id'), h('input', { id: 'f-alert', name: 'alert', type: 'text', value: f.alert ?? '', placeholder: 'e.g. workflow-pushed' })),
    h('div', { class: 'field' }, h('label', { for: 'f-from' }, 'Since'), h('input', { id: 'f-from', name: 'from', type: 'text', value: f.from ?? '', placeholder: '2026-03-01', 'aria-describedby': 'f-time-help', autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'f-to' }, 'Until'), h('input', { id: 'f-to', name: 'to', type: 'text', value: f.to ?? '', placeholder: '2026-03-14', 'aria-describedby': 'f-time-help', autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'f-limit' }, 'Per page'), h('select', { id: 'f-limit', name: 'limit' }, sizes.map((n) => h('option', { value: String(n), selected: n === paging.limit }, String(n))))),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply'), h('a', { href: '#/alerts', class: 'button secondary' }, 'Clear')),
    h('p', { class: 'help wide', id: 'f-time-help' }, timeHelp),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    const limit = Number(v('f-limit'));
    // New filters start again at the first page; the page size stays in the URL unless it is the default.
    location.hash = `#/alerts${qs({ severity: v('f-severity'), status: v('f-status'), repository: v('f-repository'), alert: v('f-alert'), from: v('f-from'), to: v('f-to'), limit: limit === PAGE_SIZE ? undefined : limit })}`;
  });

  let list, stats;
  try {
    [list, stats] = await Promise.all([api(`/api/v1/alerts${qs({ ...f, limit: paging.limit, cursor: paging.cursor, before: paging.before })}`), api(`/api/v1/stats/alerts${qs(statFilters)}`)]);
  } catch (e) {
    // A filter the API refuses (too long, an unknown value typed into the address): say which.
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    // The API names the time fields from/to; the form calls them Since/Until.
    const why = e.message.replace(/^from:/, 'Since:').replace(/^to:/, 'Until:').replace(/^to is before from$/, 'Until is before Since');
    show(h('h1', {}, 'Alerts'), form, message(`The filters were refused: ${why}`));
    return;
  }

  const counts = h(
    'ul',
    { class: 'counts', 'aria-label': 'Alerts by severity' },
    SEVERITIES.map((s) => h('li', { class: `count sev-${s}`, 'data-severity': s }, h('span', { class: 'n' }, String(stats.by_severity[s] ?? 0)), h('span', { class: 'label' }, s))),
  );

  const rows = list.alerts.map((a) =>
    h(
      'tr',
      {},
      h('td', {}, sevBadge(a.severity)),
      h('td', {}, statusBadge(a.status)),
      h('td', {}, h('a', { href: `#/alerts/${a.id}` }, a.title)),
      h('td', {}, a.repository ? h('a', { href: `#/repositories/${encodeURIComponent(a.repository)}` }, a.repository) : '—'),
      h('td', {}, a.actor ?? '—'),
      h('td', { class: 'nowrap' }, when(a.time)),
    ),
  );
  const n = list.alerts.length;
  // Back to the top by `before` (no alert newer than this page): that is the first page,
  // whatever number the URL gave it.
  const pageNo = paging.before !== undefined && list.prev_cursor === null ? 1 : paging.page;
  const paged = pageNo > 1 || list.next_cursor !== null;
  // The first alert's position comes from the page number in the URL: a cursor knows where it
  // starts, not how many alerts came before it.
  const first = (pageNo - 1) * paging.limit + 1;
  const caption = paged ? `Page ${pageNo}: alerts ${first}–${first + n - 1}` : `${n} alert${n === 1 ? '' : 's'}`;
  const table = n
    ? h('table', { class: 'list' }, h('caption', {}, caption), h('thead', {}, h('tr', {}, ['Severity', 'Status', 'Alert', 'Repository', 'Actor', 'Time'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows))
    : message(pageNo > 1 ? 'No more alerts match these filters.' : 'No alerts match these filters.', 'info');
  // Links, not buttons: each page has its own URL, so it can be shared and the browser's Back
  // goes to the page before.
  const keep = { ...f, limit: paging.limit === PAGE_SIZE ? undefined : paging.limit };
  const firstHref = `#/alerts${qs(keep)}`;
  // Previous: from page 2 the first page's own address; further on the API's way back (`before`
  // the first alert shown). An empty page past the end has no first alert: First page only.
  const prevHref = pageNo === 2 ? firstHref : pageNo > 2 && list.prev_cursor ? `#/alerts${qs({ ...keep, before: list.prev_cursor, page: pageNo - 1 })}` : null;
  const pager = paged
    ? h(
        'nav',
        { class: 'pager', 'aria-label': 'Alert pages' },
        // From page 2, Previous is the first page: one link, not two to the same place.
        pageNo > 1 && prevHref !== firstHref ? h('a', { href: firstHref, class: 'button secondary' }, 'First page') : null,
        prevHref ? h('a', { href: prevHref, class: 'button secondary', rel: 'prev' }, 'Previous page') : null,
        list.next_cursor ? h('a', { href: `#/alerts${qs({ ...keep, cursor: list.next_cursor, page: pageNo + 1 })}`, class: 'button secondary', rel: 'next' }, 'Next page') : null,
      )
    : null;

  show(h('h1', {}, 'Alerts'), form, h('section', { 'aria-labelledby': 'counts-title' }, h('h2', { id: 'counts-title' }, 'By severity', h('span', { class: 'sub' }, ` (${stats.by_status.open} open, ${stats.by_status.acknowledged} acknowledged, ${stats.by_status.resolved} resolved)`)), counts), chart(stats.per_day), table, pager);
}

/** Alerts per UTC day, stacked by severity, as an SVG built here (14 to 60 days, ending on the last day with alerts). */
function chart(perDay) {
  const fig = h('figure', { class: 'chart', 'aria-labelledby': 'chart-title' }, h('figcaption', { id: 'chart-title' }, 'Alerts per day (UTC)'));
  if (perDay.length === 0) {
    fig.append(message('No alerts to chart.', 'info'));
    return fig;
  }
  const DAY = 86_400_000;
  const byDay = new Map(perDay.map((d) => [d.day, d]));
  const last = Date.parse(`${perDay[perDay.length - 1].day}T00:00:00Z`);
  // At least 14 days (a short history still reads as a timeline), at most 60.
  const first = Math.min(last - 13 * DAY, Math.max(Date.parse(`${perDay[0].day}T00:00:00Z`), last - 59 * DAY));
  const days = [];
  for (let t = first; t <= last; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  }
  const total = (d) => SEVERITIES.reduce((n, s) => n + (d[s] ?? 0), 0);
  const max = Math.max(1, ...days.map(total));
  const W = 640, H = 180, PAD_L = 32, PAD_B = 24, PAD_T = 8;
  const bw = (W - PAD_L) / days.length;
  const y = (n) => PAD_T + (H - PAD_T - PAD_B) * (1 - n / max);
  const sum = days.reduce((n, d) => n + total(d), 0);
  const svg = h(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-svg-title chart-svg-desc', class: 'bars' },
    h('title', { id: 'chart-svg-title' }, 'Alerts per day by severity'),
    h('desc', { id: 'chart-svg-desc' }, `${sum} alerts from ${days[0].day} to ${days[days.length - 1].day}; the busiest day had ${max}.`),
    h('line', { x1: PAD_L, x2: W, y1: y(0), y2: y(0), class: 'axis' }),
    h('text', { x: PAD_L - 4, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, String(max)),
    h('text', { x: PAD_L - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, '0'),
  );
  days.forEach((d, i) => {
    let base = 0;
    const g = h('g', { 'data-day': d.day }, h('title', {}, `${d.day}: ${SEVERITIES.filter((s) => d[s]).map((s) => `${d[s]} ${s}`).join(', ') || 'none'}`));
    for (const s of [...SEVERITIES].reverse()) {
      const n = d[s] ?? 0;
      if (!n) continue;
      g.append(h('rect', { class: `bar sev-${s}`, x: (PAD_L + i * bw + bw * 0.1).toFixed(1), width: Math.max(1, bw * 0.8).toFixed(1), y: y(base + n).toFixed(1), height: (y(base) - y(base + n)).toFixed(1) }));
      base += n;
    }
    svg.append(g);
  });
  svg.append(h('text', { x: PAD_L, y: H - 6, class: 'tick' }, days[0].day));
  if (days.length > 1) svg.append(h('text', { x: W, y: H - 6, class: 'tick', 'text-anchor': 'end' }, days[days.length - 1].day));
  const legend = h('ul', { class: 'legend' }, SEVERITIES.map((s) => h('li', {}, h('span', { class: `swatch sev-${s}` }), s)));
  fig.append(svg, legend);
  return fig;
}

async function alertView(id, nav) {
  const { show, title } = nav;
  const detail = await api(`/api/v1/alerts/${encodeURIComponent(id)}`);
  const a = detail.alert;
  title(`${a.title} · pipewarden`);
  const status = h('div', { id: 'action-status', 'aria-live': 'polite' });
  const note = h('textarea', { id: 'note', name: 'note', rows: 2, maxlength: 10000 });
  const act = (to) => async () => {
    status.replaceChildren();
    try {
      const text = note.value.trim();
      await api(`/api/v1/alerts/${a.id}/status`, { method: 'POST', body: { status: to, ...(text && { note: text }) } });
      // Shown again only if no other page was opened meanwhile (the navigation's own guard).
      await alertView(id, nav);
      if (!nav.current()) return;
      document.getElementById('action-status').replaceChildren(message(`Alert ${to === 'open' ? 'reopened' : to}.`, 'ok'));
      // The button pressed may be gone (an acknowledged alert has no Acknowledge): keep the
      // keyboard focus in the same place rather than losing it to the page.
      document.querySelector('.respond .buttons button')?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      status.replaceChildren(message(e.status === 403 ? `Not allowed: ${e.message}.` : `Could not change the status: ${e.message}`));
    }
  };
  const buttons = [
    a.status !== 'acknowledged' && a.status !== 'resolved' && h('button', { type: 'button', onclick: () => guarded(act('acknowledged')) }, 'Acknowledge'),
    a.status !== 'resolved' && h('button', { type: 'button', onclick: () => guarded(act('resolved')) }, 'Resolve'),
    a.status !== 'open' && h('button', { type: 'button', class: 'secondary', onclick: () => guarded(act('open')) }, 'Reopen'),
  ];

  const events = h(
    'ol',
    { class: 'evidence' },
    detail.events.map((e) => {
      const raw = h('div', { class: 'raw-slot' });
      const btn = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': `raw-${e.id}` }, 'Show raw event');
      raw.id = `raw-${e.id}`;
      btn.addEventListener('click', () =>
        guarded(async () => {
          const open = btn.getAttribute('aria-expanded') === 'true';
          if (open) {
            raw.replaceChildren();
            btn.setAttribute('aria-expanded', 'false');
            btn.textContent = 'Show raw event';
            return;
          }
          raw.replaceChildren(await rawViewer(e.id));
          btn.setAttribute('aria-expanded', 'true');
          btn.textContent = 'Hide raw event';
        }),
      );
      return h('li', {}, h('p', {}, h('strong', {}, e.kind + (e.action ? `.${e.action}` : '')), ` ${when(e.time)} · ${e.source} ${e.evidence}`), h('p', {}, e.summary), btn, raw);
    }),
  );

  const details = a.details && Object.keys(a.details).length ? h('section', { 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title' }, 'Details'), h('pre', { class: 'raw' }, JSON.stringify(a.details, null, 2))) : null;

  show(
    h('p', { class: 'crumbs' }, h('a', { href: '#/alerts' }, '← Alerts')),
    h('h1', {}, a.title),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Severity'), h('dd', {}, sevBadge(a.severity), ` (confidence ${a.confidence})`),
      h('dt', {}, 'Status'), h('dd', { id: 'alert-status' }, statusBadge(a.status)),
      h('dt', {}, 'Alert'), h('dd', {}, h('code', {}, a.alert)),
      h('dt', {}, 'Repository'), h('dd', {}, a.repository ? h('a', { href: `#/repositories/${encodeURIComponent(a.repository)}` }, a.repository) : '—'),
      h('dt', {}, 'Actor'), h('dd', {}, a.actor ?? '—'),
      h('dt', {}, 'Time'), h('dd', {}, when(a.time)),
    ),
    h('p', { class: 'summary' }, a.summary),
    h(
      'section',
      { 'aria-labelledby': 'respond-title', class: 'respond' },
      h('h2', { id: 'respond-title' }, 'Respond'),
      h('label', { for: 'note' }, 'Note (optional, saved with the status change)'),
      note,
      h('div', { class: 'buttons' }, buttons),
      me && me.role === 'viewer' ? h('p', { class: 'help' }, 'Your token has the viewer role: changing the status needs responder.') : null,
      status,
    ),
    h('section', { 'aria-labelledby': 'steps-title' }, h('h2', { id: 'steps-title' }, 'Response steps'), h('ol', { class: 'steps' }, a.response.map((r) => h('li', {}, r)))),
    details,
    h('section', { 'aria-labelledby': 'evidence-title' }, h('h2', { id: 'evidence-title' }, `Evidence (${detail.events.length})`), events),
    h('section', { 'aria-labelledby': 'notes-title' }, h('h2', { id: 'notes-title' }, 'Notes'), detail.notes.length ? h('ul', { class: 'notes' }, detail.notes.map((n) => h('li', {}, h('p', { class: 'meta' }, `${n.author}, ${when(n.at)}`), h('p', {}, n.text)))) : h('p', { class: 'help' }, 'No notes.')),
    detail.notifications.length ? h('section', { 'aria-labelledby': 'notif-title' }, h('h2', { id: 'notif-title' }, 'Notifications'), h('ul', {}, detail.notifications.map((n) => h('li', {}, `${n.destination ?? ''} ${n.status ?? ''}${n.sentAt ? `, ${when(n.sentAt)}` : ''}`)))) : null,
  );
}

/** The raw event as the server stored it, every secret the secrets engine recognises masked (by the server). */
async function rawViewer(id) {
  const r = await api(`/api/v1/events/${encodeURIComponent(id)}`);
  if (r.raw === null) return message('The raw event is not shown: masking its secrets ran out of time, and nothing unmasked is ever shown.', 'info');
  let text = r.raw;
  try {
    text = JSON.stringify(JSON.parse(r.raw), null, 2);
  } catch {
    // not JSON (a log line, a form body): as stored
  }
  return h('figure', { class: 'rawfig' }, h('figcaption', {}, `Raw event ${r.event.evidence}${r.masked ? `, ${r.masked} secret${r.masked === 1 ? '' : 's'} masked` : ''}`), h('pre', { class: 'raw', tabindex: '0', 'aria-label': `Raw event ${r.event.evidence}` }, text));
}

async function eventView(id, { show, title }) {
  const r = await api(`/api/v1/events/${encodeURIComponent(id)}`);
  const e = r.event;
  title(`Event ${e.evidence} · pipewarden`);
  show(
    h('p', { class: 'crumbs' }, e.repository ? h('a', { href: `#/repositories/${encodeURIComponent(e.repository)}` }, `← ${e.repository}`) : h('a', { href: '#/repositories' }, '← Repositories')),
    h('h1', {}, `${e.kind}${e.action ? `.${e.action}` : ''}`),
    h('p', { class: 'summary' }, `${when(e.time)} · ${e.summary}`),
    r.alerts.length ? h('section', { 'aria-labelledby': 'ev-alerts' }, h('h2', { id: 'ev-alerts' }, 'Alerts citing it'), h('ul', {}, r.alerts.map((a) => h('li', {}, sevBadge(a.severity), ' ', h('a', { href: `#/alerts/${a.id}` }, a.title))))) : null,
    await rawViewer(id),
  );
}

// ---- repositories ----

async function repositoriesView({ show, title }) {
  title('Repositories · pipewarden');
  const { repositories } = await api('/api/v1/repositories');
  show(
    h('h1', {}, 'Repositories'),
    repositories.length
      ? h('table', { class: 'list' }, h('caption', {}, `${repositories.length} with events`), h('thead', {}, h('tr', {}, ['Repository', 'Events', 'Alerts', 'Open alerts', 'Last event'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, repositories.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/repositories/${encodeURIComponent(r.repository)}` }, r.repository)), h('td', { class: 'num' }, String(r.events)), h('td', { class: 'num' }, String(r.alerts)), h('td', { class: 'num' }, String(r.open_alerts)), h('td', { class: 'nowrap' }, when(r.last_event))))))
      : message('No events stored yet.', 'info'),
  );
}

/** Events and alerts of one repository, latest first (the latest 500 of each). */
async function repositoryView(name, { show, title }) {
  title(`${name} · pipewarden`);
  const [ev, al] = await Promise.all([api(`/api/v1/events${qs({ repository: name, limit: 500 })}`), api(`/api/v1/alerts${qs({ repository: name, limit: 500 })}`)]);
  const entries = [...ev.events.map((e) => ({ t: e.time, type: 'event', e })), ...al.alerts.map((a) => ({ t: a.time, type: 'alert', a }))].sort((x, y) => (x.t < y.t ? 1 : x.t > y.t ? -1 : x.type === y.type ? 0 : x.type === 'alert' ? -1 : 1));
  const items = entries.map((x) =>
    x.type === 'alert'
      ? h('li', { class: 'tl-alert' }, h('span', { class: 'tl-time' }, when(x.t)), h('span', { class: 'tl-kind' }, sevBadge(x.a.severity)), h('a', { href: `#/alerts/${x.a.id}` }, x.a.title), ' ', statusBadge(x.a.status))
      : h('li', { class: 'tl-event' }, h('span', { class: 'tl-time' }, when(x.t)), h('span', { class: 'tl-kind' }, h('code', {}, `${x.e.kind}${x.e.action ? `.${x.e.action}` : ''}`)), h('a', { href: `#/events/${x.e.id}` }, x.e.summary || x.e.evidence), x.e.actor ? ` by ${x.e.actor}` : ''),
  );
  show(
    h('p', { class: 'crumbs' }, h('a', { href: '#/repositories' }, '← Repositories')),
    h('h1', {}, name),
    h('p', {}, h('a', { href: `#/alerts${qs({ repository: name })}` }, `${al.alerts.length} alert${al.alerts.length === 1 ? '' : 's'}`), `, ${ev.events.length} event${ev.events.length === 1 ? '' : 's'}`),
    h('section', { 'aria-labelledby': 'tl-title' }, h('h2', { id: 'tl-title' }, 'Timeline'), items.length ? h('ol', { class: 'timeline' }, items) : message('Nothing recorded.', 'info')),
  );
}

// ---- incident (ir exposure) ----

function incidentForm(params) {
  const field = (id, label, attrs, help) => h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, type: 'text', value: params.get(id) ?? '', ...(help && { 'aria-describedby': `${id}-help` }), ...attrs }), help ? h('p', { class: 'help', id: `${id}-help` }, help) : null);
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Exposure query' },
    field('action', 'Compromised action', { required: true, placeholder: 'owner/repo', pattern: '[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+' }),
    field('ref', 'Ref (optional)', { placeholder: 'v45' }),
    field('from', 'From', { required: true, placeholder: '2025-03-14' }, 'Date or time, UTC'),
    field('to', 'To', { required: true, placeholder: '2025-03-15' }),
    h('div', { class: 'field' }, h('label', { for: 'bad_sha' }, 'Known bad commits (optional, one per line)'), h('textarea', { id: 'bad_sha', name: 'bad_sha', rows: 2 }, params.getAll('bad_sha').join('\n'))),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Find exposure')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['action', 'ref', 'from', 'to']) {
      const v = form.querySelector(`#${k}`).value.trim();
      if (v) p.set(k, v);
    }
    for (const s of form.querySelector('#bad_sha').value.split(/\s+/)) if (s) p.append('bad_sha', s);
    location.hash = `#/incident?${p}`;
  });
  return form;
}

async function incidentView(params, { show, title }) {
  title('Incident · pipewarden');
  const head = [h('h1', {}, 'Incident: exposure of a compromised action'), incidentForm(params)];
  if (!params.get('action') || !params.get('from') || !params.get('to')) {
    show(...head, h('p', { class: 'help' }, 'Which jobs ran the action in the window, whether they ran bad code, and which secrets to rotate (pipewarden ir exposure over the stored history).'));
    return;
  }
  let r;
  try {
    r = await api(`/api/v1/ir/exposure?${params}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      show(...head, message(`The query was refused: ${e.message}`));
      return;
    }
    throw e;
  }
  const affected = r.jobs.filter((j) => j.status === 'affected').length;
  const likely = r.jobs.filter((j) => j.status === 'likely').length;
  const key = (s) => `pipewarden.rotated:${r.action}:${r.from}:${r.to}:${s.name}:${s.where}`;
  const checklist = r.secrets_to_rotate.length
    ? h(
        'ul',
        { class: 'checklist' },
        r.secrets_to_rotate.map((s, i) => {
          const box = h('input', { type: 'checkbox', id: `rotate-${i}`, checked: sessionStorage.getItem(key(s)) === '1' });
          box.addEventListener('change', () => (box.checked ? sessionStorage.setItem(key(s), '1') : sessionStorage.removeItem(key(s))));
          return h('li', {}, box, h('label', { for: `rotate-${i}` }, h('code', {}, s.name), `: ${s.scope} secret of ${s.where}${s.scopeSource === 'assumed' ? ' (scope assumed)' : ''}; read by ${s.jobs} job${s.jobs === 1 ? '' : 's'}`));
        }),
      )
    : message('No secrets known to rotate. Check the notes.', 'info');
  show(
    ...head,
    h('section', { 'aria-labelledby': 'exp-title' },
      h('h2', { id: 'exp-title' }, `${r.action}${r.ref ? `@${r.ref}` : ''}, ${when(r.from)} to ${when(r.to)}`),
      r.indicator ? h('p', {}, `Known compromise: ${r.indicator.title}${r.indicator.advisory ? ` (${r.indicator.advisory})` : ''}.`) : h('p', { class: 'help' }, 'No published indicator for this action: mutable refs used in the window count as likely affected.'),
      h('p', {}, `${r.jobs.length} job${r.jobs.length === 1 ? '' : 's'} used it: ${affected} affected, ${likely} likely affected, ${r.jobs.length - affected - likely} not affected.`),
    ),
    h('section', { 'aria-labelledby': 'rotate-title' }, h('h2', { id: 'rotate-title' }, 'Secrets to rotate'), checklist, r.github_token_exposed_in ? h('p', { class: 'help' }, `GITHUB_TOKEN was readable in ${r.github_token_exposed_in} job${r.github_token_exposed_in === 1 ? '' : 's'}: it expires with each job; review what those tokens did instead of rotating.`) : null),
    h('section', { 'aria-labelledby': 'jobs-title' }, h('h2', { id: 'jobs-title' }, 'Affected jobs'),
      r.jobs.length
        ? h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Status', 'Repository', 'Job', 'Started', 'Ref', 'Secrets', 'Why'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, r.jobs.map((j) => h('tr', { class: `job-${j.status}` }, h('td', {}, h('span', { class: `jobstatus js-${j.status}` }, j.status)), h('td', {}, j.repository), h('td', {}, `${j.workflow ? `${j.workflow} / ` : ''}${j.job}${j.runId !== null ? ` (run ${j.runId})` : ''}`), h('td', { class: 'nowrap' }, when(j.startedAt)), h('td', {}, h('code', {}, j.ref)), h('td', {}, j.secrets.join(', ') || '—'), h('td', {}, j.reason)))))
        : message('No job in the stored history used it in this window.', 'info'),
    ),
    r.notes.length ? h('section', { 'aria-labelledby': 'exp-notes' }, h('h2', { id: 'exp-notes' }, 'Notes'), h('ul', {}, r.notes.map((n) => h('li', {}, n)))) : null,
  );
}

// ---- admin: API tokens ----

/** Tokens as GET /api/v1/tokens gives them: who holds what role and when each was used; never a token itself (the server keeps only hashes). */
async function tokensView({ show, title }) {
  title('API tokens · pipewarden');
  if (me.role !== 'admin') {
    // The API would refuse it too (403); no request is made for a page the role cannot see.
    show(h('h1', {}, 'API tokens'), message(`Not allowed: this needs the admin role; the token is ${me.role}.`));
    return;
  }
  const { tokens } = await api('/api/v1/tokens');
  const active = tokens.filter((t) => t.revoked_at === null).length;
  show(
    h('h1', {}, 'API tokens'),
    h('p', { class: 'help' }, 'Tokens are created and revoked with POST and DELETE /api/v1/tokens (see docs/serve.md). The server stores only their SHA-256, so no token can be shown again.'),
    h(
      'table',
      { class: 'list tokens' },
      h('caption', {}, `${tokens.length} token${tokens.length === 1 ? '' : 's'}, ${active} active`),
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Created', 'Created by', 'Last used', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        tokens.map((t) =>
          h(
            'tr',
            { class: t.revoked_at === null ? 'token-active' : 'token-revoked' },
            h('td', {}, t.name),
            h('td', {}, t.role),
            h('td', { class: 'nowrap' }, when(t.created_at)),
            h('td', {}, t.created_by ?? '—'),
            // Last use is recorded at most once a minute per token (src/serve/auth.ts).
            h('td', { class: 'nowrap' }, t.last_used_at === null ? 'never' : when(t.last_used_at)),
            h('td', {}, t.revoked_at === null ? 'active' : `revoked ${when(t.revoked_at)}`),
          ),
        ),
      ),
    ),
  );
}

// ---- router ----

/**
 * Navigations overlap (a click while the page before is still loading, a slow answer followed by
 * a fast one): each one gets a number, and only the latest may render, set the title or move the
 * focus. A view renders through its navigation's `show` and `title`, which do nothing once a
 * newer navigation has begun, so an older page that finishes loading last is dropped.
 */
let navSeq = 0;

function navigation() {
  const seq = ++navSeq;
  const current = () => seq === navSeq;
  return {
    current,
    show: (...nodes) => void (current() && show(...nodes)),
    title: (text) => void (current() && (document.title = text)),
  };
}

async function route() {
  const nav = navigation();
  // Where the focus was when this navigation began: a user who moves it while the page loads keeps it.
  const startFocus = document.activeElement;
  const hash = location.hash || '#/alerts';
  const [path, query = ''] = hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    // No page shows anything without a token.
    if (path !== '/login') history.replaceState(null, '', '#/login');
    loginView();
    return;
  }
  if (path === '/login') {
    location.hash = '#/alerts';
    return;
  }
  await guarded(async () => {
    await ensureMe();
    let m;
    if (path === '/alerts' || path === '/' || path === '') await alertsView(params, nav);
    else if ((m = /^\/alerts\/(\d+)$/.exec(path))) await alertView(m[1], nav);
    else if ((m = /^\/events\/(\d+)$/.exec(path))) await eventView(m[1], nav);
    else if (path === '/repositories') await repositoriesView(nav);
    else if ((m = /^\/repositories\/(.+)$/.exec(path))) await repositoryView(decodeURIComponent(m[1]), nav);
    else if (path === '/incident') await incidentView(params, nav);
    else if (path === '/admin/tokens') await tokensView(nav);
    else nav.show(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/alerts' }, 'Go to the alerts')));
    if (!nav.current()) return;
    for (const a of document.querySelectorAll('#nav a')) a.toggleAttribute('aria-current', path.startsWith(a.getAttribute('href').slice(1)));
    for (const a of document.querySelectorAll('#nav a[aria-current]')) a.setAttribute('aria-current', 'page');
  }, nav);
  if (!nav.current()) return;
  // Focus the content for screen readers and keyboard users after a navigation, unless they have
  // moved the focus since it began (Shift+Tab to "Sign out" while the alerts were loading).
  const active = document.activeElement;
  if (active === document.body || (!main.contains(active) && active === startFocus)) main.focus({ preventScroll: true });
}

document.getElementById('signout').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => void route());
void route();
