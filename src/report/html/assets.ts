/**
 * The report's only style and script, inlined and allowed by hash in its Content-Security-Policy.
 * The script filters and sorts the table rows the page already holds; it loads nothing.
 */
export const STYLE = `
:root { color-scheme: light; --fg: #1b1f23; --muted: #5f6b76; --line: #d8dee4; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header h1 { margin: 0 0 4px; font-size: 22px; }
.meta, .muted { color: var(--muted); font-size: 12px; }
.cards { display: flex; gap: 10px; flex-wrap: wrap; margin: 16px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 92px; background: var(--panel); display: flex; flex-direction: column; }
.card .n { font-size: 22px; font-weight: 600; }
.card.sev-critical .n, .sev-critical.badge { color: #fff; }
.note { margin: 4px 0; color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 12px 28px; margin: 16px 0; }
.chart { margin: 0; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { font-size: 11px; fill: var(--fg); display: block; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 10px 0; border-top: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); }
.filters input[type=search] { min-width: 260px; padding: 4px 8px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; border-bottom: 2px solid var(--line); padding: 0; }
th button { all: unset; cursor: pointer; display: block; padding: 6px 8px; font-weight: 600; }
th[aria-sort=ascending] button::after { content: " ▲"; }
th[aria-sort=descending] button::after { content: " ▼"; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
td.where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; max-width: 340px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.sev-critical.badge { background: #7b1fa2; } .sev-high.badge { background: #c62828; } .sev-medium.badge { background: #ef6c00; }
.sev-low.badge { background: #1565c0; } .sev-info.badge { background: #607d8b; }
.card.sev-critical { border-color: #7b1fa2; } .card.sev-high { border-color: #c62828; } .card.sev-medium { border-color: #ef6c00; }
.card.sev-low { border-color: #1565c0; } .card.sev-info { border-color: #607d8b; }
.card.sev-critical .n { color: #7b1fa2; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre.frame, pre.code { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 8px; overflow-x: auto; font-size: 12px; }
.rules details { border-top: 1px solid var(--line); padding: 6px 0; }
.rules summary { color: var(--fg); font-size: 14px; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
tr[hidden] { display: none; }
`;

export const SCRIPT = `
(function () {
  'use strict';
  var tbody = document.querySelector('#findings tbody');
  if (!tbody) return;
  var rows = Array.prototype.slice.call(tbody.querySelectorAll('tr.finding'));
  var q = document.getElementById('q');
  var category = document.getElementById('category');
  var owasp = document.getElementById('owasp');
  var repository = document.getElementById('repository');
  var shown = document.getElementById('shown');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=severity]'));
  function apply() {
    var text = q.value.trim().toLowerCase();
    var sev = {};
    boxes.forEach(function (b) { sev[b.value] = b.checked; });
    var n = 0;
    rows.forEach(function (r) {
      var d = r.dataset;
      var ok = sev[d.severity] &&
        (!category.value || d.category === category.value) &&
        (!owasp.value || d.owasp.split(' ').indexOf(owasp.value) !== -1) &&
        (!repository.value || d.repository === repository.value) &&
        (!text || (d.rule + ' ' + d.file + ' ' + r.querySelector('.message').textContent).toLowerCase().indexOf(text) !== -1);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  [q, category, owasp, repository].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  function keyOf(r, key) {
    if (key === 'rank') return Number(r.dataset.rank);
    if (key === 'message') return r.querySelector('.message').textContent;
    return r.dataset[key];
  }
  Array.prototype.slice.call(document.querySelectorAll('#findings th[data-sort]')).forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var key = th.getAttribute('data-sort');
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      document.querySelectorAll('#findings th').forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = keyOf(a, key), y = keyOf(b, key);
        var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return c * dir || Number(a.dataset.order) - Number(b.dataset.order);
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  function openRule() {
    var el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openRule);
  openRule();
  apply();
})();
`;
