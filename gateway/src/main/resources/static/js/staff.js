import { ApiError, describe, get, post, query } from './api.js';
import { reauthenticate, requireRole, wireHeader } from './auth.js';
import { formatDateStr, formatDateTime, londonTime, money, todayLondon } from './format.js';
import { $, clearNotice, el, notice, option } from './ui.js';
import { loadCatalogue, therapistNames } from './catalogue.js';
import { openStream } from './sse.js';
import { openStaffBooking } from './staff-book.js';

// The gateway is asked who is signed in before anything else (the cookie is not readable here).
const me = await requireRole('STAFF', 'ADMIN');
wireHeader();

const tasks = new Map();
const cards = new Map();
const lists = { OPEN: $('#open-list'), CLAIMED: $('#claimed-list'), COMPLETED: $('#completed-list') };
let locations = new Map();
let catalogue = null;

const ATTEMPTS = [['NO_ANSWER', 'No answer'], ['VOICEMAIL', 'Left voicemail'], ['WRONG_NUMBER', 'Wrong number'], ['REACHED', 'Spoke to them']];
const COMPLETIONS = [['BOOKED', 'Booked in'], ['INFO_GIVEN', 'Information given'], ['NOT_INTERESTED', 'Not interested'], ['UNREACHABLE', 'Could not reach']];
const PREFERRED = { morning: 'Mornings', afternoon: 'Afternoons', evening: 'Evenings', anytime: 'Any time' };
const label = (pairs, v) => (pairs.find(([k]) => k === v) || [v, v])[1];

const isOverdue = (t) => t.status !== 'COMPLETED' && (t.overdue || (t.dueAt && Date.parse(t.dueAt) < Date.now()));
const isAdmin = !!me && Array.isArray(me.roles) && me.roles.includes('ADMIN');
const mine = (t) => !!me && t.claimedBy && me.username && t.claimedBy.toLowerCase() === me.username.toLowerCase();

function announce(text) {
  const a = $('#announce');
  a.textContent = '';
  setTimeout(() => { a.textContent = text; }, 50);
}

function outcomeSelect(id, pairs, text) {
  return el('span', { className: 'inline' },
    el('span', {}, el('label', { for: id, text }),
      el('select', { id, dataset: { role: id.split('-')[0] } }, ...pairs.map(([v, l]) => option(v, l)))));
}

