// The staff diary: one clinic's week by day and therapist, with the bookings of each and what
// to do with them (move, cancel, attendance), a customer look-up, and live updates from the
// bookings stream. Only the answer to the newest question is ever shown (see `loadWeek`).
import { ApiError, describe, get, post, query } from './api.js';
import { reauthenticate, requireRole, wireHeader } from './auth.js';
import { addDays, formatDateStr, formatDateTime, formatWhen, londonDate, londonTime, todayLondon, withDuration } from './format.js';
import { $, busy, clearFieldErrors, clearNotice, el, notice, option, showViolations } from './ui.js';
import { loadCatalogue } from './catalogue.js';
import { availability, renderSlotButtons } from './slots.js';
import { openStream } from './sse.js';

// The gateway is asked who is signed in before anything else (the cookie is not readable here).
const me = await requireRole('STAFF', 'ADMIN');
wireHeader();

const LOCATION_KEY = 'clinic.diary.location';
const STATUS = { CONFIRMED: 'Confirmed', CANCELLED: 'Cancelled', ATTENDED: 'Attended', NO_SHOW: 'No-show' };
const statusText = (s) => STATUS[s] || s;
// Attendance is kept beside the status (a marked booking stays CONFIRMED): show whichever says more.
const shownStatus = (b) => b.attendance || b.status;

const locationSel = $('#d-location');
const dateInput = $('#d-date');
const diaryBox = $('#diary');
const dialog = $('#bk-dialog');

const state = {
  locations: [], treatments: new Map(), diary: null, from: null, to: null,
  seq: 0, abort: null, stream: null, reloadTimer: null, openRef: null,
  booking: null, returnFocus: null, moveSeq: 0, moveAbort: null, moveSlot: null,
  findSeq: 0, findAbort: null, findTimer: null,
};

function announce(text) {
  const a = $('#announce');
  a.textContent = '';
  setTimeout(() => { a.textContent = text; }, 50);
}

/** The Monday of the week a 'YYYY-MM-DD' lies in. */
function mondayOf(dateStr) {
  const [y, m, d] = dateStr.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(dateStr, dow === 0 ? -6 : 1 - dow);
}

const treatmentName = (id) => (state.treatments.has(id) ? withDuration(state.treatments.get(id)) : id);
const range = (r) => `${r.from || londonTime(r.startsAt)}–${r.to || londonTime(r.endsAt)}`;
/** A time-off entry: instants (or local times) with an optional reason, clipped to the day shown. */
function timeOffText(o, date) {
  const from = o.from || o.startsAt;
  const to = o.to || o.endsAt;
  const part = (v, edge) => (/T/.test(String(v)) ? (londonDate(v) === date ? londonTime(v) : edge) : String(v).slice(0, 5));
  const span = from && to ? `${part(from, '00:00')}–${part(to, '24:00')}` : 'all day';
  return `Time off ${span}${o.reason ? ` (${o.reason})` : ''}`;
}

// ------------------------------------------------------------------ loading the week

/**
 * Loads the week that `dateInput` lies in for the chosen clinic. Each call cancels the one before
 * and carries a number: an answer is shown only if no later call was made, so quick week changes
 * never leave an older week on screen. `quiet` is for live refreshes (no "Loading…").
 */
async function loadWeek({ quiet = false } = {}) {
  const loc = locationSel.value;
  if (!loc || !dateInput.value) return;
  const from = mondayOf(dateInput.value);
  const to = addDays(from, 6);
  const seq = ++state.seq;
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  const st = $('#d-status');
  if (!quiet) st.textContent = 'Loading the diary…';
  try {
    const d = await get(`/api/staff/diary${query({ locationId: loc, from, to })}`, { auth: true, signal: abort.signal });
    if (seq !== state.seq) return;
    state.diary = d || { therapists: [], closures: [] };
    state.from = from;
    state.to = to;
    clearNotice($('#diary-notice'));
    render(loc, from, to);
    syncUrl(loc, from);
    if (state.openRef) {
      const ref = state.openRef;
      state.openRef = null;
      const b = findBooking(ref);
      if (b) openBooking(b);
      else announce(`Booking ${ref} is not in this clinic’s diary that week.`);
    } else if (dialog.open && state.booking) {
      // Keep the open booking's details in step with what the diary now says about it.
      const b = findBooking(state.booking.reference);
      if (b) { state.booking = b; fillDetails(b); }
    }
  } catch (e) {
    if (seq !== state.seq || (e && e.name === 'AbortError')) return;
    if (e.sessionExpired) { sessionEnded(); return; }
    st.textContent = '';
    notice($('#diary-notice'), 'error', `We couldn’t load the diary. ${describe(e)}`);
  }
}

