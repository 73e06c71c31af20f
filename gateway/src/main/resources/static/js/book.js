import { ApiError, describe, get, post, query, uuid } from './api.js';
import { wireHeader } from './auth.js';
import { addDays, formatDateStr, formatWhen, londonTime, money, todayLondon, withDuration } from './format.js';
import { $, busy, clearErrorsOnFix, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';
import { phoneProblem } from './phone.js';
import { loadCatalogue, therapistNames } from './catalogue.js';
import { clinicCard } from './clinic-card.js';
import { promoMessage } from './promo.js';
import { treatmentOptions } from './slots.js';

wireHeader();

const form = $('#book-form');
const locationSel = $('#location');
const treatmentSel = $('#treatment');
const dateInput = $('#date');
const slotsList = $('#slots');
const slotsStatus = $('#slots-status');
const slotError = $('#slot-picker-error');
const therapistSel = $('#therapist');
const promo = $('#promo');
const quoteBox = $('#quote');
const formNotice = $('#form-notice');
const submit = $('#submit');

const nextFreeBox = $('#next-free-box');
const clinicDetails = $('#clinic-details');

// autoDate: the day shown was picked by the page, not the visitor, so an empty day moves on to
// the first day with free times by itself; once the visitor picks a day, it stays put.
const state = {
  locations: [], treatments: [], therapists: new Map(), slot: null,
  lastBody: null, lastKey: null, slotsSeq: 0, quoteSeq: 0, autoDate: true,
};
// How far ahead an empty day looks for the next free time, and how many days it asks at once.
const PROBE_DAYS = 30;
const PROBE_BATCH = 5;

const params = new URLSearchParams(location.search);
if (params.get('code')) promo.value = params.get('code').toUpperCase();

const today = todayLondon();
dateInput.min = today;
dateInput.max = addDays(today, 90);
const asked = params.get('date');
dateInput.value = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked >= today ? asked : today;

// The horizon booking-service enforces; 90 days above is only the default until it answers.
const rulesLoaded = get('/api/booking-rules').then((r) => {
  if (r && Number.isFinite(r.horizonDays)) {
    dateInput.max = addDays(today, r.horizonDays);
    $('#date-hint').textContent = `We take bookings up to ${r.horizonDays} days ahead.`;
  }
}).catch(() => { /* keep the default */ });

const selectedTreatment = () => state.treatments.find((t) => t.id === treatmentSel.value);

async function init() {
  try {
    const { locations, treatments } = await loadCatalogue();
    state.locations = locations;
    state.treatments = treatments;
    locationSel.replaceChildren(option('', 'Choose a clinic'),
      ...locations.map((l) => option(l.id, l.name, l.id === params.get('locationId'))));
    showClinic();
    await rulesLoaded;
    await fillTreatments();
  } catch (e) {
    notice(formNotice, 'error', `We couldn’t load our clinics and treatments. ${describe(e)}`);
  }
}

function showClinic() {
  const l = state.locations.find((x) => x.id === locationSel.value);
  clinicDetails.replaceChildren(...(l ? [clinicCard(l, 'h3')] : []));
}

async function fillTreatments() {
  let offered = state.treatments;
  state.therapists = new Map();
  if (locationSel.value) {
    try {
      const therapists = await get(`/api/therapists${query({ locationId: locationSel.value })}`);
      state.therapists = therapistNames(therapists);
      const ids = new Set(therapists.flatMap((t) => t.treatmentIds || []));
      if (ids.size) offered = state.treatments.filter((t) => ids.has(t.id));
    } catch { /* show every treatment; slots will tell */ }
  }
  // Read after the therapists arrive: a treatment chosen while they were loading is kept.
  const keep = treatmentSel.value || params.get('treatmentId') || '';
  treatmentSel.replaceChildren(option('', 'Choose a treatment'),
    ...treatmentOptions(offered, keep));
  await loadSlots();
}

/** Marks one time as chosen (radio semantics: one checked, and it is the one Tab reaches). */
function chooseSlot(slot, button) {
  state.slot = slot;
  for (const b of slotsList.querySelectorAll('button')) {
    const on = b === button;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  slotError.textContent = '';
  $('#slot-picker').removeAttribute('aria-invalid');
  slotsStatus.textContent = `Chosen: ${formatWhen(slot.startsAt)} with ${whoFor(slot)}.`;
  refreshQuote();
}

function whoFor(slot) {
  if (slot.therapistId) return therapistName(slot.therapistId);
  return slot.therapistIds.length === 1 ? therapistName(slot.therapistIds[0]) : 'any free therapist';
}

const therapistName = (id) => state.therapists.get(id) || 'one of our therapists';
const firstName = (id) => (state.therapists.has(id) ? state.therapists.get(id).split(' ')[0] : 'any therapist');

const availabilityOf = (date) => get(`/api/availability${query({ locationId: locationSel.value, treatmentId: treatmentSel.value, date })}`);

/**
 * The first day after `from` with free times, asking a few days at a time in parallel and at most
 * PROBE_DAYS days (never past the horizon). Null when there is none, or when the visitor moved on.
 */
async function nextFreeDay(from, seq) {
  const last = addDays(from, PROBE_DAYS) < dateInput.max ? addDays(from, PROBE_DAYS) : dateInput.max;
  for (let first = addDays(from, 1); first <= last; first = addDays(first, PROBE_BATCH)) {
    const days = [];
    for (let i = 0; i < PROBE_BATCH && addDays(first, i) <= last; i += 1) days.push(addDays(first, i));
    const found = await Promise.all(days.map((day) => availabilityOf(day)
      .then((a) => ({ day, slots: (a && a.slots) || [] }))
      .catch(() => ({ day, slots: [] }))));
    if (seq !== state.slotsSeq) return null;
    const hit = found.find((f) => f.slots.length);
    if (hit) return hit;
  }
  return null;
}

/**
 * One button per time, not one per therapist per time: availability answers a slot per free
 * therapist, and a busy day had 52 buttons. The time books "any therapist" (the server picks a
 * free one) unless the visitor chose a therapist above; a time only one therapist has free
 * says who. The group is one radiogroup: Tab enters it once, arrow keys move within it.
 */
function renderSlots(slots) {
  if (slots) state.daySlots = slots;
  const all = state.daySlots || [];
  fillTherapistChoice(all);
  const who = therapistSel.value;
  const times = new Map();
  for (const s of all) {
    if (who && s.therapistId !== who) continue;
    if (!times.has(s.startsAt)) times.set(s.startsAt, []);
    times.get(s.startsAt).push(s.therapistId);
  }
  const groups = [...times].sort(([a], [b]) => a.localeCompare(b))
    .map(([startsAt, ids]) => ({ startsAt, therapistIds: ids, therapistId: who || null }));
  slotsList.replaceChildren(...groups.map((g, i) => {
    const label = who || g.therapistIds.length === 1
      ? `${londonTime(g.startsAt)} with ${firstName(who || g.therapistIds[0])}` : londonTime(g.startsAt);
    const b = el('button', {
      type: 'button', className: 'slot', role: 'radio', 'aria-checked': 'false', tabindex: i === 0 ? '0' : '-1',
      dataset: who || g.therapistIds.length === 1 ? { startsAt: g.startsAt, therapistId: who || g.therapistIds[0] }
        : { startsAt: g.startsAt },
      title: who || g.therapistIds.length === 1 ? undefined : `${g.therapistIds.length} therapists free`,
    }, label);
    b.addEventListener('click', () => chooseSlot(g, b));
    return el('li', { role: 'none' }, b);
  }));
  return groups.length;
}

/** "Any therapist" plus each therapist with a free time that day; a choice still free is kept. */
function fillTherapistChoice(slots) {
  const keep = therapistSel.value;
  const ids = [...new Set(slots.map((s) => s.therapistId))];
  therapistSel.replaceChildren(option('', 'Any therapist'),
    ...ids.map((id) => option(id, therapistName(id), id === keep)));
  if (keep && !ids.includes(keep)) therapistSel.value = '';
  $('#therapist-field').hidden = ids.length < 2;
}

/** Arrow keys, Home and End move within the times and choose, as in any radio group. */
slotsList.addEventListener('keydown', (ev) => {
  const buttons = [...slotsList.querySelectorAll('button.slot')];
  const at = buttons.indexOf(document.activeElement);
  if (at < 0) return;
  const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[ev.key];
  if (to === undefined) return;
  ev.preventDefault();
  const next = buttons[(to + buttons.length) % buttons.length];
  next.focus();
  next.click();
});

const dayOf = (instant) => formatWhen(instant).replace(/ at .*/, '');

async function loadSlots(message) {
  state.slot = null;
  state.daySlots = [];
  slotsList.replaceChildren();
  nextFreeBox.replaceChildren();
  refreshQuote();
  if (!locationSel.value || !treatmentSel.value || !dateInput.value) {
    slotsStatus.textContent = 'Choose a clinic, treatment and day to see free times.';
    return;
  }
  const seq = ++state.slotsSeq;
  const day = dateInput.value;
  const lead = message ? `${message} ` : '';
  slotsStatus.textContent = 'Looking for free times…';
  try {
    const a = await availabilityOf(day);
    if (seq !== state.slotsSeq) return;
    let slots = (a && a.slots) || [];
    if (!slots.length) {
      slotsStatus.textContent = `${lead}Looking for the next free time…`;
      const next = await nextFreeDay(day, seq);
      if (seq !== state.slotsSeq) return;
      if (!next) {
        slotsStatus.textContent = `${lead}There are no free times on that day or in the ${PROBE_DAYS} days after it — please try a later day or another clinic.`;
        return;
      }
      if (state.autoDate) {
        // The page chose the day: go straight to the first one with free times.
        dateInput.value = next.day;
        slots = next.slots;
        const n = renderSlots(slots);
        slotsStatus.textContent = `${lead}The first day with free times is ${dayOf(slots[0].startsAt)}: ${n} free time${n === 1 ? '' : 's'}.`;
        return;
      }
      slotsStatus.textContent = `${lead}There are no free times on ${formatDateStr(day)}.`;
      const first = next.slots[0];
      nextFreeBox.replaceChildren(el('button', {
        type: 'button', className: 'secondary', id: 'next-free', dataset: { date: next.day, startsAt: first.startsAt },
        onclick: () => jumpTo(next.day, first.startsAt),
      }, `Next free time: ${formatWhen(first.startsAt)}`));
      return;
    }
    const n = renderSlots(slots);
    slotsStatus.textContent = `${lead}${n} free time${n === 1 ? '' : 's'} on ${dayOf(slots[0].startsAt)}.`;
  } catch (e) {
    if (seq !== state.slotsSeq) return;
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const v = e.violations.find((x) => /date/i.test(x.field));
      slotsStatus.textContent = v ? `That day can’t be booked: ${v.message}. Please choose another day.` : describe(e);
    } else {
      slotsStatus.textContent = `We couldn’t load free times. ${describe(e)}`;
    }
  }
}

/** The "Next free time" button: show that day and choose that time (the visitor asked for it). */
async function jumpTo(day, startsAt) {
  dateInput.value = day;
  await loadSlots();
  const b = [...slotsList.querySelectorAll('button')].find((x) => x.dataset.startsAt === startsAt)
    || slotsList.querySelector('button');
  if (b) { b.click(); b.focus(); }
}

let quoteTimer = null;
function refreshQuote() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(showQuote, 350);
}