function card(t) {
  const overdue = isOverdue(t);
  const claimedByOther = t.status === 'CLAIMED' && !mine(t);
  const id = t.id;
  if (t.status === 'COMPLETED') return completedCard(t);
  const attempts = Array.isArray(t.attempts) ? t.attempts : [];
  const last = attempts[attempts.length - 1];
  const errorLine = el('p', { className: 'task-error', 'aria-live': 'assertive' });

  const claimBtn = t.status === 'OPEN'
    ? el('button', { type: 'button', className: 'small', dataset: { role: 'claim' }, 'aria-label': `Claim callback for ${t.name}` }, 'Claim')
    : null;
  // An unclaimed card asks for the claim first: the outcome forms appear once it is yours.
  const working = t.status === 'CLAIMED' && !claimedByOther;
  const attemptBtn = el('button', { type: 'button', className: 'small secondary', dataset: { role: 'attempt-btn' } }, 'Log attempt');
  const noteInput = el('input', { type: 'text', id: `note-${id}`, maxLength: 1000, className: 'short', dataset: { role: 'note' }, placeholder: 'optional' });
  const completeBtn = el('button', { type: 'button', className: 'small secondary', dataset: { role: 'complete-btn' } }, 'Complete');
  const bookBtn = claimedByOther ? null
    : el('button', { type: 'button', className: 'small', dataset: { role: 'book-for-caller' }, 'aria-label': `Book for this caller: ${t.name}` }, 'Book for this caller');

  const node = el('li', {
    className: `task${overdue ? ' overdue' : ''}${t.status === 'CLAIMED' ? ' claimed' : ''}`,
    dataset: { id, status: t.status }, 'aria-labelledby': `task-${id}-name`,
  },
  el('div', { className: 'task-head' },
    el('span', { className: 'task-name', id: `task-${id}-name`, text: t.name }),
    el('span', {},
      overdue ? el('span', { className: 'pill overdue', text: 'Overdue' }) : null, ' ',
      t.status === 'CLAIMED' ? el('span', { className: 'pill claimed', text: mine(t) ? 'Claimed by you' : `Claimed by ${t.claimedBy}` }) : null)),
  el('p', { className: 'task-meta' },
    el('span', {}, el('a', { href: `tel:${String(t.phone || '').replace(/[^+\d]/g, '')}`, text: t.phone })),
    t.email ? el('span', {}, el('a', { href: `mailto:${t.email}`, text: t.email })) : null,
    t.locationId ? el('span', { text: locations.get(t.locationId) || t.locationId }) : null,
    t.preferredTime ? el('span', { text: PREFERRED[t.preferredTime] || t.preferredTime }) : null),
  el('p', { className: 'task-meta' },
    t.requestedAt ? el('span', { text: `Asked ${formatDateTime(t.requestedAt)}` }) : null,
    t.dueAt ? el('span', { text: `${overdue ? 'Was due' : 'Due'} by ${formatDateTime(t.dueAt)}` }) : null,
    attempts.length ? el('span', { text: `${attempts.length} attempt${attempts.length === 1 ? '' : 's'}, last: ${label(ATTEMPTS, last.outcome)}${last.by ? ` (${last.by})` : ''}` }) : null),
  last && last.note ? el('p', { className: 'task-meta', dataset: { role: 'last-note' }, text: `Note: ${last.note}` }) : null,
  t.message ? el('p', { className: 'task-message', text: t.message }) : null,
  el('div', { className: 'task-actions' },
    claimBtn,
    bookBtn,
    working ? el('span', { className: 'inline' }, outcomeSelect(`attempt-${id}`, ATTEMPTS, 'Attempt outcome'),
      el('span', {}, el('label', { for: `note-${id}`, text: 'Note' }), noteInput), attemptBtn) : null,
    working ? el('span', { className: 'inline' }, outcomeSelect(`complete-${id}`, COMPLETIONS, 'Completion outcome'), completeBtn) : null,
    working ? el('button', { type: 'button', className: 'small secondary', dataset: { role: 'release' }, 'aria-label': `Hand back the callback for ${t.name}` }, 'Hand back') : null,
    claimedByOther ? el('p', { className: 'hint', text: `${t.claimedBy} is handling this callback.` }) : null,
    // An admin can free a colleague's claim (gone home, off sick) or give the task to someone.
    isAdmin && claimedByOther ? el('button', { type: 'button', className: 'small secondary', dataset: { role: 'release' }, 'aria-label': `Release ${t.claimedBy}’s claim on the callback for ${t.name}` }, 'Release claim') : null,
    isAdmin ? reassignForm(t, errorLine) : null),
  errorLine);

  if (claimBtn) claimBtn.addEventListener('click', () => act(id, 'claim', null, claimBtn, errorLine));
  if (bookBtn) bookBtn.addEventListener('click', () => bookForCaller(id, errorLine));
  const releaseBtn = node.querySelector('[data-role="release"]');
  if (releaseBtn) releaseBtn.addEventListener('click', () => act(id, 'release', null, releaseBtn, errorLine));
  attemptBtn.addEventListener('click', () => act(id, 'attempts', { outcome: $(`#attempt-${CSS.escape(id)}`, node).value, note: noteInput.value.trim() || undefined }, attemptBtn, errorLine));
  completeBtn.addEventListener('click', () => completeWithUndo(id, $(`#complete-${CSS.escape(id)}`, node).value));
  if (pendingCompletions.has(id)) showUndo(node, id);
  return node;
}

