import { ApiError, describe, get, post, query, request } from './api.js';
import { requireRole, wireHeader } from './auth.js';
import { addDays, formatDate, formatDateTime, formatDayMonth, londonDateTimeLocal, londonToInstant, money, offerAmount, offerWindow, todayLondon } from './format.js';
import { $, $$, busy, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';
import { loadCatalogue } from './catalogue.js';

const me = await requireRole('MARKETING', 'ADMIN');
wireHeader();

let catalogue = { locations: [], treatments: [] };
const pretty = (s) => String(s || '').replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());

function handleAuth(e) {
  if (e && e.sessionExpired) {
    notice($('#page-notice'), 'warn', 'Your session has ended. ', el('a', { href: `signin.html?next=${encodeURIComponent('marketing.html')}`, text: 'Sign in again' }));
    return true;
  }
  return false;
}

// ------------------------------------------------------------------ offers list
function scope(o) {
  const what = o.treatmentCategory ? pretty(o.treatmentCategory)
    : (o.treatmentIds || []).map((id) => (catalogue.treatments.find((t) => t.id === id) || { name: id }).name).join(', ');
  const where = o.locationIds && o.locationIds.length
    ? o.locationIds.map((id) => (catalogue.locations.find((l) => l.id === id) || { name: id }).name).join(', ')
    : 'all clinics';
  return `${what} · ${where}`;
}

async function loadOffers() {
  const st = $('#offers-status');
  st.textContent = 'Loading offers…';
  try {
    const offers = (await get('/api/marketing/offers', { auth: true })) || [];
    offers.sort((a, b) => String(b.createdAt || b.startsAt).localeCompare(String(a.createdAt || a.startsAt)));
    $('#offers-body').replaceChildren(...offers.map(row));
    $('#offers-wrap').hidden = offers.length === 0;
    st.textContent = offers.length ? `${offers.length} offer${offers.length === 1 ? '' : 's'}.` : 'No offers yet.';
  } catch (e) {
    if (handleAuth(e)) return;
    st.textContent = `We couldn’t load the offers. ${describe(e)}`;
  }
}

function row(o) {
  const status = String(o.status || '').toLowerCase();
  const redeemed = o.redemptions ?? 0;
  const errorCell = el('span', { className: 'field-error', 'aria-live': 'polite' });
  const act = (label, busyLabel, aria, cls, fn) => {
    const b = el('button', { type: 'button', className: `small ${cls}`, 'aria-label': aria }, label);
    b.addEventListener('click', async () => {
      errorCell.textContent = '';
      try {
        await busy(b, busyLabel, fn);
      } catch (e) {
        if (!handleAuth(e)) errorCell.textContent = describe(e);
      }
    });
    return b;
  };
  const endNow = async (done) => {
    await post(`/api/marketing/offers/${encodeURIComponent(o.id)}/end`, {}, { auth: true });
    await loadOffers();
    $('#offers-status').textContent = done;
  };
  const actions = [];
  if (o.status === 'LIVE') {
    actions.push(act('End now', 'Ending…', `End offer ${o.code} now`, 'danger',
      () => endNow(`Offer ${o.code} has ended. Customers can no longer use the code.`)));
  }
  if (o.status === 'SCHEDULED') {
    // Before it starts, an offer can still be changed or taken back (it is ended, never launched).
    actions.push(act('Edit', null, `Edit offer ${o.code}`, 'secondary', async () => startEdit(o)));
    actions.push(act('Withdraw', 'Withdrawing…', `Withdraw offer ${o.code} before it starts`, 'danger',
      () => endNow(`Offer ${o.code} has been withdrawn. It will not start, and the code no longer works.`)));
  }
  // The window as customers read it on the home page: first and last day of appointments, inclusive.
  return el('tr', { dataset: { code: o.code, id: o.id } },
    el('td', {}, el('span', { className: 'offer-code', text: o.code })),
    el('td', { text: o.title }),
    el('td', { text: offerAmount(o) }),
    el('td', { text: scope(o) }),
    el('td', { className: 'offer-window', title: `${formatDateTime(o.startsAt)} – ${formatDateTime(o.endsAt)} (end exclusive)`, text: offerWindow(o) }),
    el('td', {}, el('span', { className: `pill ${status}`, text: pretty(status) })),
    el('td', { className: 'num', text: `${redeemed}${o.maxRedemptions ? ` of ${o.maxRedemptions}` : ''}${o.pendingReservations ? ` (+${o.pendingReservations} pending)` : ''}` }),
    el('td', {}, ...actions, errorCell));
}