function quoteList(price, discount, total, code) {
  return el('dl', {},
    el('dt', { text: 'Price' }), el('dd', { id: 'quote-price', text: money(price) }),
    discount ? el('dt', { text: 'Discount' }) : null,
    discount ? el('dd', { id: 'quote-discount', className: 'discount', text: `−${money(discount)} (${code})` }) : null,
    el('dt', { text: 'Total' }), el('dd', { id: 'quote-total', className: 'total', text: money(total) }));
}

async function showQuote() {
  const seq = ++state.quoteSeq;
  const t = selectedTreatment();
  const code = promo.value.trim();
  $('#promo-way').hidden = true;
  setFieldError(promo, '');
  if (!t) { quoteBox.replaceChildren(); return; }
  if (!code) { quoteBox.replaceChildren(quoteList(t.pricePence, 0, t.pricePence)); return; }
  if (!state.slot) {
    quoteBox.replaceChildren(quoteList(t.pricePence, 0, t.pricePence),
      el('p', { className: 'hint', text: `Pick a time to see your price with ${code.toUpperCase()}.` }));
    return;
  }
  const email = $('#email').value.trim();
  try {
    const q = await get(`/api/offers/quote${query({
      code, treatmentId: t.id, locationId: locationSel.value, startsAt: state.slot.startsAt,
      email: /.+@.+\..+/.test(email) ? email : '',
    })}`);
    if (seq !== state.quoteSeq) return;
    if (q && q.valid) {
      quoteBox.replaceChildren(quoteList(t.pricePence, q.discountPence, q.totalPence, code.toUpperCase()));
    } else {
      quoteBox.replaceChildren(quoteList(t.pricePence, 0, t.pricePence));
      promoProblem(new ApiError(422, q || {}));
    }
  } catch (e) {
    if (seq !== state.quoteSeq) return;
    quoteBox.replaceChildren(quoteList(t.pricePence, 0, t.pricePence),
      el('p', { className: 'hint', text: `We couldn’t check the code just now. ${describe(e)}` }));
  }
}