/** ADMIN: give the task to a colleague by sign-in name (suggested from the names seen on the board). */
function reassignForm(t, errorLine) {
  const id = t.id;
  const input = el('input', { type: 'email', id: `to-${id}`, className: 'short', autocomplete: 'off', dataset: { role: 'reassign-to' }, placeholder: 'colleague@…' });
  input.setAttribute('list', 'staff-names');
  const btn = el('button', { type: 'button', className: 'small secondary', dataset: { role: 'reassign' } }, 'Give to');
  btn.addEventListener('click', () => {
    const to = input.value.trim();
    if (!to) { errorLine.textContent = 'Type the colleague’s sign-in name first.'; input.focus(); return; }
    act(id, 'reassign', { to }, btn, errorLine);
  });
  return el('span', { className: 'inline' }, el('span', {}, el('label', { for: `to-${id}`, text: 'Give to colleague' }), input), btn);
}

/** Names for the "Give to" suggestions: everyone seen holding or finishing a task, and me. */
function refreshStaffNames() {
  const names = new Set(me && me.username ? [me.username] : []);
  for (const t of tasks.values()) { if (t.claimedBy) names.add(t.claimedBy); if (t.completedBy) names.add(t.completedBy); }
  let list = document.getElementById('staff-names');
  if (!list) { list = el('datalist', { id: 'staff-names' }); document.body.append(list); }
  list.replaceChildren(...[...names].sort().map((n) => el('option', { value: n })));
}

/** A completed callback: its outcome and, when booked, the booking's reference. No actions left. */
function completedCard(t) {
  const booked = t.outcome === 'BOOKED';
  return el('li', { className: 'task completed', dataset: { id: t.id, status: t.status }, 'aria-labelledby': `task-${t.id}-name` },
    el('div', { className: 'task-head' },
      el('span', { className: 'task-name', id: `task-${t.id}-name`, text: t.name }),
      el('span', { className: `pill ${booked ? 'live' : 'ended'}`, dataset: { role: 'outcome' }, text: t.outcome ? label(COMPLETIONS, t.outcome) : 'Completed' })),
    el('p', { className: 'task-meta' },
      el('span', { text: t.phone }),
      t.completedBy ? el('span', { text: `by ${t.completedBy}` }) : null,
      t.completedAt ? el('span', { text: formatDateTime(t.completedAt) }) : null),
    t.bookingReference
      ? el('p', { className: 'task-meta' }, 'Booking ', el('span', { className: 'reference-inline', dataset: { role: 'booking-reference' }, text: t.bookingReference }))
      : null);
}

// ------------------------------------------------------------------ completion with undo
// A completion waits a few seconds, with Undo, before it is sent: a mis-click costs nothing. If the
// page is left meanwhile, what is waiting is sent at once (keepalive), so a completion is never lost.
const UNDO_SECONDS = 5;
const pendingCompletions = new Map(); // id → { outcome, timer, left, tick }

function completeWithUndo(id, outcome) {
  if (pendingCompletions.has(id)) return;
  const p = { outcome, left: UNDO_SECONDS };
  p.timer = setTimeout(() => sendCompletion(id), UNDO_SECONDS * 1000);
  p.tick = setInterval(() => {
    p.left = Math.max(0, p.left - 1);
    const c = cards.get(id);
    const n = c && c.querySelector('[data-role="undo-left"]');
    if (n) n.textContent = String(p.left);
  }, 1000);
  pendingCompletions.set(id, p);
  const t = tasks.get(id);
  if (t) upsert(t, false);
  const undo = cards.get(id) && cards.get(id).querySelector('[data-role="undo"]');
  if (undo) undo.focus();
  announce(`Completing the callback for ${t ? t.name : 'this caller'} as “${label(COMPLETIONS, outcome)}” in ${UNDO_SECONDS} seconds. Undo is available.`);
}