// ------------------------------------------------------------------ launch form
const form = $('#offer-form');

function syncKind() {
  const percent = $('#kind-percent').checked;
  $('#percent-field').hidden = !percent;
  $('#amount-field').hidden = percent;
}
function syncScope() {
  const cat = $('#scope-category').checked;
  $('#category-field').hidden = !cat;
  $('#treatment-ids').hidden = cat;
}
for (const r of $$('input[name="kind"]')) r.addEventListener('change', syncKind);
for (const r of $$('input[name="scope"]')) r.addEventListener('change', syncScope);

function boxes(container, name, items) {
  container.replaceChildren(...items.map(([value, text]) => {
    const id = `${name}-${value}`;
    return el('div', { className: 'check' }, el('input', { type: 'checkbox', id, name, value }), el('label', { for: id, text }));
  }));
}

function resetTimes() {
  const now = Date.now();
  $('#starts').value = londonDateTimeLocal(now);
  $('#ends').value = londonDateTimeLocal(now + 7 * 24 * 3600 * 1000);
}

/** The form shows a scheduled offer and saves it in place (PUT) until saved or stopped. */
let editing = null;

function startEdit(o) {
  editing = o;
  clearFieldErrors(form);
  clearNotice($('#form-notice'));
  $('#code').value = o.code;
  $('#title').value = o.title || '';
  $('#description').value = o.description || '';
  const percent = o.percentOff != null;
  $('#kind-percent').checked = percent;
  $(percent ? '#kind-percent' : '#kind-amount').checked = true;
  $('#percent').value = percent ? o.percentOff : '';
  $('#amount').value = percent ? '' : (o.amountOffPence / 100).toFixed(2);
  const byCategory = !!o.treatmentCategory;
  $(byCategory ? '#scope-category' : '#scope-treatments').checked = true;
  if (byCategory) $('#category').value = o.treatmentCategory;
  for (const c of $$('input[name="treatment"]')) c.checked = (o.treatmentIds || []).includes(c.value);
  for (const c of $$('input[name="location"]')) c.checked = (o.locationIds || []).includes(c.value);
  $('#starts').value = londonDateTimeLocal(o.startsAt);
  $('#ends').value = londonDateTimeLocal(o.endsAt);
  $('#max').value = o.maxRedemptions ?? '';
  $('#per-customer').value = o.maxRedemptionsPerCustomer ?? 1;
  $('#announce').checked = !!o.announce;
  syncKind();
  syncScope();
  showLastDay();
  $('#launch-heading').textContent = `Edit offer ${o.code}`;
  $('#launch').textContent = 'Save changes';
  $('#cancel-edit').hidden = false;
  $('#launch-heading').scrollIntoView({ block: 'start' });
  $('#code').focus();
}

function stopEdit() {
  editing = null;
  $('#launch-heading').textContent = 'Launch an offer';
  $('#launch').textContent = 'Launch offer';
  $('#cancel-edit').hidden = true;
  form.reset();
  syncKind();
  syncScope();
  resetTimes();
}

/** The last day of appointments, inclusive, as the home page and the offers list say it. */
function showLastDay() {
  const v = $('#ends').value;
  $('#ends-last-day').textContent = v
    ? `Last day for appointments: ${formatDate(new Date(toInstant(v)).getTime() - 1)} (the offer ends at this moment).`
    : '';
}

function toInstant(v) {
  const [d, t] = v.split('T');
  return londonToInstant(d, t);
}

