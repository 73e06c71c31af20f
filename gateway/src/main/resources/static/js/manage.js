import { ApiError, describe, get, post, query } from './api.js';
import { wireHeader } from './auth.js';
import { addDays, formatWhen, londonDate, londonTime, money, todayLondon, withDuration } from './format.js';
import { $, busy, clearNotice, el, notice, setFieldError } from './ui.js';
import { loadCatalogue, therapistNames } from './catalogue.js';
import { telHref } from './clinic-card.js';
import { promoMessage } from './promo.js';

wireHeader();

const params = new URLSearchParams(location.search);
const state = { ref: params.get('ref') || '', token: params.get('token') || '', booking: null, therapists: new Map(), slot: null, seq: 0 };
const statusBox = $('#status');
const noticeBox = $('#notice');

const headers = () => ({ 'X-Manage-Token': state.token });
// booking-service's cancellation cutoff (24 h unless configured otherwise).
const rules = get('/api/booking-rules').catch(() => null);
const path = (suffix = '') => `/api/bookings/${encodeURIComponent(state.ref)}${suffix}`;

async function load() {
  statusBox.textContent = 'Loading your booking…';
  try {
    const [b, cat] = await Promise.all([get(path(), { headers: headers() }), loadCatalogue().catch(() => ({ locations: [], treatments: [] }))]);
    try {
      state.therapists = therapistNames(await get(`/api/therapists${query({ locationId: b.locationId })}`));
    } catch { /* names are a nicety */ }
    show(b, cat, await rules);
    statusBox.textContent = '';
  } catch (e) {
    statusBox.textContent = '';
    if (e instanceof ApiError && e.status === 404) {
      notice(noticeBox, 'error', 'We couldn’t open that booking. Please use the whole “manage your booking” link from your confirmation email.');
      showFind();
    } else {
      notice(noticeBox, 'error', describe(e));
    }
  }
}

/**
 * Online cancellation ends `cutoffHours` before the start; after that a cancel button could only
 * fail, so it is not offered and the page says whom to phone instead.
 */
function offerCancel(b, l, r) {
  const cutoffHours = r && Number.isFinite(r.cancellationCutoffHours) ? r.cancellationCutoffHours : 24;
  const open = new Date(b.startsAt).getTime() - Date.now() > cutoffHours * 3600000;
  $('#show-cancel').hidden = !open;
  const why = $('#no-cancel');
  why.hidden = open;
  if (!open) {
    const hours = `${cutoffHours} hour${cutoffHours === 1 ? '' : 's'}`;
    why.replaceChildren(`Bookings can be cancelled online up to ${hours} before the start, so this one can no longer be cancelled here. `,
      ...(l && l.phone
        ? ['Please phone ', l.name, ' on ', el('a', { href: telHref(l.phone), text: l.phone }), ' and we’ll help.']
        : ['Please phone the clinic and we’ll help.']));
  }
}

function show(b, cat, r) {
  state.booking = b;
  const l = cat.locations.find((x) => x.id === b.locationId);
  const t = cat.treatments.find((x) => x.id === b.treatmentId);
  $('#b-ref').textContent = b.reference;
  const st = $('#b-status');
  st.textContent = b.status === 'CANCELLED' ? 'Cancelled' : 'Confirmed';
  st.className = `pill ${b.status === 'CANCELLED' ? 'cancelled' : 'live'}`;
  const who = state.therapists.get(b.therapistId);
  $('#b-when').textContent = `${formatWhen(b.startsAt)}${who ? ` with ${who}` : ''}`;
  $('#b-where').textContent = l ? `${l.name}${l.address ? `, ${l.address}` : ''}` : b.locationId;
  $('#b-treatment').textContent = t ? withDuration(t) : b.treatmentId;
  $('#b-name').textContent = (b.customer && b.customer.name) || '';
  $('#b-price').textContent = money(b.pricePence);
  $('#b-discount').textContent = b.discountPence ? `−${money(b.discountPence)}${b.promoCode ? ` with code ${b.promoCode}` : ''}` : 'None';
  $('#b-total').textContent = money(b.totalPence);
  const cancelled = b.status === 'CANCELLED';
  $('#b-actions').hidden = cancelled;
  if (cancelled) $('#no-cancel').hidden = true;
  else offerCancel(b, l, r);
  $('#cancel-confirm').hidden = true;
  $('#reschedule').hidden = true;
  $('#show-cancel').setAttribute('aria-expanded', 'false');
  $('#show-reschedule').setAttribute('aria-expanded', 'false');
  $('#booking').hidden = false;
  $('#find-form').hidden = true;
}