function showUndo(node, id) {
  const p = pendingCompletions.get(id);
  for (const b of node.querySelectorAll('.task-actions button, .task-actions select, .task-actions input')) b.disabled = true;
  const undo = el('button', { type: 'button', className: 'small', dataset: { role: 'undo' } }, 'Undo');
  undo.addEventListener('click', () => cancelCompletion(id));
  node.querySelector('.task-actions').append(el('p', { className: 'undo-bar', dataset: { role: 'completing' } },
    `Completing as “${label(COMPLETIONS, p.outcome)}” in `, el('span', { dataset: { role: 'undo-left' }, text: String(p.left) }), ' s. ', undo));
}

/** Stops a waiting completion's timers and forgets it; returns it (or undefined). */
function dropPending(id) {
  const p = pendingCompletions.get(id);
  if (!p) return undefined;
  clearTimeout(p.timer);
  clearInterval(p.tick);
  pendingCompletions.delete(id);
  return p;
}

function cancelCompletion(id) {
  if (!dropPending(id)) return;
  const t = tasks.get(id);
  if (t) upsert(t, false);
  const btn = cards.get(id) && cards.get(id).querySelector('[data-role="complete-btn"]');
  if (btn) btn.focus();
  announce('Undone: the callback stays with you.');
}

function sendCompletion(id, keepalive = false) {
  const p = dropPending(id);
  if (!p) return;
  const node = cards.get(id);
  const errorLine = node ? node.querySelector('.task-error') : el('p');
  const t = tasks.get(id);
  if (t) upsert(t, false);
  const btn = cards.get(id) && cards.get(id).querySelector('[data-role="complete-btn"]');
  act(id, 'complete', { outcome: p.outcome }, btn || el('button'), errorLine, keepalive);
}

window.addEventListener('pagehide', () => {
  for (const id of [...pendingCompletions.keys()]) sendCompletion(id, true);
});

async function bookForCaller(id, errorLine) {
  errorLine.textContent = '';
  const t = tasks.get(id);
  if (!t) return;
  try {
    if (!catalogue) catalogue = await loadCatalogue();
  } catch (e) {
    errorLine.textContent = `We couldn’t load the clinics and treatments. ${describe(e)}`;
    return;
  }
  openStaffBooking(t, catalogue, (task, made) => {
    // The server completed the callback as BOOKED; show it now, the stream's event confirms it.
    upsert({ ...tasks.get(task.id) || task, status: 'COMPLETED', outcome: 'BOOKED', bookingReference: made.reference, completedBy: me && me.username }, false);
    announce(`Booked ${task.name} in, reference ${made.reference}. The callback is completed.`);
  });
}

async function act(id, action, body, button, errorLine, keepalive = false) {
  button.disabled = true;
  errorLine.textContent = '';
  try {
    const t = await post(`/api/staff/callbacks/${encodeURIComponent(id)}/${action}`, body || {}, { auth: true, keepalive });
    if (t && t.id) upsert(t, false);
    announce(action === 'claim' ? `You claimed the callback for ${t.name}.`
      : action === 'complete' ? `Callback for ${t.name} completed.`
        : action === 'release' ? `The callback for ${t.name} is open again for anyone to claim.`
          : action === 'reassign' ? `The callback for ${t.name} is now ${t.claimedBy}’s.`
            : `Attempt logged for ${t.name}.`);
  } catch (e) {
    button.disabled = false;
    if (e.sessionExpired) { sessionEnded(); return; }
    let msg = describe(e);
    if (e instanceof ApiError && (e.code === 'already_claimed' || e.code === 'claimed_by_other')) {
      try {
        const fresh = await get(`/api/staff/callbacks/${encodeURIComponent(id)}`, { auth: true });
        if (fresh && fresh.claimedBy) msg = `${fresh.claimedBy} has already claimed this callback, so they’ll make the call. Pick another one.`;
        upsert(fresh, false);
      } catch { /* keep the general message */ }
      const c = cards.get(id);
      const line = c && c.querySelector('.task-error');
      (line || errorLine).textContent = msg;
      return;
    }
    errorLine.textContent = msg;
  }
}