function offerBody() {
  const b = {
    code: $('#code').value.trim().toUpperCase(),
    title: $('#title').value.trim(),
    description: $('#description').value.trim() || undefined,
    startsAt: $('#starts').value ? toInstant($('#starts').value) : null,
    endsAt: $('#ends').value ? toInstant($('#ends').value) : null,
    announce: $('#announce').checked,
  };
  if ($('#kind-percent').checked) b.percentOff = $('#percent').value === '' ? null : Number($('#percent').value);
  else b.amountOffPence = $('#amount').value === '' ? null : Math.round(Number($('#amount').value) * 100);
  if ($('#scope-category').checked) b.treatmentCategory = $('#category').value;
  else b.treatmentIds = $$('input[name="treatment"]:checked').map((c) => c.value);
  const locs = $$('input[name="location"]:checked').map((c) => c.value);
  if (locs.length) b.locationIds = locs;
  if ($('#max').value !== '') b.maxRedemptions = Number($('#max').value);
  if ($('#per-customer').value !== '') b.maxRedemptionsPerCustomer = Number($('#per-customer').value);
  return b;
}

function validate(b) {
  let first = null;
  const fail = (input, msg) => { setFieldError(input, msg); first = first || input; };
  if (!/^[A-Za-z0-9-]{3,32}$/.test(b.code)) fail($('#code'), 'Use 3 to 32 letters, digits or dashes.');
  if (!b.title) fail($('#title'), 'Give the offer a title.');
  if ('percentOff' in b && !(b.percentOff >= 1 && b.percentOff <= 100)) fail($('#percent'), 'Enter a whole percentage from 1 to 100.');
  if ('amountOffPence' in b && !(b.amountOffPence >= 1)) fail($('#amount'), 'Enter an amount of at least £0.01.');
  if (b.treatmentIds && !b.treatmentIds.length) fail($('#treatment-ids'), 'Tick at least one treatment.');
  if (!b.startsAt) fail($('#starts'), 'Enter when the offer starts.');
  if (!b.endsAt) fail($('#ends'), 'Enter when the offer ends.');
  else if (b.startsAt && b.endsAt <= b.startsAt) fail($('#ends'), 'The end must be after the start.');
  if (first) first.focus();
  return !first;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearNotice($('#form-notice'));
  const b = offerBody();
  if (!validate(b)) return;
  try {
    if (editing) {
      const saved = await busy($('#launch'), 'Saving…', () => request('PUT', `/api/marketing/offers/${encodeURIComponent(editing.id)}`, { body: b, auth: true }));
      stopEdit();
      notice($('#form-notice'), 'success', `Offer ${saved.code} saved — it’s still scheduled, and starts on ${formatDateTime(saved.startsAt)}.`);
      loadOffers();
      return;
    }
    const made = await busy($('#launch'), 'Launching…', () => post('/api/marketing/offers', b, { auth: true }));
    notice($('#form-notice'), 'success', `Offer ${made.code || b.code} launched — ${made.status === 'LIVE' ? 'it’s live now and shows on the home page' : 'it’s scheduled and shows on the home page as coming up'}.`);
    form.reset();
    syncKind();
    syncScope();
    resetTimes();
    showLastDay();
    loadOffers();
  } catch (e) {
    if (handleAuth(e)) return;
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations(form, e.violations);
      notice($('#form-notice'), 'error', 'Please correct the highlighted fields.', left.length ? el('ul', {}, ...left.map((m) => el('li', { text: m }))) : null);
    } else if (e instanceof ApiError && e.code === 'offer_code_taken') {
      setFieldError($('#code'), describe(e));
      $('#code').focus();
      notice($('#form-notice'), 'error', describe(e));
    } else {
      notice($('#form-notice'), 'error', describe(e));
    }
  }
});

$('#cancel-edit').addEventListener('click', () => { stopEdit(); showLastDay(); clearNotice($('#form-notice')); });
$('#ends').addEventListener('input', showLastDay);
$('#ends').addEventListener('change', showLastDay);

// ------------------------------------------------------------------ analytics
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  for (const c of children) if (c) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

/** One figure, its name, and what it counts (so no one has to guess by which date a booking counts). */
function stat(n, l, what, change) {
  return el('div', { className: 'stat' }, el('span', { className: 'n', text: n }), el('span', { className: 'l', text: l }),
    what ? el('span', { className: 'what', text: what }) : null,
    change ? el('span', { className: `change ${change.dir}`, text: change.text }) : null);
}

/** Days from one local date to another, both inclusive. */
function daysBetween(from, to) {
  const ms = (d) => { const [y, m, dd] = d.split('-').map(Number); return Date.UTC(y, m - 1, dd); };
  return Math.round((ms(to) - ms(from)) / 86400000) + 1;
}