function toggle(button, panel) {
  const open = panel.hidden;
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  return open;
}

$('#show-cancel').addEventListener('click', () => {
  clearNotice(noticeBox);
  if (toggle($('#show-cancel'), $('#cancel-confirm'))) $('#keep').focus();
});
$('#keep').addEventListener('click', () => {
  $('#cancel-confirm').hidden = true;
  $('#show-cancel').setAttribute('aria-expanded', 'false');
  $('#show-cancel').focus();
});
$('#do-cancel').addEventListener('click', async () => {
  try {
    const b = await busy($('#do-cancel'), 'Cancelling…', () => post(path('/cancel'), {}, { headers: headers() }));
    show(b, await loadCatalogue().catch(() => ({ locations: [], treatments: [] })), await rules);
    // Booking again starts where this booking was: same clinic and treatment.
    notice(noticeBox, 'success', 'Your booking is cancelled. We’ve emailed you to confirm. ',
      el('a', { id: 'book-again', href: `book.html${query({ locationId: b.locationId, treatmentId: b.treatmentId })}`, text: 'Book another time' }));
  } catch (e) {
    $('#cancel-confirm').hidden = true;
    $('#show-cancel').setAttribute('aria-expanded', 'false');
    notice(noticeBox, 'error', describe(e));
  }
});

$('#show-reschedule').addEventListener('click', () => {
  clearNotice(noticeBox);
  if (toggle($('#show-reschedule'), $('#reschedule'))) {
    const d = $('#new-date');
    const today = todayLondon();
    d.min = today;
    d.max = addDays(today, 90);
    if (!d.value) d.value = londonDate(state.booking.startsAt) < today ? today : londonDate(state.booking.startsAt);
    d.focus();
    loadSlots();
  }
});

async function loadSlots(message) {
  const b = state.booking;
  const list = $('#slots');
  const st = $('#slots-status');
  state.slot = null;
  list.replaceChildren();
  const seq = ++state.seq;
  st.textContent = 'Looking for free times…';
  try {
    const a = await get(`/api/availability${query({ locationId: b.locationId, treatmentId: b.treatmentId, date: $('#new-date').value })}`);
    if (seq !== state.seq) return;
    const slots = (a && a.slots) || [];
    if (!slots.length) { st.textContent = `${message || ''} No free times that day — please try another day.`.trim(); return; }
    // One button per time, as on the booking page: the move keeps the current therapist when free
    // (the server prefers them when none is named), else any free one.
    const times = [...new Set(slots.map((s) => s.startsAt))].sort();
    list.setAttribute('role', 'radiogroup');
    list.replaceChildren(...times.map((startsAt, i) => {
      const ids = slots.filter((s) => s.startsAt === startsAt).map((s) => s.therapistId);
      const only = ids.length === 1 ? state.therapists.get(ids[0]) : null;
      const btn = el('button', { type: 'button', className: 'slot', role: 'radio', 'aria-checked': 'false', tabindex: i === 0 ? '0' : '-1', dataset: { startsAt } },
        `${londonTime(startsAt)}${only ? ` with ${only.split(' ')[0]}` : ''}`);
      btn.addEventListener('click', () => {
        state.slot = { startsAt };
        for (const x of list.querySelectorAll('button')) {
          x.setAttribute('aria-checked', String(x === btn));
          x.tabIndex = x === btn ? 0 : -1;
        }
        $('#slots-error').textContent = '';
        st.textContent = `Chosen: ${formatWhen(startsAt)}.`;
      });
      return el('li', { role: 'none' }, btn);
    }));
    st.textContent = `${message || ''} ${times.length} free time${times.length === 1 ? '' : 's'}.`.trim();
  } catch (e) {
    if (seq === state.seq) st.textContent = `We couldn’t load free times. ${describe(e)}`;
  }
}