function syncUrl(loc, from) {
  const url = `diary.html${query({ locationId: loc, date: from })}`;
  history.replaceState(null, '', url);
}

function findBooking(ref) {
  for (const t of (state.diary && state.diary.therapists) || []) {
    for (const day of t.days || []) {
      const b = (day.bookings || []).find((x) => x.reference === ref);
      if (b) return { ...b, therapistId: t.id, therapistName: t.name, date: day.date };
    }
  }
  return null;
}

function render(loc, from, to) {
  const d = state.diary;
  const locName = (state.locations.find((l) => l.id === loc) || {}).name || loc;
  $('#week-heading').textContent = `${locName}: week of ${formatDateStr(from)}`;
  const therapists = d.therapists || [];
  const closures = d.closures || [];
  let count = 0;
  let attention = 0;
  const days = [];
  for (let i = 0; i < 7; i += 1) {
    const date = addDays(from, i);
    const closed = closures.filter((c) => c.date === date && (!c.locationId || c.locationId === loc));
    const cols = therapists.map((t) => {
      const day = (t.days || []).find((x) => x.date === date) || { workingHours: [], breaks: [], timeOff: [], bookings: [] };
      const bookings = (day.bookings || []).slice().sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
      count += bookings.filter((b) => b.status !== 'CANCELLED').length;
      attention += bookings.filter((b) => b.needsAttention && b.status !== 'CANCELLED').length;
      const hours = day.workingHours || [];
      const headingId = `th-${date}-${t.id}`;
      return el('section', { className: 'diary-col', dataset: { therapistId: t.id, date }, 'aria-labelledby': headingId },
        el('h4', { id: headingId, text: t.name }),
        el('p', { className: 'diary-hours', text: hours.length ? `Working ${hours.map(range).join(', ')}` : 'Not working' }),
        ...(day.breaks || []).map((b) => el('p', { className: 'diary-break', text: `Break ${range(b)}` })),
        ...(day.timeOff || []).map((o) => el('p', { className: 'diary-off', text: timeOffText(o, date) })),
        bookings.length
          ? el('ul', { className: 'diary-bookings', 'aria-label': `Bookings with ${t.name}` },
            ...bookings.map((b) => el('li', {}, bookingButton({ ...b, therapistId: t.id, therapistName: t.name, date }))))
          : el('p', { className: 'hint', text: 'No bookings.' }));
    });
    const dayHeading = `day-${date}`;
    days.push(el('section', { className: `diary-day${closed.length ? ' closed' : ''}${date === todayLondon() ? ' today' : ''}`, dataset: { date }, 'aria-labelledby': dayHeading },
      el('h3', { id: dayHeading, text: `${formatDateStr(date)}${date === todayLondon() ? ' (today)' : ''}` }),
      ...closed.map((c) => el('p', { className: 'notice warn diary-closure', text: `Closed: ${c.reason || 'closure'}` })),
      therapists.length ? el('div', { className: 'diary-cols' }, ...cols) : el('p', { className: 'hint', text: 'No therapists work at this clinic.' })));
  }
  // A live redraw must not take the keyboard user's place: back to the same booking, if still shown.
  const focused = diaryBox.contains(document.activeElement) ? document.activeElement.dataset.reference : null;
  diaryBox.replaceChildren(...days);
  if (focused) {
    const again = diaryBox.querySelector(`button[data-reference="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
  const txt = `${count} booking${count === 1 ? '' : 's'} this week${attention ? `, ${attention} need${attention === 1 ? 's' : ''} attention` : ''}.`;
  $('#d-status').textContent = txt;
  void to;
}

function bookingButton(b) {
  const cancelled = b.status === 'CANCELLED';
  return el('button', {
    type: 'button',
    className: `diary-booking${cancelled ? ' cancelled' : ''}${b.needsAttention && !cancelled ? ' attention' : ''}`,
    dataset: { reference: b.reference, startsAt: b.startsAt, status: shownStatus(b) },
    onclick: (ev) => openBooking(b, ev.currentTarget),
  },
  el('span', { className: 'diary-time', text: `${londonTime(b.startsAt)}–${londonTime(b.endsAt)}` }),
  el('span', { className: 'diary-customer', text: b.customerName }),
  el('span', { className: 'diary-treatment', text: treatmentName(b.treatmentId) }),
  el('span', { className: 'diary-status' },
    el('span', { className: `pill ${cancelled ? 'cancelled' : shownStatus(b) === 'NO_SHOW' ? 'overdue' : 'live'}`, text: statusText(shownStatus(b)) }),
    b.needsAttention && !cancelled ? [' ', el('span', { className: 'pill attention', text: 'Needs attention' })] : null));
}

// ------------------------------------------------------------------ one booking

function openBooking(b, from) {
  state.booking = b;
  state.returnFocus = from || document.activeElement;
  clearNotice($('#bk-notice'));
  $('#mv-form').hidden = true;
  $('#cx-form').hidden = true;
  fillDetails(b);
  if (!dialog.open) dialog.showModal();
  $('#bk-close').focus();
}

function fillDetails(b) {
  $('#bk-ref').textContent = b.reference;
  $('#bk-customer').textContent = b.customerName;
  $('#bk-when').textContent = `${formatWhen(b.startsAt)}–${londonTime(b.endsAt)}`;
  $('#bk-treatment').textContent = treatmentName(b.treatmentId);
  $('#bk-therapist').textContent = b.therapistName || b.therapistId || '';
  $('#bk-status').textContent = statusText(shownStatus(b));
  $('#bk-attention').hidden = !(b.needsAttention && b.status !== 'CANCELLED');
  const live = b.status === 'CONFIRMED' && !b.attendance;
  const started = Date.parse(b.startsAt) <= Date.now();
  $('#bk-move').hidden = !live;
  $('#bk-cancel').hidden = !live;
  // Attendance only once the appointment has started (the server says not_started before).
  $('#bk-attended').hidden = !live || !started;
  $('#bk-noshow').hidden = !live || !started;
  $('#bk-attendance-hint').hidden = !live || started;
}

function actionFailed(e, form) {
  if (e.sessionExpired) { dialog.close(); sessionEnded(); return; }
  if (e instanceof ApiError && e.code === 'validation_failed' && form) {
    const left = showViolations(form, e.violations);
    notice($('#bk-notice'), 'error', 'Please correct the highlighted fields.',
      left.length ? el('ul', {}, ...left.map((m) => el('li', { text: m }))) : null);
    return;
  }
  const msg = e instanceof ApiError && e.code === 'not_started' ? 'The appointment hasn’t started yet: attendance can be recorded from its start time.'
    : e instanceof ApiError && e.code === 'booking_cancelled' ? 'This booking has already been cancelled.'
      : e instanceof ApiError && e.code === 'booking_changed' ? 'A colleague changed this booking a moment ago. The diary now shows it as it is: check it and try again.'
        : describe(e);
  notice($('#bk-notice'), 'error', msg);
  // Whatever failed, the diary may be out of date: show what the server holds now.
  if (e instanceof ApiError && e.status === 409) loadWeek({ quiet: true });
}

/** After a change: show what the server says now, in the details and in the diary. */
function changed(updated, message) {
  const b = { ...state.booking, ...(updated || {}) };
  state.booking = b;
  fillDetails(b);
  notice($('#bk-notice'), 'success', message);
  announce(message);
  loadWeek({ quiet: true });
}

// Move: pick a new free time for the same clinic and treatment.
function startMove() {
  const b = state.booking;
  clearNotice($('#bk-notice'));
  $('#cx-form').hidden = true;
  const f = $('#mv-form');
  clearFieldErrors(f);
  f.hidden = false;
  $('#mv-slots-error').textContent = '';
  $('#mv-date').min = todayLondon();
  $('#mv-date').value = londonDate(b.startsAt) >= todayLondon() ? londonDate(b.startsAt) : todayLondon();
  loadMoveSlots();
  $('#mv-date').focus();
}

const therapistFirst = (id) => {
  const t = ((state.diary && state.diary.therapists) || []).find((x) => x.id === id);
  return t ? t.name.split(' ')[0] : 'a therapist';
};

async function loadMoveSlots(message) {
  const b = state.booking;
  state.moveSlot = null;
  const list = $('#mv-slots');
  list.replaceChildren();
  if (state.moveAbort) state.moveAbort.abort();
  const day = $('#mv-date').value;
  if (!day) { $('#mv-status').textContent = 'Choose a day.'; return; }
  const seq = ++state.moveSeq;
  const abort = new AbortController();
  state.moveAbort = abort;
  $('#mv-status').textContent = 'Looking for free times…';
  try {
    const slots = await availability(locationSel.value, b.treatmentId, day, abort.signal);
    if (seq !== state.moveSeq) return;
    renderSlotButtons(list, slots, therapistFirst, (s) => {
      state.moveSlot = s;
      $('#mv-slots-error').textContent = '';
      $('#mv-status').textContent = `New time: ${formatWhen(s.startsAt)} with ${therapistFirst(s.therapistId)}.`;
    });
    const lead = message ? `${message} ` : '';
    $('#mv-status').textContent = slots.length ? `${lead}${slots.length} free time${slots.length === 1 ? '' : 's'} on ${formatDateStr(day)}.`
      : `${lead}No free times on ${formatDateStr(day)} — choose another day.`;
  } catch (e) {
    if (seq !== state.moveSeq || (e && e.name === 'AbortError')) return;
    $('#mv-status').textContent = `We couldn’t load free times. ${describe(e)}`;
  }
}

async function confirmMove() {
  const b = state.booking;
  const f = $('#mv-form');
  clearFieldErrors(f);
  clearNotice($('#bk-notice'));
  if (!state.moveSlot) {
    $('#mv-slots-error').textContent = 'Pick a new time.';
    ($('#mv-slots button') || $('#mv-date')).focus();
    return;
  }
  const slot = state.moveSlot;
  try {
    const updated = await busy($('#mv-confirm'), 'Moving…', () => post(`/api/staff/bookings/${encodeURIComponent(b.reference)}/reschedule`,
      { startsAt: slot.startsAt, therapistId: slot.therapistId }, { auth: true }));
    f.hidden = true;
    const therapistName = (((state.diary && state.diary.therapists) || []).find((x) => x.id === slot.therapistId) || {}).name;
    state.booking = { ...b, therapistId: slot.therapistId, therapistName: therapistName || b.therapistName };
    const when = (updated && updated.startsAt) || slot.startsAt;
    // The diary shows the moved booking in its new week when the new day lies in another one.
    if (mondayOf(londonDate(when)) !== state.from) dateInput.value = londonDate(when);
    changed({ ...(updated || {}), startsAt: when, endsAt: (updated && updated.endsAt) || slot.endsAt },
      `Booking ${b.reference} moved to ${formatWhen(when)}. The customer is told by email.`);
    $('#bk-move').focus();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'slot_unavailable') {
      $('#mv-slots-error').textContent = describe(e);
      loadMoveSlots('That time was just taken.');
      return;
    }
    actionFailed(e, f);
  }
}

function startCancel() {
  clearNotice($('#bk-notice'));
  $('#mv-form').hidden = true;
  const f = $('#cx-form');
  clearFieldErrors(f);
  f.hidden = false;
  $('#cx-reason').focus();
}

async function confirmCancel() {
  const b = state.booking;
  const f = $('#cx-form');
  clearFieldErrors(f);
  const reason = $('#cx-reason').value.trim();
  try {
    const updated = await busy($('#cx-confirm'), 'Cancelling…', () => post(`/api/staff/bookings/${encodeURIComponent(b.reference)}/cancel`,
      reason ? { reason } : {}, { auth: true }));
    f.hidden = true;
    changed({ ...(updated || {}), status: 'CANCELLED' }, `Booking ${b.reference} cancelled. The customer is told by email.`);
    $('#bk-close').focus();
  } catch (e) {
    actionFailed(e, f);
  }
}

async function attendance(status, button) {
  const b = state.booking;
  clearNotice($('#bk-notice'));
  try {
    const updated = await busy(button, 'Saving…', () => post(`/api/staff/bookings/${encodeURIComponent(b.reference)}/attendance`, { status }, { auth: true }));
    changed({ ...(updated || {}), attendance: status }, `Booking ${b.reference} marked ${statusText(status).toLowerCase()}.`);
    $('#bk-close').focus();
  } catch (e) {
    actionFailed(e, null);
  }
}

// ------------------------------------------------------------------ customer look-up

function findCustomers() {
  clearTimeout(state.findTimer);
  state.findTimer = setTimeout(runFind, 300);
}

async function runFind() {
  const q = $('#c-query').value.trim();
  const status = $('#c-status');
  const results = $('#c-results');
  if (state.findAbort) state.findAbort.abort();
  const seq = ++state.findSeq;
  $('#c-query-error').textContent = '';
  $('#c-query').removeAttribute('aria-invalid');
  if (q.length < 3) {
    results.replaceChildren();
    status.textContent = q ? 'Type at least 3 characters.' : '';
    return;
  }
  const abort = new AbortController();
  state.findAbort = abort;
  status.textContent = 'Searching…';
  try {
    const found = await get(`/api/staff/customers${query({ query: q })}`, { auth: true, signal: abort.signal });
    if (seq !== state.findSeq) return;
    const list = Array.isArray(found) ? found : [];
    results.replaceChildren(...list.map(customerItem));
    status.textContent = list.length ? `${list.length} customer${list.length === 1 ? '' : 's'} found.` : `No customer matches “${q}”.`;
  } catch (e) {
    if (seq !== state.findSeq || (e && e.name === 'AbortError')) return;
    if (e.sessionExpired) { sessionEnded(); return; }
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const v = e.violations[0];
      $('#c-query-error').textContent = v ? v.message : describe(e);
      $('#c-query').setAttribute('aria-invalid', 'true');
      status.textContent = '';
      return;
    }
    status.textContent = `We couldn’t search. ${describe(e)}`;
  }
}

function customerItem(c) {
  const bookings = (c.bookings || []).slice().sort((a, b) => String(b.startsAt).localeCompare(String(a.startsAt)));
  return el('li', { className: 'customer' },
    el('p', { className: 'customer-name', text: c.name }),
    el('p', { className: 'task-meta' },
      c.email ? el('span', {}, el('a', { href: `mailto:${c.email}`, text: c.email })) : null,
      c.phone ? el('span', {}, el('a', { href: `tel:${String(c.phone).replace(/[^+\d]/g, '')}`, text: c.phone })) : null),
    bookings.length
      ? el('ul', { className: 'customer-bookings', 'aria-label': `Bookings of ${c.name}` }, ...bookings.map((b) => el('li', {},
        el('span', { className: 'reference-inline', text: b.reference }), ' ',
        el('span', { text: formatDateTime(b.startsAt) }), ' ',
        el('span', { className: `pill ${b.status === 'CANCELLED' ? 'cancelled' : 'live'}`, text: statusText(b.status) }), ' ',
        el('button', {
          type: 'button', className: 'small secondary', dataset: { role: 'show-booking', reference: b.reference },
          'aria-label': `Open booking ${b.reference} in the diary`, onclick: (ev) => showInDiary(b, ev.currentTarget),
        }, 'Open in diary'))))
      : el('p', { className: 'hint', text: 'No bookings.' }));
}

/**
 * Opens a booking found by the look-up: its week, at its clinic (the look-up may not say which,
 * so the clinics' diaries of that week are asked in turn, the chosen one first).
 */
async function showInDiary(b, button) {
  const date = londonDate(b.startsAt);
  const from = mondayOf(date);
  const to = addDays(from, 6);
  let loc = b.locationId;
  if (!loc) {
    const order = [locationSel.value, ...state.locations.map((l) => l.id).filter((id) => id !== locationSel.value)];
    await busy(button, 'Finding…', async () => {
      for (const id of order) {
        try {
          const d = await get(`/api/staff/diary${query({ locationId: id, from, to })}`, { auth: true });
          if ((d.therapists || []).some((t) => (t.days || []).some((day) => (day.bookings || []).some((x) => x.reference === b.reference)))) { loc = id; return; }
        } catch { /* try the next clinic */ }
      }
    });
  }
  if (!loc) { $('#c-status').textContent = `We couldn’t find booking ${b.reference} in any clinic’s diary.`; return; }
  if (locationSel.value !== loc) {
    locationSel.value = loc;
    rememberLocation();
  }
  dateInput.value = date;
  state.openRef = b.reference;
  await loadWeek();
}

// ------------------------------------------------------------------ live updates

function startStream() {
  if (state.stream) state.stream.close();
  const loc = locationSel.value;
  if (!loc) return;
  const conn = $('#conn');
  state.stream = openStream(`/api/staff/bookings/stream${query({ locationId: loc })}`, {
    onEvent: ({ data }) => {
      let ev = null;
      try { ev = JSON.parse(data); } catch { /* a change without details still means reload */ }
      if (ev && ev.locationId && ev.locationId !== locationSel.value) return;
      // Several changes at once (a closure, a burst of bookings) make one reload.
      clearTimeout(state.reloadTimer);
      state.reloadTimer = setTimeout(() => loadWeek({ quiet: true }), 250);
    },
    onState: (s) => {
      if (s === 'live') {
        conn.className = 'conn live';
        conn.textContent = 'Live — changes appear automatically';
        // Changes made between the week's first read and the stream going live are on neither:
        // read the week again now (and after a reconnect, for what the drop missed).
        loadWeek({ quiet: true });
      } else if (s === 'reconnecting') {
        conn.className = 'conn down';
        conn.textContent = 'Connection lost — reconnecting…';
      } else if (s === 'unauthorised') {
        sessionEnded();
      } else if (s === 'connecting') {
        conn.className = 'conn';
        conn.textContent = 'Connecting…';
      }
    },
  });
}

function sessionEnded() {
  // Signing in again happens on this page, so the week shown and anything open stay as they are.
  const again = el('button', { type: 'button', id: 'diary-signin', className: 'secondary small', text: 'Sign in again' });
  again.addEventListener('click', async () => {
    if (!await reauthenticate()) return;
    clearNotice($('#diary-notice'));
    startStream();
    loadWeek({ quiet: true });
  });
  notice($('#diary-notice'), 'warn', 'Your session has ended, so the diary has stopped updating. ', again);
  const c = $('#conn');
  c.className = 'conn down';
  c.textContent = 'Not connected';
}

function rememberLocation() {
  try { localStorage.setItem(LOCATION_KEY, locationSel.value); } catch { /* private mode: not remembered */ }
  startStream();
}

// ------------------------------------------------------------------ start

async function init() {
  const params = new URLSearchParams(location.search);
  const asked = params.get('date');
  dateInput.value = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : todayLondon();
  if (params.get('ref')) state.openRef = params.get('ref');
  try {
    const cat = await loadCatalogue();
    state.locations = cat.locations;
    state.treatments = new Map(cat.treatments.map((t) => [t.id, t]));
    let remembered = null;
    try { remembered = localStorage.getItem(LOCATION_KEY); } catch { /* none */ }
    const want = [params.get('locationId'), remembered].find((id) => id && cat.locations.some((l) => l.id === id))
      || (cat.locations[0] && cat.locations[0].id);
    locationSel.replaceChildren(...cat.locations.map((l) => option(l.id, l.name, l.id === want)));
    if (params.get('locationId') === want) rememberLocation();
    else startStream();
    await loadWeek();
  } catch (e) {
    notice($('#diary-notice'), 'error', `We couldn’t load the clinics. ${describe(e)}`);
  }
}

locationSel.addEventListener('change', () => { rememberLocation(); loadWeek(); });
dateInput.addEventListener('change', () => loadWeek());
$('#week-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadWeek(); });
$('#d-prev').addEventListener('click', () => { dateInput.value = addDays(mondayOf(dateInput.value || todayLondon()), -7); loadWeek(); });
$('#d-next').addEventListener('click', () => { dateInput.value = addDays(mondayOf(dateInput.value || todayLondon()), 7); loadWeek(); });
$('#d-today').addEventListener('click', () => { dateInput.value = todayLondon(); loadWeek(); });
$('#c-query').addEventListener('input', findCustomers);
$('#bk-close').addEventListener('click', () => dialog.close());
$('#bk-move').addEventListener('click', startMove);
$('#bk-cancel').addEventListener('click', startCancel);
$('#bk-attended').addEventListener('click', (ev) => attendance('ATTENDED', ev.currentTarget));
$('#bk-noshow').addEventListener('click', (ev) => attendance('NO_SHOW', ev.currentTarget));
$('#mv-date').addEventListener('change', () => loadMoveSlots());
$('#mv-form').addEventListener('submit', (ev) => { ev.preventDefault(); confirmMove(); });
$('#mv-back').addEventListener('click', () => { $('#mv-form').hidden = true; $('#bk-move').focus(); });
$('#cx-form').addEventListener('submit', (ev) => { ev.preventDefault(); confirmCancel(); });
$('#cx-back').addEventListener('click', () => { $('#cx-form').hidden = true; $('#bk-cancel').focus(); });
dialog.addEventListener('close', () => {
  if (state.moveAbort) state.moveAbort.abort();
  state.booking = null;
  // Back to the booking in the (possibly redrawn) diary, else to what opened the dialog.
  const ref = state.returnFocus && state.returnFocus.dataset && state.returnFocus.dataset.reference;
  const target = (ref && diaryBox.querySelector(`button[data-reference="${CSS.escape(ref)}"]`)) || state.returnFocus;
  if (target && target.isConnected) target.focus();
});

// Leaving the page ends the stream now rather than whenever the browser gets to it, so its
// connection is not held while the next page loads (browsers allow six per host).
window.addEventListener('pagehide', () => { if (state.stream) state.stream.close(); });

if (me) init();