/** The period of the same length just before the chosen one, to compare with. */
function previousPeriod(from, to) {
  const n = daysBetween(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1), days: n };
}

/** "Up 3 on the previous 31 days (12)": the change in words, so it reads the same aloud as on screen. */
function change(now, before, days, show = String) {
  const span = `the previous ${days} day${days === 1 ? '' : 's'}`;
  // A median of no calls at all: say there is nothing to compare rather than compare with zero.
  if (before == null || now == null || before === '' || now === '') return { dir: 'none', text: `No figure to compare in ${span}` };
  const d = Number(now) - Number(before);
  if (d === 0) return { dir: 'same', text: `Same as ${span} (${show(before)})` };
  return { dir: d > 0 ? 'up' : 'down', text: `${d > 0 ? 'Up' : 'Down'} ${show(Math.abs(d))} on ${span} (${show(before)})` };
}

/**
 * A table of figures. On a phone (site.css) each row becomes a small card whose cells carry their
 * column's name (data-label), so every figure is readable without scrolling sideways; the explicit
 * roles keep it a table for screen readers once CSS changes the display of its parts.
 */
function figuresTable(container, caption, head, rows, empty) {
  if (!rows.length) { container.replaceChildren(el('p', { className: 'status', text: empty })); return; }
  container.replaceChildren(el('div', { className: 'table-wrap' },
    el('table', { className: 'figures-table', role: 'table' },
      el('caption', { className: 'visually-hidden', text: caption }),
      el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' }, ...head.map((h, i) => el('th', { scope: 'col', role: 'columnheader', className: i ? 'num' : '', text: h })))),
      el('tbody', { role: 'rowgroup' }, ...rows.map((r) => el('tr', { role: 'row' }, ...r.map((c, i) => (i
        ? el('td', { className: 'num', role: 'cell', 'data-label': head[i], text: String(c) })
        : el('th', { scope: 'row', role: 'rowheader', text: String(c) })))))))));
}