$('#new-date').addEventListener('change', () => loadSlots());
// Arrow keys, Home and End move within the times, as in any radio group.
$('#slots').addEventListener('keydown', (ev) => {
  const buttons = [...$('#slots').querySelectorAll('button.slot')];
  const at = buttons.indexOf(document.activeElement);
  const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[ev.key];
  if (at < 0 || to === undefined) return;
  ev.preventDefault();
  const next = buttons[(to + buttons.length) % buttons.length];
  next.focus();
  next.click();
});
$('#reschedule').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!state.slot) { $('#slots-error').textContent = 'Pick a new time.'; return; }
  try {
    const b = await busy($('#do-reschedule'), 'Moving…', () => post(path('/reschedule'),
      { startsAt: state.slot.startsAt }, { headers: headers() }));
    show(b, await loadCatalogue().catch(() => ({ locations: [], treatments: [] })), await rules);
    notice(noticeBox, 'success', `Done — your booking is now on ${formatWhen(b.startsAt)}. We’ve emailed you the new details.`);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'slot_unavailable') {
      $('#slots-error').textContent = describe(e);
      loadSlots('That time was just taken.');
    } else if (e instanceof ApiError && /^promo_code_/.test(e.code)) {
      // Moving out of the offer's window: the booking stays as it is, and the page says why.
      const cat = await loadCatalogue().catch(() => ({ locations: [], treatments: [] }));
      $('#slots-error').textContent = `${promoMessage(state.booking.promoCode, e.problem, e, cat)
        .replace(/ — pick a day.*$/, '')} — your booking hasn’t changed. Pick a time in that range to keep the discount, or cancel and book the new time without the code.`;
    } else {
      notice(noticeBox, 'error', describe(e));
    }
  }
});

/** The reference and token from a pasted manage link (or null when it is not one). */
function fromLink(text) {
  try {
    const u = new URL(String(text).trim(), location.href);
    const ref = u.searchParams.get('ref');
    const token = u.searchParams.get('token');
    return ref && token && /manage\.html$/.test(u.pathname) ? { ref, token } : null;
  } catch {
    return null;
  }
}

$('#find-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('#link');
  const found = fromLink(input.value);
  setFieldError(input, found ? '' : 'That isn’t the manage link from the email — please copy the whole link, or phone your clinic.');
  if (!found) { input.focus(); return; }
  state.ref = found.ref;
  state.token = found.token;
  clearNotice(noticeBox);
  history.replaceState(null, '', `manage.html${query({ ref: state.ref, token: state.token })}`);
  load();
});
$('#link').addEventListener('input', () => { if (fromLink($('#link').value)) setFieldError($('#link'), ''); });

/** Without the email, the clinics' phone numbers are the way in: staff find a booking by its reference. */
async function showPhones() {
  const { locations } = await loadCatalogue().catch(() => ({ locations: [] }));
  const withPhone = locations.filter((l) => l.phone);
  if (!withPhone.length) return;
  $('#find-phones').replaceChildren(el('p', { text: 'Can’t find the email? Phone your clinic with your booking reference and we’ll help:' }),
    el('ul', {}, ...withPhone.map((l) => el('li', {}, `${l.name}: `, el('a', { href: telHref(l.phone), text: l.phone })))));
}

function showFind() {
  $('#find-form').hidden = false;
  showPhones();
}

if (state.ref && state.token) load();
else showFind();