// Lists are snapshots read while the stream and staff's own actions keep changing tasks: a list
// answer can arrive after the stream has already told of a newer state (a request made while the
// list was being read). Every state learned from the stream or an action's answer gets a number;
// a list read that started before it does not overrule it, nor take a new card away.
let learnedNo = 0;
const learnedAt = new Map();

/**
 * Puts a task on the board, replacing its card in place. A completed one moves to "Completed"
 * when it was on the board (completions of tasks never shown here are not listed). `newer` is
 * false for list snapshots and re-renders of what the board already holds.
 */
function upsert(t, fresh, newer = true) {
  if (!t || !t.id) return;
  if (newer) learnedAt.set(t.id, ++learnedNo);
  // Completed elsewhere (a colleague, or the booking made for the caller) while our Undo was showing.
  if (t.status === 'COMPLETED') dropPending(t.id);
  const old = cards.get(t.id);
  const prev = tasks.get(t.id);
  if (!lists[t.status] || (t.status === 'COMPLETED' && !prev)) {
    tasks.delete(t.id);
    if (old) { old.remove(); cards.delete(t.id); }
    updateCounts();
    return;
  }
  // A completion event may not repeat the reference the booking answer already gave us.
  if (t.status === 'COMPLETED' && prev && !t.bookingReference && prev.bookingReference) t = { ...t, bookingReference: prev.bookingReference };
  tasks.set(t.id, t);
  // Keep the chosen outcomes and the focus across the redraw.
  const keep = {};
  let focusRole = null;
  if (old) {
    for (const s of old.querySelectorAll('select')) keep[s.id] = s.value;
    if (old.contains(document.activeElement)) focusRole = document.activeElement.dataset.role || null;
  }
  const node = card(t);
  for (const [sid, v] of Object.entries(keep)) { const s = node.querySelector(`#${CSS.escape(sid)}`); if (s) s.value = v; }
  if (fresh && !prev) node.classList.add('fresh');
  const list = lists[t.status];
  if (old && old.parentNode === list) {
    old.replaceWith(node);
  } else {
    if (old) old.remove();
    const before = [...list.children].find((c) => sortKey(tasks.get(c.dataset.id)) > sortKey(t));
    list.insertBefore(node, before || null);
  }
  cards.set(t.id, node);
  if (focusRole) {
    const f = node.querySelector(`[data-role="${focusRole}"]`) || node.querySelector('button, select');
    if (f) f.focus();
  }
  updateCounts();
}

// Completed: newest first (the key counts down); otherwise overdue first, then by due time.
const sortKey = (t) => {
  if (!t) return '9';
  if (t.status === 'COMPLETED') return String(9e15 - Date.parse(t.completedAt || new Date().toISOString())).padStart(20, '0');
  return `${isOverdue(t) ? 0 : 1}${t.dueAt || t.requestedAt || ''}`;
};

function updateCounts() {
  if (isAdmin) refreshStaffNames();
  for (const [status, list] of Object.entries(lists)) {
    const n = list.children.length;
    $(`#${status.toLowerCase()}-count`).textContent = String(n);
    $(`#${status.toLowerCase()}-empty`).hidden = n > 0;
  }
}

function sessionEnded() {
  // Signing in again happens here, on the board: the cards, the notes being typed and the place in
  // the list stay as they are, and the stream and lists pick up where they left off.
  const again = el('button', { type: 'button', id: 'board-signin', className: 'secondary small', text: 'Sign in again' });
  again.addEventListener('click', async () => {
    if (!await reauthenticate()) return;
    clearNotice($('#board-notice'));
    startStream();
    loadLists();
  });
  notice($('#board-notice'), 'warn', 'Your session has ended, so the board has stopped updating. ', again);
  const c = $('#conn');
  c.className = 'conn down';
  c.textContent = 'Not connected';
}

