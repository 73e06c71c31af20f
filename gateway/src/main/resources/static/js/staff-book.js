// "Book for this caller": the staff booking form in a modal dialog on the callback board,
// pre-filled from the callback. POST /api/staff/bookings with the callback's id books and
// completes the callback as BOOKED in one step on the server.
import { ApiError, describe, get, post, query, uuid } from './api.js';
import { addDays, formatWhen, todayLondon } from './format.js';
import { $, busy, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';
import { therapistNames } from './catalogue.js';
import { availability, renderSlotButtons, treatmentOptions } from './slots.js';

const dialog = $('#book-dialog');
const form = $('#sb-form');
const locationSel = $('#sb-location');
const treatmentSel = $('#sb-treatment');
const dateInput = $('#sb-date');
const slotsList = $('#sb-slots');
const slotsStatus = $('#sb-slots-status');
const slotError = $('#sb-slots-error');
const formNotice = $('#sb-notice');

const state = {
  task: null, catalogue: null, onBooked: null, returnFocus: null,
  therapists: new Map(), slot: null, slotsAbort: null, slotsSeq: 0, lastBody: null, lastKey: null,
};

const firstName = (id) => (state.therapists.has(id) ? state.therapists.get(id).split(' ')[0] : 'a therapist');

/**
 * Opens the form for a callback task. catalogue: {locations, treatments}; onBooked(task, booking)
 * runs once the booking is made.
 */
export function openStaffBooking(task, catalogue, onBooked) {
  state.task = task;
  state.catalogue = catalogue;
  state.onBooked = onBooked;
  state.returnFocus = document.activeElement;
  form.reset();
  clearFieldErrors(form);
  clearNotice(formNotice);
  slotError.textContent = '';
  form.hidden = false;
  $('#sb-done').hidden = true;
  $('#sb-for').textContent = `Callback from ${task.name}${task.message ? `: “${task.message}”` : ''}`;
  $('#sb-name').value = task.name || '';
  $('#sb-phone').value = task.phone || '';
  $('#sb-email').value = task.email || '';
  locationSel.replaceChildren(option('', 'Choose a clinic'),
    ...catalogue.locations.map((l) => option(l.id, l.name, l.id === task.locationId)));
  const today = todayLondon();
  dateInput.min = today;
  dateInput.max = addDays(today, 90);
  dateInput.value = today;
  dialog.showModal();
  // The caller's details are filled in: the first thing left to choose is the treatment.
  fillTreatments().then(() => (locationSel.value ? treatmentSel : locationSel).focus());
}

async function fillTreatments() {
  const keep = treatmentSel.value;
  let offered = state.catalogue.treatments;
  state.therapists = new Map();
  if (locationSel.value) {
    try {
      const therapists = await get(`/api/therapists${query({ locationId: locationSel.value })}`);
      state.therapists = therapistNames(therapists);
      const ids = new Set(therapists.flatMap((t) => t.treatmentIds || []));
      if (ids.size) offered = offered.filter((t) => ids.has(t.id));
    } catch { /* every treatment; the free times will tell */ }
  }
  treatmentSel.replaceChildren(option('', 'Choose a treatment'), ...treatmentOptions(offered, keep));
  await loadSlots();
}

async function loadSlots(message) {
  state.slot = null;
  slotsList.replaceChildren();
  if (state.slotsAbort) state.slotsAbort.abort();
  if (!locationSel.value || !treatmentSel.value || !dateInput.value) {
    slotsStatus.textContent = 'Choose a clinic, treatment and day to see free times.';
    return;
  }
  // A newer choice cancels the older question, and only the newest answer is shown.
  const seq = ++state.slotsSeq;
  const abort = new AbortController();
  state.slotsAbort = abort;
  const lead = message ? `${message} ` : '';
  slotsStatus.textContent = 'Looking for free times…';
  try {
    const slots = await availability(locationSel.value, treatmentSel.value, dateInput.value, abort.signal);
    if (seq !== state.slotsSeq) return;
    renderSlotButtons(slotsList, slots, firstName, chooseSlot);
    slotsStatus.textContent = slots.length
      ? `${lead}${slots.length} free time${slots.length === 1 ? '' : 's'}.`
      : `${lead}No free times that day — choose another day.`;
  } catch (e) {
    if (seq !== state.slotsSeq || (e && e.name === 'AbortError')) return;
    slotsStatus.textContent = `We couldn’t load free times. ${describe(e)}`;
  }
}

function chooseSlot(slot) {
  state.slot = slot;
  slotError.textContent = '';
  $('#sb-slot-picker').removeAttribute('aria-invalid');
  slotsStatus.textContent = `Chosen: ${formatWhen(slot.startsAt)} with ${state.therapists.get(slot.therapistId) || 'a therapist'}.`;
}

function validate() {
  let first = null;
  for (const [input, msg] of [[$('#sb-name'), 'Enter the caller’s name.'], [$('#sb-phone'), 'Enter a phone number.'],
    [locationSel, 'Choose a clinic.'], [treatmentSel, 'Choose a treatment.']]) {
    if (!input.value.trim()) { setFieldError(input, msg); first = first || input; }
  }
  if (!state.slot) {
    slotError.textContent = 'Pick a free time.';
    $('#sb-slot-picker').setAttribute('aria-invalid', 'true');
    first = first || slotsList.querySelector('button') || dateInput;
  }
  if (first) first.focus();
  return !first;
}

function body() {
  const customer = { name: $('#sb-name').value.trim(), phone: $('#sb-phone').value.trim() };
  const email = $('#sb-email').value.trim();
  if (email) customer.email = email;
  const b = {
    locationId: locationSel.value,
    treatmentId: treatmentSel.value,
    therapistId: state.slot.therapistId,
    startsAt: state.slot.startsAt,
    customer,
    callbackId: state.task.id,
  };
  const promo = $('#sb-promo').value.trim();
  if (promo) b.promoCode = promo;
  const notes = $('#sb-notes').value.trim();
  if (notes) b.notes = notes;
  return b;
}

async function book() {
  clearFieldErrors(form);
  slotError.textContent = '';
  clearNotice(formNotice);
  if (!validate()) return;
  try {
    const b = body();
    // As on the public form: a retry of the same booking (a lost answer) books once; any change is a new attempt.
    const json = JSON.stringify(b);
    if (json !== state.lastBody) { state.lastBody = json; state.lastKey = uuid(); }
    const made = await busy($('#sb-submit'), 'Booking…', () => post('/api/staff/bookings', b, { auth: true, headers: { 'Idempotency-Key': state.lastKey } }));
    done(made);
  } catch (e) {
    failed(e);
  }
}

function failed(e) {
  if (!(e instanceof ApiError)) { notice(formNotice, 'error', describe(e)); return; }
  if (e.code === 'slot_unavailable') {
    slotError.textContent = describe(e);
    $('#sb-slot-picker').setAttribute('aria-invalid', 'true');
    notice(formNotice, 'error', 'That time was just taken. The free times are refreshed: pick another.');
    loadSlots('That time was just taken.');
    return;
  }
  if (/^promo_code_/.test(e.code) || e.code === 'offers_unavailable') {
    setFieldError($('#sb-promo'), describe(e));
    notice(formNotice, 'error', describe(e));
    $('#sb-promo').focus();
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

function done(made) {
  $('#sb-reference').textContent = made.reference;
  $('#sb-done-when').textContent = `${formatWhen(made.startsAt)} with ${state.therapists.get(made.therapistId) || 'the therapist'}.`;
  form.hidden = true;
  const d = $('#sb-done');
  d.hidden = false;
  d.focus();
  if (state.onBooked) state.onBooked(state.task, made);
}

function close() {
  if (state.slotsAbort) state.slotsAbort.abort();
  dialog.close();
}

dialog.addEventListener('close', () => {
  const f = state.returnFocus;
  if (f && f.isConnected) { f.focus(); return; }
  // Booked: the button that opened the form went with the card; its completed card takes the focus.
  const c = state.task && document.querySelector(`li.task[data-id="${CSS.escape(state.task.id)}"]`);
  if (c) { c.tabIndex = -1; c.focus(); }
});
locationSel.addEventListener('change', fillTreatments);
treatmentSel.addEventListener('change', () => loadSlots());
dateInput.addEventListener('change', () => loadSlots());
form.addEventListener('submit', (ev) => { ev.preventDefault(); book(); });
$('#sb-close').addEventListener('click', close);
$('#sb-cancel').addEventListener('click', close);
$('#sb-done-close').addEventListener('click', close);