/** RFC 4180 CSV: every field quoted, quotes doubled; a leading =,+,-,@ is neutralised for spreadsheets. */
function csv(rows) {
  const cell = (v) => {
    let t = v == null ? '' : String(v);
    if (/^[=+\-@]/.test(t) && !/^-?\d/.test(t)) t = `'${t}`;
    return `"${t.replace(/"/g, '""')}"`;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n');
}

/** The shown figures as a CSV download: the same numbers and the same explanations. */
function exportLink(from, to, figures, days, offers, byLocation, treatments, prev) {
  const rows = [['section', 'item', 'value', 'what it counts', prev ? `previous period (${prev.from} to ${prev.to})` : 'previous period'],
    ...figures.map((f) => ['summary', f.label, f.raw, f.what, f.prevRaw ?? '']),
    ...(days || []).map((d) => ['bookings per day (appointment date)', d.date, d.count, '']),
    ...offers.flatMap((o) => [
      ['offer', o.code, o.redemptions || 0, `redemptions; discount given ${money(o.discountPence)}`],
      ['offer', o.code, (Number(o.revenuePence || 0) / 100).toFixed(2), 'revenue (£) of the period’s appointments with the code'],
      ['offer', o.code, o.bookingsMade || 0, 'bookings made in the period with the code (day booked)']]),
    ...treatments.flatMap((t) => [
      ['treatment', t.name, t.bookings, 'bookings by appointment date'],
      ['treatment', t.name, (Number(t.revenuePence || 0) / 100).toFixed(2), 'revenue (£)'],
      ['treatment', t.name, t.bookingsMade, 'bookings made (day booked)'],
      ['treatment', t.name, t.cancellations, 'cancellations (day cancelled)']]),
    ...byLocation.map(([name, n]) => ['bookings per clinic (appointment date)', name, n, ''])];
  const a = $('#export-csv');
  a.href = `data:text/csv;charset=utf-8,${encodeURIComponent(`\ufeff${csv(rows)}\r\n`)}`;
  a.download = `clinic-analytics-${from}-to-${to}.csv`;
  a.hidden = false;
}

let chartDays = null;
let chartWidth = 0;

// Drawn at the width it is shown at (one viewBox unit = one CSS pixel), so its labels stay 11px
// on a phone and on a wide screen alike instead of shrinking with the picture or making the page
// scroll sideways; fewer day labels where fewer fit. Redrawn when the width changes (a phone turned).
window.addEventListener('resize', () => {
  const box = $('#per-day');
  if (chartDays && box && Math.abs(box.clientWidth - chartWidth) > 40) perDayChart(chartDays);
});

function perDayChart(days) {
  const box = $('#per-day');
  chartDays = days;
  if (!days.length) { box.replaceChildren(el('p', { className: 'status', text: 'No bookings in this period.' })); return; }
  chartWidth = box.clientWidth;
  const W = Math.max(280, chartWidth || 640); const H = 220; const pad = { l: 32, r: 8, t: 16, b: 28 };
  const max = Math.max(1, ...days.map((d) => d.count));
  const bw = (W - pad.l - pad.r) / days.length;
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const total = days.reduce((s, d) => s + d.count, 0);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'per-day-heading per-day-desc' },
    svg('desc', { id: 'per-day-desc' }, `${total} bookings over ${days.length} days, at most ${max} on one day.`),
    svg('line', { class: 'axis', x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b }),
    svg('text', { x: pad.l - 4, y: pad.t + 4, 'text-anchor': 'end' }, String(max)),
    svg('text', { x: pad.l - 4, y: H - pad.b, 'text-anchor': 'end' }, '0'));
  const every = Math.ceil(days.length / Math.max(2, Math.min(10, Math.floor((W - pad.l) / 64))));
  days.forEach((d, i) => {
    const x = pad.l + i * bw;
    const h = H - pad.b - y(d.count);
    chart.append(svg('rect', { class: 'bar', x: x + bw * 0.15, y: y(d.count), width: Math.max(1, bw * 0.7), height: Math.max(0, h) },
      svg('title', {}, `${formatDayMonth(`${d.date}T12:00:00Z`)}: ${d.count} booking${d.count === 1 ? '' : 's'}, ${money(d.revenuePence)}`)));
    if (i % every === 0) chart.append(svg('text', { x: x + bw / 2, y: H - pad.b + 16, 'text-anchor': 'middle' }, formatDayMonth(`${d.date}T12:00:00Z`)));
  });
  const table = el('details', {}, el('summary', { text: 'Show as a table' }),
    el('div', { className: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Day' }), el('th', { scope: 'col', className: 'num', text: 'Bookings' }), el('th', { scope: 'col', className: 'num', text: 'Revenue' }))),
      el('tbody', {}, ...days.filter((d) => d.count).map((d) => el('tr', {},
        el('td', { text: formatDayMonth(`${d.date}T12:00:00Z`) }), el('td', { className: 'num', text: String(d.count) }), el('td', { className: 'num', text: money(d.revenuePence) })))))));
  box.replaceChildren(chart, table);
}

function barList(container, rows, empty, alt) {
  if (!rows.length) { container.replaceChildren(el('p', { className: 'status', text: empty })); return; }
  const max = Math.max(1, ...rows.map((r) => r.value));
  container.replaceChildren(el('ul', { className: 'bars' }, ...rows.map((r) => {
    const w = Math.max(r.value ? 2 : 0, Math.round((r.value / max) * 100));
    return el('li', {},
      el('span', { text: r.label }),
      svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
        svg('rect', { class: `bar${alt ? ' alt' : ''}`, x: 0, y: 0, width: w, height: 10 })),
      el('span', { className: 'num', text: r.text }));
  })));
}