async function loadLists() {
  try {
    const readFrom = learnedNo;
    const [open, claimed] = await Promise.all(['OPEN', 'CLAIMED'].map((status) => get(`/api/staff/callbacks${query({ status })}`, { auth: true })));
    const seen = new Set();
    const knownNewer = (id) => (learnedAt.get(id) || 0) > readFrom;
    for (const t of [...(open || []), ...(claimed || [])]) { seen.add(t.id); if (!knownNewer(t.id)) upsert(t, false, false); }
    for (const [id, t] of [...tasks]) if (!seen.has(id) && t.status !== 'COMPLETED' && !knownNewer(id)) upsert({ ...t, status: 'COMPLETED' }, false, false);
    clearNotice($('#board-notice'));
  } catch (e) {
    if (e.sessionExpired) { sessionEnded(); return; }
    notice($('#board-notice'), 'error', `We couldn’t load the callback list. ${describe(e)}`);
  }
}

function startStream() {
  const conn = $('#conn');
  openStream('/api/staff/callbacks/stream', {
    onEvent: ({ type, data }) => {
      if (!/^callback\./.test(type)) return;
      let t;
      try { t = JSON.parse(data); } catch { return; }
      const isNew = type === 'callback.requested' && !tasks.has(t.id);
      upsert(t, true);
      if (isNew) announce(`New callback request from ${t.name}.`);
    },
    onState: (state) => {
      if (state === 'live') {
        conn.className = 'conn live';
        conn.textContent = 'Live — new requests appear automatically';
        // The stream only carries changes from the moment it is live, and the first list may have
        // been read before that: a request made in between would be on neither. Reading the lists
        // again now closes the gap (and, after a reconnect, picks up what the drop missed).
        loadLists();
      } else if (state === 'reconnecting') {
        conn.className = 'conn down';
        conn.textContent = 'Connection lost — reconnecting…';
      } else if (state === 'unauthorised') {
        sessionEnded();
      } else if (state === 'connecting') {
        conn.className = 'conn';
        conn.textContent = 'Connecting…';
      }
    },
  });
}

// Overdue is a matter of time: re-check every half minute.
setInterval(() => {
  for (const t of tasks.values()) {
    const c = cards.get(t.id);
    if (c && isOverdue(t) !== c.classList.contains('overdue')) upsert(t, false, false);
  }
}, 30000);

// ------------------------------------------------------------------ today's bookings
let treatments = new Map();
const therapistsByLocation = new Map();
let bookingsSeq = 0;