/** The code's problem next to the field, saying when and for what it applies when the answer says. */
function promoProblem(e) {
  setFieldError(promo, promoMessage(promo.value, e.problem, e, state));
  $('#promo-way').hidden = false;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NEED = { location: 'Choose a clinic.', treatment: 'Choose a treatment.', name: 'Enter your name.', email: 'Enter your email address.' };

/** The page's rule for one field: '' when it is fine, else what to say next to it. */
function fieldProblem(input) {
  const v = input.value.trim();
  if (input.id === 'phone') return phoneProblem(v);
  if (NEED[input.id] && !v) return NEED[input.id];
  if (input.id === 'email' && !EMAIL.test(v)) return 'Enter an email address like name@example.com.';
  return '';
}

function validate() {
  let ok = true;
  let first = null;
  for (const input of [locationSel, treatmentSel, $('#name'), $('#email'), $('#phone')]) {
    const msg = fieldProblem(input);
    if (msg) { setFieldError(input, msg); ok = false; first = first || input; }
  }
  if (!state.slot) {
    slotError.textContent = 'Pick a time.';
    $('#slot-picker').setAttribute('aria-invalid', 'true');
    ok = false;
    first = first || slotsList.querySelector('button') || dateInput;
  }
  if (first) first.focus();
  return ok;
}

function body() {
  const b = {
    locationId: locationSel.value,
    treatmentId: treatmentSel.value,
    therapistId: state.slot.therapistId || undefined,
    startsAt: state.slot.startsAt,
    customer: { name: $('#name').value.trim(), email: $('#email').value.trim(), phone: $('#phone').value.trim() },
  };
  const code = promo.value.trim();
  if (code) b.promoCode = code;
  const notes = $('#notes').value.trim();
  if (notes) b.notes = notes;
  return b;
}

async function book() {
  clearFieldErrors(form);
  slotError.textContent = '';
  clearNotice(formNotice);
  if (!validate()) return;
  const b = body();
  // One key per attempt of the form: the same body (a double-click, a retry after a lost
  // answer) reuses it so the clinic books once; any change makes a new attempt.
  const json = JSON.stringify(b);
  if (json !== state.lastBody) { state.lastBody = json; state.lastKey = uuid(); }
  try {
    const made = await busy(submit, 'Booking…', () => post('/api/bookings', b, { headers: { 'Idempotency-Key': state.lastKey } }));
    confirm(made, b);
  } catch (e) {
    failed(e);
  }
}

function failed(e) {
  if (!(e instanceof ApiError)) { notice(formNotice, 'error', describe(e)); return; }
  if (e.code === 'slot_unavailable') {
    slotError.textContent = describe(e);
    $('#slot-picker').setAttribute('aria-invalid', 'true');
    notice(formNotice, 'error', 'That time was just taken — please pick another slot. We’ve refreshed the free times.');
    loadSlots('That time was just taken.');
    $('#slot-picker').scrollIntoView({ block: 'start' });
    return;
  }
  if (/^promo_code_/.test(e.code) || e.code === 'offers_unavailable') {
    promoProblem(e);
    notice(formNotice, 'error', promoMessage(promo.value, e.problem, e, state));
    promo.focus();
    return;
  }
  if (e.code === 'validation_failed') {
    const left = showViolations(form, e.violations);
    notice(formNotice, 'error', 'Please correct the highlighted fields.',
      left.length ? el('ul', {}, ...left.map((m) => el('li', { text: m }))) : null);
    return;
  }
  notice(formNotice, 'error', describe(e));
}

function confirm(made, b) {
  const t = state.treatments.find((x) => x.id === made.treatmentId) || selectedTreatment();
  const l = state.locations.find((x) => x.id === made.locationId);
  $('#conf-reference').textContent = made.reference;
  $('#conf-when').textContent = `${formatWhen(made.startsAt)} with ${therapistName(made.therapistId)}`;
  $('#conf-where').textContent = l ? `${l.name}${l.address ? `, ${l.address}` : ''}` : made.locationId;
  $('#conf-treatment').textContent = t ? withDuration(t) : made.treatmentId;
  $('#conf-price').textContent = money(made.pricePence);
  $('#conf-discount').textContent = made.discountPence
    ? `−${money(made.discountPence)}${made.promoCode ? ` with code ${made.promoCode}` : ''}` : 'None';
  $('#conf-total').textContent = money(made.totalPence);
  const manage = `manage.html${query({ ref: made.reference, token: made.manageToken })}`;
  $('#conf-manage').href = manage;
  form.hidden = true;
  const c = $('#confirmation');
  c.hidden = false;
  c.focus();
  void b;
}

locationSel.addEventListener('change', () => { showClinic(); fillTreatments(); });
treatmentSel.addEventListener('change', () => loadSlots());
therapistSel.addEventListener('change', () => {
  const was = state.slot && state.slot.startsAt;
  state.slot = null;
  renderSlots();
  const again = was && [...slotsList.querySelectorAll('button')].find((b) => b.dataset.startsAt === was);
  if (again) again.click();
  else refreshQuote();
});
dateInput.addEventListener('change', () => { state.autoDate = false; loadSlots(); });
promo.addEventListener('input', refreshQuote);
$('#email').addEventListener('change', refreshQuote);
$('#drop-code').addEventListener('click', () => {
  promo.value = '';
  setFieldError(promo, '');
  clearNotice(formNotice);
  refreshQuote();
  if (state.slot) book();
  else promo.focus();
});
form.addEventListener('submit', (ev) => { ev.preventDefault(); book(); });
clearErrorsOnFix(form, fieldProblem);
// A phone number is checked when the visitor leaves the field, so the message comes before submitting.
$('#phone').addEventListener('blur', () => {
  const p = $('#phone');
  if (p.value.trim()) setFieldError(p, phoneProblem(p.value));
});

init();