async function loadAnalytics() {
  const from = $('#from').value;
  const to = $('#to').value;
  const st = $('#analytics-status');
  clearFieldErrors($('#period-form'));
  if (!from || !to || to < from) { setFieldError($('#to'), 'Choose a “to” day on or after the “from” day.'); return; }
  st.textContent = 'Loading figures…';
  const prev = previousPeriod(from, to);
  try {
    const [s, days, p] = await Promise.all([
      get(`/api/analytics/summary${query({ from, to })}`, { auth: true }),
      get(`/api/analytics/bookings-per-day${query({ from, to })}`, { auth: true }).catch((e) => { if (e.sessionExpired) throw e; return null; }),
      // The comparison is a second look at the same summary; without it the figures still show.
      get(`/api/analytics/summary${query({ from: prev.from, to: prev.to })}`, { auth: true }).catch((e) => { if (e.sessionExpired) throw e; return null; }),
    ]);
    const bk = s.bookings || {};
    const cb = s.callbacks || {};
    const nt = s.notifications || {};
    const made = s.bookingsMade || {};
    const pb = p ? (p.bookings || {}) : null;
    const pc = p ? (p.callbacks || {}) : null;
    const pn = p ? (p.notifications || {}) : null;
    const pounds = (pence) => (Number(pence || 0) / 100).toFixed(2);
    const figures = [
      { n: String(bk.count ?? 0), raw: bk.count ?? 0, prevRaw: pb?.count ?? 0, label: 'bookings by appointment date', what: 'Confirmed bookings whose appointment falls in the period (cancelled ones not counted), whenever they were made.' },
      { n: String(made.count ?? 0), raw: made.count ?? 0, prevRaw: p?.bookingsMade?.count ?? 0, label: 'bookings made', what: `Bookings made in the period (the day the customer booked), whatever their appointment date; ${made.cancelledSince ?? 0} of them cancelled since.` },
      { n: String(s.cancellations?.count ?? 0), raw: s.cancellations?.count ?? 0, prevRaw: p?.cancellations?.count ?? 0, label: 'cancellations', what: 'Bookings cancelled in the period (the day of the cancellation), whatever their appointment date.' },
      { n: money(s.revenuePence), raw: pounds(s.revenuePence), prevRaw: p ? pounds(p.revenuePence) : '', money: true, label: 'revenue (£)', what: 'Booked prices after promo-code discounts of the bookings by appointment date: cancelled ones excluded, no-shows included. Not money taken.' },
      { n: money(s.discountPence), raw: pounds(s.discountPence), prevRaw: p ? pounds(p.discountPence) : '', money: true, label: 'discounts given (£)', what: 'Promo-code discounts on those bookings.' },
      { n: String(s.newsletter?.signUps ?? 0), raw: s.newsletter?.signUps ?? 0, prevRaw: p?.newsletter?.signUps ?? 0, label: 'newsletter sign-ups', what: 'Newsletter subscriptions confirmed in the period (the link in the mail clicked).' },
      { n: String(cb.requested ?? 0), raw: cb.requested ?? 0, prevRaw: pc?.requested ?? 0, label: 'callbacks requested', what: 'Callback requests made in the period.' },
      { n: String(cb.completed ?? 0), raw: cb.completed ?? 0, prevRaw: pc?.completed ?? 0, label: 'callbacks completed', what: 'Of those, the ones staff have completed.' },
      { n: cb.medianMinutesToFirstAttempt == null ? '–' : `${Math.round(cb.medianMinutesToFirstAttempt)} min`, raw: cb.medianMinutesToFirstAttempt ?? '', prevRaw: pc?.medianMinutesToFirstAttempt == null ? '' : Math.round(pc.medianMinutesToFirstAttempt), minutes: true, label: 'median time to first call', what: 'From request to the first call attempt.' },
      { n: String(cb.slaBreaches ?? 0), raw: cb.slaBreaches ?? 0, prevRaw: pc?.slaBreaches ?? 0, label: 'callbacks overdue', what: 'Requests not called within the promised time.' },
      { n: String(bk.attended ?? 0), raw: bk.attended ?? 0, prevRaw: pb?.attended ?? 0, label: 'attended', what: 'Of the bookings by appointment date, the ones staff marked as attended.' },
      { n: String(bk.noShows ?? 0), raw: bk.noShows ?? 0, prevRaw: pb?.noShows ?? 0, label: 'no-shows', what: 'Of the bookings by appointment date, the ones staff marked as a no-show.' },
      { n: String(nt.sent ?? 0), raw: nt.sent ?? 0, prevRaw: pn?.sent ?? 0, label: 'messages sent', what: 'Emails and texts sent in the period.' },
      { n: String(nt.failed ?? 0), raw: nt.failed ?? 0, prevRaw: pn?.failed ?? 0, label: 'messages failed', what: 'Emails and texts that could not be delivered.' },
    ];
    if (!p) figures.forEach((f) => { f.prevRaw = ''; });
    const show = (f) => (f.money ? (v) => money(Math.round(Number(v) * 100)) : f.minutes ? (v) => `${Math.round(Number(v))} min` : String);
    const nowOf = (f) => (f.minutes ? (f.raw === '' ? '' : Math.round(f.raw)) : f.raw);
    $('#stats').replaceChildren(...figures.map((f) => stat(f.n, f.label, f.what,
      p ? change(nowOf(f), f.prevRaw, prev.days, show(f)) : null)));
    $('#comparison-basis').textContent = p
      ? `Each figure is compared with the previous ${prev.days} day${prev.days === 1 ? '' : 's'}, ${formatDate(`${prev.from}T12:00:00Z`)} to ${formatDate(`${prev.to}T12:00:00Z`)}, counted the same way.`
      : 'The previous period’s figures are unavailable just now, so there is no comparison.';
    if (days) perDayChart(days);
    else $('#per-day').replaceChildren(el('p', { className: 'status', text: 'The daily chart is unavailable just now.' }));
    const treatmentName = (id) => (catalogue.treatments.find((t) => t.id === id) || { name: id }).name;
    const treatments = (s.treatments || []).map((t) => ({ ...t, name: treatmentName(t.treatmentId) }));
    figuresTable($('#per-treatment'), 'Results per treatment',
      ['Treatment', 'Bookings (appointment date)', 'Revenue', 'Bookings made', 'Cancellations'],
      treatments.map((t) => [t.name, t.bookings, money(t.revenuePence), t.bookingsMade, t.cancellations]),
      'No bookings, bookings made or cancellations in this period.');
    const offers = s.offers || [];
    figuresTable($('#per-offer'), 'Results per offer',
      ['Code', 'Redemptions', 'Discount given', 'Revenue', 'Bookings made'],
      offers.map((o) => [o.code, o.redemptions || 0, money(o.discountPence), money(o.revenuePence), o.bookingsMade || 0]),
      'No codes redeemed or used in this period.');
    const locName = (id) => (catalogue.locations.find((l) => l.id === id) || { name: id }).name;
    barList($('#per-location'), Object.entries(bk.byLocation || {}).map(([id, n]) => ({ label: locName(id), value: Number(n) || 0, text: String(n) })),
      'No bookings in this period.', false);
    const noShows = bk.noShowsByLocation || {};
    barList($('#no-shows'), Object.entries(bk.byLocation || {}).map(([id, n]) => {
      const total = Number(n) || 0;
      const missed = Number(noShows[id]) || 0;
      const pct = total ? Math.round((missed / total) * 1000) / 10 : 0;
      return { label: locName(id), value: pct, text: `${pct}% (${missed} of ${total})` };
    }), 'No bookings in this period.', false);
    exportLink(from, to, figures, days, offers, Object.entries(bk.byLocation || {}).map(([id, n]) => [locName(id), n]),
      treatments, p ? prev : null);
    st.textContent = `Figures for ${from} to ${to}. They follow bookings and callbacks within a few seconds.`;
  } catch (e) {
    if (handleAuth(e)) return;
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations($('#period-form'), e.violations);
      st.textContent = left.join(' ') || 'Please correct the dates.';
    } else {
      st.textContent = `We couldn’t load the figures. ${describe(e)}`;
    }
  }
}
$('#period-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadAnalytics(); });

// ------------------------------------------------------------------ start
async function init() {
  syncKind();
  syncScope();
  resetTimes();
  showLastDay();
  const today = todayLondon();
  $('#from').value = addDays(today, -30);
  $('#to').value = addDays(today, 30);
  try {
    catalogue = await loadCatalogue();
    const cats = [...new Set(catalogue.treatments.map((t) => t.category).filter(Boolean))];
    $('#category').replaceChildren(...cats.map((c) => option(c, pretty(c), c === 'sports-massage')));
    boxes($('#treatment-boxes'), 'treatment', catalogue.treatments.map((t) => [t.id, `${t.name} (${money(t.pricePence)})`]));
    boxes($('#location-boxes'), 'location', catalogue.locations.map((l) => [l.id, l.name]));
  } catch (e) {
    notice($('#page-notice'), 'error', `We couldn’t load treatments and clinics. ${describe(e)}`);
  }
  loadOffers();
  loadAnalytics();
}

$('#refresh-offers').addEventListener('click', loadOffers);
if (me) init();