async function loadBookings() {
  const loc = $('#b-location').value;
  const date = $('#b-date').value;
  const st = $('#bookings-status');
  const wrap = $('#bookings-wrap');
  if (!loc || !date) return;
  // Only the answer to the latest choice of clinic and day is shown, whichever arrives last.
  const seq = ++bookingsSeq;
  st.textContent = 'Loading bookings…';
  try {
    if (!therapistsByLocation.has(loc)) {
      try { therapistsByLocation.set(loc, therapistNames(await get(`/api/therapists${query({ locationId: loc })}`))); } catch { /* ids will do */ }
    }
    const names = therapistsByLocation.get(loc) || new Map();
    const res = await get(`/api/staff/bookings${query({ locationId: loc, date })}`, { auth: true });
    if (seq !== bookingsSeq) return;
    const rows = (Array.isArray(res) ? res : (res && (res.bookings || res.items)) || [])
      .slice().sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    $('#bookings-body').replaceChildren(...rows.map((b) => el('tr', { dataset: { reference: b.reference }, className: b.needsAttention ? 'needs-attention' : null },
      el('td', { text: `${londonTime(b.startsAt)}–${londonTime(b.endsAt)}` }),
      el('td', { text: (b.customer && b.customer.name) || b.customerName || '' }),
      el('td', { text: (b.customer && b.customer.phone) || '' }),
      el('td', { text: treatments.get(b.treatmentId) || b.treatmentId }),
      el('td', { className: 'notes-cell', text: b.notes || '' }),
      // What the customer pays at the clinic: the price after any promo discount.
      el('td', { className: 'num', text: b.status === 'CANCELLED' ? '–' : money(b.totalPence ?? b.pricePence ?? 0) }),
      el('td', { text: names.get(b.therapistId) || b.therapistId || '' }),
      el('td', {}, el('span', { className: `pill ${b.status === 'CANCELLED' ? 'cancelled' : 'live'}`, text: b.status === 'CANCELLED' ? 'Cancelled' : 'Confirmed' }),
        // Set when an admin change (time off, closure, new hours) left it outside availability.
        b.needsAttention ? [' ', el('span', { className: 'pill attention', title: 'Outside the therapist’s hours now: move or cancel it', text: 'Needs attention' })] : null),
      // The reference opens the booking in the diary, where it can be moved, cancelled or marked.
      el('td', {}, el('a', { href: `diary.html${query({ locationId: loc, date, ref: b.reference })}`, text: b.reference, 'aria-label': `Open booking ${b.reference} in the diary` })))));
    const place = locations.get(loc) || loc;
    const day = formatDateStr(date);
    $('#bookings-heading').textContent = date === todayLondon() ? 'Today’s bookings' : `Bookings on ${day}`;
    $('#bookings-caption').textContent = `Bookings at ${place} on ${day}`;
    wrap.hidden = rows.length === 0;
    // Cancelled bookings stay listed (a caller may ask about one) but are not counted.
    const live = rows.filter((b) => b.status !== 'CANCELLED');
    const cancelled = rows.length - live.length;
    const attention = live.filter((b) => b.needsAttention).length;
    st.textContent = live.length
      ? `${live.length} booking${live.length === 1 ? '' : 's'} at ${place} on ${day}${attention ? `, ${attention} need${attention === 1 ? 's' : ''} attention` : ''}${cancelled ? ` (and ${cancelled} cancelled)` : ''}.`
      : `No bookings at ${place} on ${day}${cancelled ? ` (${cancelled} cancelled)` : ''}.`;
  } catch (e) {
    if (e.sessionExpired) { sessionEnded(); return; }
    if (seq !== bookingsSeq) return;
    wrap.hidden = true;
    st.textContent = `We couldn’t load the bookings. ${describe(e)}`;
  }
}

const CLINIC_KEY = 'clinic.staff.location';
function rememberedClinic() {
  try { return localStorage.getItem(CLINIC_KEY); } catch { return null; }
}
function rememberClinic(id) {
  try { localStorage.setItem(CLINIC_KEY, id); } catch { /* private mode: not remembered */ }
}

async function initBookings() {
  // Today unless a day was already chosen: the page is usable while it is still asking who is
  // signed in, and a date picked in that moment must not be reset (a CI run caught exactly that).
  if (!$('#b-date').value) $('#b-date').value = todayLondon();
  try {
    const cat = await loadCatalogue();
    catalogue = cat;
    locations = new Map(cat.locations.map((l) => [l.id, l.name]));
    treatments = new Map(cat.treatments.map((t) => [t.id, t.name]));
    $('#b-location').replaceChildren(...cat.locations.map((l) => option(l.id, l.name)));
    // The clinic chosen last on this computer (reception usually works at one clinic).
    const last = rememberedClinic();
    if (last && locations.has(last)) $('#b-location').value = last;
    for (const t of tasks.values()) upsert(t, false, false);
    loadBookings();
  } catch (e) {
    $('#bookings-status').textContent = `We couldn’t load the clinics. ${describe(e)}`;
  }
}

$('#bookings-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadBookings(); });
$('#b-location').addEventListener('change', () => { rememberClinic($('#b-location').value); loadBookings(); });
$('#b-date').addEventListener('change', loadBookings);

if (me) {
  startStream();
  loadLists();
  initBookings();
}
