// The clinic administration area (ADMIN): locations, treatments, therapists with their weekly
// pattern and time off, closures and the audit log, against CONTRACT.md 1.1 "Clinic administration".
import { ApiError, describe, get, post, query, request } from './api.js';
import { requireRole, wireHeader } from './auth.js';
import { ZONE, addDays, formatDateStr, formatDateTime, londonToInstant, money, todayLondon } from './format.js';
import { $, $$, busy, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';

const me = await requireRole('ADMIN');
wireHeader();

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const DAY_NAME = Object.fromEntries(DAYS.map((d) => [d, d.charAt(0) + d.slice(1).toLowerCase()]));
const enc = encodeURIComponent;
const put = (path, body) => request('PUT', path, { auth: true, body });
const remove = (path) => request('DELETE', path, { auth: true });
const auth = { auth: true };

const state = { locations: [], treatments: [], therapists: [], therapist: null };
const locationName = (id) => (state.locations.find((l) => l.id === id) || { name: id }).name;
const treatmentName = (id) => (state.treatments.find((t) => t.id === id) || { name: id }).name;

// ------------------------------------------------------------------ shared helpers
function sessionEnded(e) {
  if (!e || !e.sessionExpired) return false;
  notice($('#page-notice'), 'warn', 'Your session has ended, so nothing more can be saved. ',
    el('a', { href: `signin.html?next=${enc(`admin.html${location.hash}`)}`, text: 'Sign in again' }));
  return true;
}

/** A failed save: violations next to their fields, anything else in the form's notice. */
function showFailure(form, box, e) {
  if (sessionEnded(e)) return;
  if (e instanceof ApiError && e.code === 'validation_failed') {
    const left = showViolations(form, e.violations);
    notice(box, 'error', 'Please correct the highlighted fields.',
      left.length ? el('ul', {}, ...left.map((m) => el('li', { text: m }))) : null);
  } else if (e instanceof ApiError && e.status === 409) {
    notice(box, 'error', e.problem.detail || 'That clashes with something that exists already — please check and try again.');
  } else {
    notice(box, 'error', describe(e));
  }
}

/** Client-side checks: fail(input, message) marks a field; returns false once any failed. */
function checker() {
  let first = null;
  const fail = (input, msg) => {
    const slot = document.getElementById(input.dataset.errorSlot || `${input.id}-error`);
    if (slot && input.dataset.errorSlot) slot.textContent = slot.textContent ? `${slot.textContent} ${msg}` : msg;
    else setFieldError(input, msg);
    input.setAttribute('aria-invalid', 'true');
    first = first || input;
  };
  const done = () => { if (first) first.focus(); return !first; };
  return { fail, done };
}

const ID_RULE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** 'Leeds Road Clinic' → 'leeds-road-clinic' (the id suggested for a new item). */
function slug(s) {
  return String(s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
}

/** Suggests the id from the name while creating, until the id is typed by hand. */
function wireIdFromName(nameInput, idInput) {
  idInput.addEventListener('input', () => { idInput.dataset.touched = '1'; });
  nameInput.addEventListener('input', () => {
    if (!idInput.readOnly && !idInput.dataset.touched) idInput.value = slug(nameInput.value);
  });
}

const hhmm = (t) => String(t || '').slice(0, 5);
const shortDay = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short' });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** 'Tue 8 Dec 10:00' */
const whenShort = (instant) => `${shortDay.format(new Date(instant))} ${clock.format(new Date(instant))}`;

/**
 * What a change stranded: "2 bookings need attention: ABC123 Tue 8 Dec 10:00, …", with a list,
 * or nothing when none was affected.
 */
function affected(list) {
  const items = Array.isArray(list) ? list : [];
  if (!items.length) return [];
  const n = items.length;
  return [
    el('p', {}, `${n} booking${n === 1 ? ' needs' : 's need'} attention: `,
      items.map((b) => `${b.reference} ${whenShort(b.startsAt)}`).join(', '),
      '. They stay booked; move or cancel them from the ', el('a', { href: 'staff.html', text: 'staff pages' }), '.'),
    el('ul', { className: 'affected' }, ...items.map((b) => el('li', { dataset: { reference: b.reference } },
      el('span', { className: 'reference-inline', text: b.reference }), ` ${whenShort(b.startsAt)}`))),
  ];
}

function outcome(box, kind, message, affectedBookings) {
  const extra = affected(affectedBookings);
  notice(box, extra.length ? 'warn' : kind, el('p', { text: message }), ...extra);
}

function editMode(prefix, editing, heading) {
  $(`#${prefix}-form-heading`).textContent = heading;
  $(`#${prefix}-cancel`).hidden = !editing;
}

function statusPill(active) {
  return el('span', { className: `pill ${active === false ? 'ended' : 'live'}`, text: active === false ? 'Inactive' : 'Active' });
}

function editButton(label, onClick) {
  const b = el('button', { type: 'button', className: 'small secondary', 'aria-label': label }, 'Edit');
  b.addEventListener('click', onClick);
  return b;
}

const listOf = (res, ...keys) => {
  if (Array.isArray(res)) return res;
  for (const k of keys) if (res && Array.isArray(res[k])) return res[k];
  return [];
};

// ------------------------------------------------------------------ tabs
const tabs = $$('[role="tab"]');
const shown = new Set();
const onFirstShow = {
  'tab-closures': () => loadClosures(),
  'tab-audit': () => loadAudit(),
};

function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(`#${t.getAttribute('aria-controls')}`).hidden = !on;
  }
  if (focus) tab.focus();
  if (location.hash !== `#${tab.id.slice(4)}`) history.replaceState(null, '', `#${tab.id.slice(4)}`);
  if (!shown.has(tab.id)) {
    shown.add(tab.id);
    if (onFirstShow[tab.id]) onFirstShow[tab.id]();
  }
}

tabs.forEach((t, i) => {
  t.addEventListener('click', () => selectTab(t, false));
  t.addEventListener('keydown', (ev) => {
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    selectTab(tabs[(to + tabs.length) % tabs.length], true);
  });
});

// A link to admin.html#therapists (or the back button) opens that section on a page already open.
window.addEventListener('hashchange', () => {
  const tab = tabs.find((t) => `#${t.id.slice(4)}` === location.hash);
  if (tab && tab.getAttribute('aria-selected') !== 'true') selectTab(tab, false);
});

// ------------------------------------------------------------------ locations
const locForm = $('#location-form');

function buildHoursGrid() {
  $('#loc-hours-days').replaceChildren(...DAYS.map((d) => {
    const closed = el('input', { type: 'checkbox', id: `oh-${d}-closed` });
    const from = el('input', {
      type: 'time', id: `oh-${d}-from`, className: 'time', step: '300',
      dataset: { field: `openingHours.${d}[0].from`, errorSlot: `oh-${d}-error`, label: 'Opens' }, 'aria-describedby': `oh-${d}-error`,
    });
    const to = el('input', {
      type: 'time', id: `oh-${d}-to`, className: 'time', step: '300',
      dataset: { field: `openingHours.${d}[0].to`, errorSlot: `oh-${d}-error`, label: 'Closes' }, 'aria-describedby': `oh-${d}-error`,
    });
    closed.addEventListener('change', () => { from.disabled = closed.checked; to.disabled = closed.checked; });
    return el('div', {
      className: 'day-row', role: 'group', 'aria-labelledby': `oh-${d}-name`, id: `oh-${d}`, tabindex: '-1',
      dataset: { field: `openingHours.${d}`, errorSlot: `oh-${d}-error` },
    },
    el('span', { className: 'day-name', id: `oh-${d}-name`, text: DAY_NAME[d] }),
    el('span', { className: 'inline-field' }, el('label', { for: `oh-${d}-from`, text: 'Opens' }), from),
    el('span', { className: 'inline-field' }, el('label', { for: `oh-${d}-to`, text: 'Closes' }), to),
    el('span', { className: 'check' }, closed, el('label', { for: `oh-${d}-closed`, text: 'Closed' })),
    el('span', { className: 'field-error', id: `oh-${d}-error` }));
  }));
}

function setHours(hours) {
  for (const d of DAYS) {
    const ranges = (hours && hours[d]) || [];
    const closed = ranges.length === 0;
    $(`#oh-${d}-closed`).checked = closed;
    // One opening period per day is what the form edits; several are shown as their span.
    $(`#oh-${d}-from`).value = closed ? '09:00' : hhmm(ranges[0].from);
    $(`#oh-${d}-to`).value = closed ? '17:00' : hhmm(ranges[ranges.length - 1].to);
    $(`#oh-${d}-from`).disabled = closed;
    $(`#oh-${d}-to`).disabled = closed;
  }
}

function hoursText(hours) {
  if (!hours) return '';
  const parts = [];
  for (const d of DAYS) {
    const r = hours[d] || [];
    const text = r.length ? r.map((x) => `${hhmm(x.from)}–${hhmm(x.to)}`).join(', ') : 'closed';
    const last = parts[parts.length - 1];
    if (last && last.text === text) last.to = d;
    else parts.push({ from: d, to: d, text });
  }
  return parts.map((p) => `${DAY_NAME[p.from].slice(0, 3)}${p.to !== p.from ? `–${DAY_NAME[p.to].slice(0, 3)}` : ''} ${p.text}`).join('; ');
}

function addressText(l) {
  const a = l.postalAddress;
  if (!a) return l.address || '';
  return [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ');
}

function resetLocationForm() {
  locForm.reset();
  clearFieldErrors(locForm);
  clearNotice($('#location-notice'));
  $('#loc-id').readOnly = false;
  delete $('#loc-id').dataset.touched;
  setHours({ MONDAY: [{ from: '09:00', to: '17:00' }], TUESDAY: [{ from: '09:00', to: '17:00' }], WEDNESDAY: [{ from: '09:00', to: '17:00' }],
    THURSDAY: [{ from: '09:00', to: '17:00' }], FRIDAY: [{ from: '09:00', to: '17:00' }], SATURDAY: [{ from: '09:00', to: '17:00' }] });
  locForm.dataset.mode = 'create';
  $('#location-save').textContent = 'Create location';
  editMode('location', false, 'New location');
}

function editLocation(l) {
  resetLocationForm();
  clearNotice($('#location-outcome'));
  locForm.dataset.mode = 'edit';
  $('#loc-id').value = l.id;
  $('#loc-id').readOnly = true;
  $('#loc-name').value = l.name || '';
  const a = l.postalAddress || {};
  $('#loc-line1').value = a.line1 || (l.postalAddress ? '' : l.address || '');
  $('#loc-line2').value = a.line2 || '';
  $('#loc-town').value = a.town || '';
  $('#loc-postcode').value = a.postcode || '';
  $('#loc-phone').value = l.phone || '';
  $('#loc-email').value = l.email || '';
  $('#loc-active').checked = l.active !== false;
  setHours(l.openingHours || {});
  $('#location-save').textContent = 'Save changes';
  editMode('location', true, `Edit ${l.name}`);
  $('#loc-name').focus();
}

function locationBody() {
  const openingHours = {};
  for (const d of DAYS) {
    openingHours[d] = $(`#oh-${d}-closed`).checked ? [] : [{ from: $(`#oh-${d}-from`).value, to: $(`#oh-${d}-to`).value }];
  }
  return {
    id: $('#loc-id').value.trim(),
    name: $('#loc-name').value.trim(),
    postalAddress: {
      line1: $('#loc-line1').value.trim(),
      line2: $('#loc-line2').value.trim() || undefined,
      town: $('#loc-town').value.trim(),
      postcode: $('#loc-postcode').value.trim().toUpperCase(),
    },
    phone: $('#loc-phone').value.trim(),
    email: $('#loc-email').value.trim() || undefined,
    openingHours,
    active: $('#loc-active').checked,
  };
}

function validateLocation(b) {
  const { fail, done } = checker();
  if (!b.name) fail($('#loc-name'), 'Give the location a name.');
  if (!ID_RULE.test(b.id)) fail($('#loc-id'), 'Use lower-case letters, digits and dashes.');
  if (!b.postalAddress.line1) fail($('#loc-line1'), 'Enter the first line of the address.');
  if (!b.postalAddress.town) fail($('#loc-town'), 'Enter the town.');
  if (!b.postalAddress.postcode) fail($('#loc-postcode'), 'Enter the postcode.');
  if (!b.phone) fail($('#loc-phone'), 'Enter a phone number customers can call.');
  for (const d of DAYS) {
    const r = b.openingHours[d][0];
    if (!r) continue;
    if (!r.from || !r.to) fail($(`#oh-${d}-${r.from ? 'to' : 'from'}`), 'Enter both times, or tick Closed.');
    else if (r.to <= r.from) fail($(`#oh-${d}-to`), 'Closing time must be after opening time.');
  }
  return done();
}

locForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(locForm);
  clearNotice($('#location-notice'));
  clearNotice($('#location-outcome'));
  const b = locationBody();
  if (!validateLocation(b)) return;
  const editing = locForm.dataset.mode === 'edit';
  try {
    const res = await busy($('#location-save'), 'Saving…', () => (editing
      ? put(`/api/admin/locations/${enc(b.id)}`, b)
      : post('/api/admin/locations', b, auth)));
    resetLocationForm();
    outcome($('#location-outcome'), 'success', editing ? `Changes to ${b.name} saved.` : `Location ${b.name} created.`, res && res.affectedBookings);
    await loadLocations();
  } catch (e) {
    showFailure(locForm, $('#location-notice'), e);
  }
});

async function loadLocations() {
  const st = $('#locations-status');
  try {
    state.locations = listOf(await get('/api/admin/locations', auth), 'locations', 'items');
    $('#locations-body').replaceChildren(...state.locations.map((l) => el('tr', { dataset: { id: l.id } },
      el('th', { scope: 'row' }, l.name, el('span', { className: 'hint', text: l.id })),
      el('td', { text: addressText(l) }),
      el('td', { text: l.phone || '' }),
      el('td', { text: hoursText(l.openingHours) }),
      el('td', {}, statusPill(l.active)),
      el('td', {}, editButton(`Edit location ${l.name}`, () => editLocation(l))))));
    $('#locations-wrap').hidden = state.locations.length === 0;
    st.textContent = state.locations.length ? `${state.locations.length} location${state.locations.length === 1 ? '' : 's'}.` : 'No locations yet: add the first one below.';
    refreshLocationSelects();
  } catch (e) {
    if (!sessionEnded(e)) st.textContent = `We couldn’t load the locations. ${describe(e)}`;
  }
}

function refreshLocationSelects() {
  const cl = $('#cl-location');
  const keep = cl.value;
  cl.replaceChildren(option('', 'All locations'), ...state.locations.map((l) => option(l.id, l.name, l.id === keep)));
  for (const s of $$('select.pattern-location')) {
    const v = s.value;
    s.replaceChildren(...locationOptions(v));
  }
}

function locationOptions(selected) {
  const opts = [option('', 'Choose a clinic', !selected)];
  for (const l of state.locations) opts.push(option(l.id, l.active === false ? `${l.name} (inactive)` : l.name, l.id === selected));
  if (selected && !state.locations.some((l) => l.id === selected)) opts.push(option(selected, selected, true));
  return opts;
}

$('#location-new').addEventListener('click', () => { resetLocationForm(); clearNotice($('#location-outcome')); $('#loc-name').focus(); });
$('#location-cancel').addEventListener('click', () => { resetLocationForm(); $('#location-new').focus(); });

// ------------------------------------------------------------------ treatments
const trForm = $('#treatment-form');

function resetTreatmentForm() {
  trForm.reset();
  clearFieldErrors(trForm);
  clearNotice($('#treatment-notice'));
  $('#tr-id').readOnly = false;
  delete $('#tr-id').dataset.touched;
  trForm.dataset.mode = 'create';
  $('#treatment-save').textContent = 'Create treatment';
  editMode('treatment', false, 'New treatment');
}

function editTreatment(t) {
  resetTreatmentForm();
  clearNotice($('#treatment-outcome'));
  trForm.dataset.mode = 'edit';
  $('#tr-id').value = t.id;
  $('#tr-id').readOnly = true;
  $('#tr-name').value = t.name || '';
  $('#tr-category').value = t.category || '';
  $('#tr-duration').value = t.durationMinutes ?? '';
  $('#tr-price').value = t.pricePence == null ? '' : (Number(t.pricePence) / 100).toFixed(2);
  $('#tr-description').value = t.description || '';
  $('#tr-active').checked = t.active !== false;
  $('#treatment-save').textContent = 'Save changes';
  editMode('treatment', true, `Edit ${t.name}`);
  $('#tr-name').focus();
}

/** '42.5' → 4250; null when it is not an amount of pounds and pence. */
function pence(pounds) {
  const s = String(pounds || '').trim().replace(/^£/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

function treatmentBody() {
  return {
    id: $('#tr-id').value.trim(),
    name: $('#tr-name').value.trim(),
    category: slug($('#tr-category').value),
    durationMinutes: $('#tr-duration').value === '' ? null : Number($('#tr-duration').value),
    pricePence: pence($('#tr-price').value),
    description: $('#tr-description').value.trim() || undefined,
    active: $('#tr-active').checked,
  };
}

function validateTreatment(b) {
  const { fail, done } = checker();
  if (!b.name) fail($('#tr-name'), 'Give the treatment a name.');
  if (!ID_RULE.test(b.id)) fail($('#tr-id'), 'Use lower-case letters, digits and dashes.');
  if (!b.category) fail($('#tr-category'), 'Enter a category.');
  if (!(b.durationMinutes >= 15) || b.durationMinutes % 15 !== 0) fail($('#tr-duration'), 'Enter a length in steps of 15 minutes.');
  if (b.pricePence == null) fail($('#tr-price'), 'Enter a price in pounds, e.g. 45 or 42.50.');
  return done();
}

trForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(trForm);
  clearNotice($('#treatment-notice'));
  clearNotice($('#treatment-outcome'));
  const b = treatmentBody();
  if (!validateTreatment(b)) return;
  const editing = trForm.dataset.mode === 'edit';
  try {
    await busy($('#treatment-save'), 'Saving…', () => (editing
      ? put(`/api/admin/treatments/${enc(b.id)}`, b)
      : post('/api/admin/treatments', b, auth)));
    resetTreatmentForm();
    outcome($('#treatment-outcome'), 'success', editing
      ? `Changes to ${b.name} saved. Bookings already confirmed keep their price.`
      : `Treatment ${b.name} created (${b.durationMinutes} min, ${money(b.pricePence)}).`);
    await loadTreatments();
  } catch (e) {
    showFailure(trForm, $('#treatment-notice'), e);
  }
});

async function loadTreatments() {
  const st = $('#treatments-status');
  try {
    state.treatments = listOf(await get('/api/admin/treatments', auth), 'treatments', 'items');
    $('#treatments-body').replaceChildren(...state.treatments.map((t) => el('tr', { dataset: { id: t.id } },
      el('th', { scope: 'row' }, t.name, el('span', { className: 'hint', text: t.id })),
      el('td', { text: t.category || '' }),
      el('td', { className: 'num', text: `${t.durationMinutes} min` }),
      el('td', { className: 'num', text: money(t.pricePence) }),
      el('td', {}, statusPill(t.active)),
      el('td', {}, editButton(`Edit treatment ${t.name}`, () => editTreatment(t))))));
    $('#treatments-wrap').hidden = state.treatments.length === 0;
    st.textContent = state.treatments.length ? `${state.treatments.length} treatment${state.treatments.length === 1 ? '' : 's'}.` : 'No treatments yet: add the first one below.';
    const cats = [...new Set(state.treatments.map((t) => t.category).filter(Boolean))];
    $('#tr-categories').replaceChildren(...cats.map((c) => el('option', { value: c })));
    refreshTreatmentBoxes();
  } catch (e) {
    if (!sessionEnded(e)) st.textContent = `We couldn’t load the treatments. ${describe(e)}`;
  }
}

$('#treatment-new').addEventListener('click', () => { resetTreatmentForm(); clearNotice($('#treatment-outcome')); $('#tr-name').focus(); });
$('#treatment-cancel').addEventListener('click', () => { resetTreatmentForm(); $('#treatment-new').focus(); });

// ------------------------------------------------------------------ therapists: profile
const thForm = $('#therapist-form');

function refreshTreatmentBoxes() {
  const ticked = new Set($$('input[name="th-treatment"]:checked').map((c) => c.value));
  $('#th-treatment-boxes').replaceChildren(...state.treatments.map((t) => {
    const id = `th-tr-${t.id}`;
    return el('div', { className: 'check' },
      el('input', { type: 'checkbox', id, name: 'th-treatment', value: t.id, checked: ticked.has(t.id) }),
      el('label', { for: id, text: `${t.name}${t.active === false ? ' (inactive)' : ''}` }));
  }));
}

function resetTherapistForm() {
  thForm.reset();
  clearFieldErrors(thForm);
  clearNotice($('#therapist-notice'));
  $('#th-id').readOnly = false;
  delete $('#th-id').dataset.touched;
  for (const c of $$('input[name="th-treatment"]')) c.checked = false;
  thForm.dataset.mode = 'create';
  $('#therapist-save').textContent = 'Create therapist';
  editMode('therapist', false, 'New therapist');
  state.therapist = null;
  $('#therapist-detail').hidden = true;
}

function fillTherapistForm(t) {
  resetTherapistForm();
  thForm.dataset.mode = 'edit';
  $('#th-id').value = t.id;
  $('#th-id').readOnly = true;
  $('#th-name').value = t.name || '';
  $('#th-bio').value = t.bio || '';
  $('#th-active').checked = t.active !== false;
  const offered = new Set(t.treatmentIds || []);
  for (const c of $$('input[name="th-treatment"]')) c.checked = offered.has(c.value);
  $('#therapist-save').textContent = 'Save changes';
  editMode('therapist', true, `Edit ${t.name}`);
}

async function openTherapist(id, fallback) {
  clearNotice($('#pattern-outcome'));
  clearNotice($('#timeoff-outcome'));
  let detail;
  try {
    detail = await get(`/api/admin/therapists/${enc(id)}`, auth);
  } catch (e) {
    if (sessionEnded(e)) return;
    if (!fallback) { notice($('#therapist-outcome'), 'error', `We couldn’t load this therapist. ${describe(e)}`); return; }
    detail = fallback;
  }
  fillTherapistForm(detail);
  state.therapist = detail;
  showPattern(detail);
  showTimeOff(detail);
  $('#therapist-detail').hidden = false;
}

/** Re-reads the therapist for their time off only: unsaved edits of the pattern stay as they are. */
async function refreshTimeOff(id) {
  try {
    const detail = await get(`/api/admin/therapists/${enc(id)}`, auth);
    state.therapist = { ...state.therapist, timeOff: detail.timeOff };
    showTimeOff(detail);
  } catch (e) {
    if (!sessionEnded(e)) $('#timeoff-status').textContent = `We couldn’t reload the time off. ${describe(e)}`;
  }
}

function therapistBody() {
  return {
    id: $('#th-id').value.trim(),
    name: $('#th-name').value.trim(),
    bio: $('#th-bio').value.trim() || undefined,
    treatmentIds: $$('input[name="th-treatment"]:checked').map((c) => c.value),
    active: $('#th-active').checked,
  };
}

thForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(thForm);
  clearNotice($('#therapist-notice'));
  clearNotice($('#therapist-outcome'));
  const b = therapistBody();
  const { fail, done } = checker();
  if (!b.name) fail($('#th-name'), 'Enter the therapist’s name.');
  if (!ID_RULE.test(b.id)) fail($('#th-id'), 'Use lower-case letters, digits and dashes.');
  if (!done()) return;
  const editing = thForm.dataset.mode === 'edit';
  try {
    const res = await busy($('#therapist-save'), 'Saving…', () => (editing
      ? put(`/api/admin/therapists/${enc(b.id)}`, b)
      : post('/api/admin/therapists', b, auth)));
    await loadTherapists();
    await openTherapist(b.id, { ...b, ...(res || {}) });
    outcome($('#therapist-outcome'), 'success', editing
      ? `Changes to ${b.name} saved.`
      : `Therapist ${b.name} created. Now set where and when they work in the weekly pattern below.`, res && res.affectedBookings);
    if (!editing) $('#pattern-from').focus();
  } catch (e) {
    showFailure(thForm, $('#therapist-notice'), e);
  }
});

async function loadTherapists() {
  const st = $('#therapists-status');
  try {
    state.therapists = listOf(await get('/api/admin/therapists', auth), 'therapists', 'items');
    $('#therapists-body').replaceChildren(...state.therapists.map((t) => el('tr', { dataset: { id: t.id } },
      el('th', { scope: 'row' }, t.name, el('span', { className: 'hint', text: t.id })),
      el('td', { text: (t.treatmentIds || []).map(treatmentName).join(', ') }),
      el('td', { text: (t.locationIds || []).map(locationName).join(', ') }),
      el('td', {}, statusPill(t.active)),
      el('td', {}, editButton(`Edit therapist ${t.name}, their hours and time off`, () => openTherapist(t.id, t).then(() => $('#th-name').focus()))))));
    $('#therapists-wrap').hidden = state.therapists.length === 0;
    st.textContent = state.therapists.length ? `${state.therapists.length} therapist${state.therapists.length === 1 ? '' : 's'}.` : 'No therapists yet: add the first one below.';
  } catch (e) {
    if (!sessionEnded(e)) st.textContent = `We couldn’t load the therapists. ${describe(e)}`;
  }
}

$('#therapist-new').addEventListener('click', () => { resetTherapistForm(); clearNotice($('#therapist-outcome')); $('#th-name').focus(); });
$('#therapist-cancel').addEventListener('click', () => { resetTherapistForm(); $('#therapist-new').focus(); });

// ------------------------------------------------------------------ therapists: weekly pattern
const patternForm = $('#pattern-form');
let seq = 0;

/** The patterns a therapist detail carries, whatever it calls them, each {effectiveFrom, days}. */
function patternsOf(d) {
  const wh = d.workingHours ?? d.pattern ?? d.weeklyPattern ?? d.patterns ?? d.workingHoursPatterns;
  if (Array.isArray(wh)) {
    if (wh.length && Array.isArray(wh[0].days)) return wh;
    return [{ effectiveFrom: d.effectiveFrom || null, days: wh }];
  }
  if (wh && Array.isArray(wh.days)) return [wh];
  if (Array.isArray(d.days)) return [{ effectiveFrom: d.effectiveFrom || null, days: d.days }];
  return [];
}

const dayKey = (v) => (typeof v === 'number' ? DAYS[v - 1] : String(v || '').toUpperCase());

function showPattern(detail) {
  const today = todayLondon();
  const patterns = patternsOf(detail).slice().sort((a, b) => String(a.effectiveFrom || '').localeCompare(String(b.effectiveFrom || '')));
  // The newest pattern is the one that goes on applying; edit that one.
  const latest = patterns[patterns.length - 1];
  const days = latest ? latest.days : [];
  clearFieldErrors(patternForm);
  clearNotice($('#pattern-notice'));
  $('#pattern-from').value = latest && latest.effectiveFrom && latest.effectiveFrom > today ? latest.effectiveFrom : today;
  $('#pattern-from').min = today;
  const lines = patterns.map((p) => (p.effectiveFrom && p.effectiveFrom > today
    ? `A new pattern starts on ${formatDateStr(p.effectiveFrom)}.`
    : `The current pattern applies${p.effectiveFrom ? ` since ${formatDateStr(p.effectiveFrom)}` : ''}.`));
  $('#pattern-current').textContent = patterns.length ? lines.join(' ') : 'No working hours yet: this therapist can’t be booked until they have some.';
  $('#pattern-days').replaceChildren(...DAYS.map((d) => dayFieldset(d, days.filter((x) => dayKey(x.dayOfWeek) === d))));
}

function dayFieldset(d, entries) {
  const list = el('div', { className: 'pattern-entries', id: `pd-${d}-entries` });
  const off = el('p', { className: 'status day-off', id: `pd-${d}-off`, text: 'Not working.' });
  const add = el('button', { type: 'button', className: 'small secondary', id: `pd-${d}-add` }, `Add hours on ${DAY_NAME[d]}`);
  add.addEventListener('click', () => {
    const prev = list.lastElementChild;
    const from = prev ? $('.pe-to', prev).value : '09:00';
    const node = entryNode(d, { locationId: prev ? $('.pattern-location', prev).value : defaultLocation(), from, to: from < '17:00' ? '17:00' : '' });
    list.append(node);
    syncDay(d);
    $('.pattern-location', node).focus();
  });
  const fs = el('fieldset', { className: 'pattern-day', id: `pd-${d}`, dataset: { day: d } },
    el('legend', { text: DAY_NAME[d] }), list, off, add);
  for (const e of entries) list.append(entryNode(d, e));
  off.hidden = entries.length > 0;
  return fs;
}

function defaultLocation() {
  const active = state.locations.filter((l) => l.active !== false);
  return active.length === 1 ? active[0].id : '';
}

function syncDay(d) {
  const list = $(`#pd-${d}-entries`);
  if (!list) return;
  $(`#pd-${d}-off`).hidden = list.children.length > 0;
}

function timeInput(id, value, cls) {
  return el('input', { type: 'time', id, className: `time ${cls}`, step: '300', value: hhmm(value) });
}

function entryNode(d, e) {
  const n = ++seq;
  const errId = `pe-${n}-error`;
  const loc = el('select', { id: `pe-${n}-loc`, className: 'pattern-location', 'aria-describedby': errId }, ...locationOptions(e.locationId || ''));
  const from = timeInput(`pe-${n}-from`, e.from || '09:00', 'pe-from');
  const to = timeInput(`pe-${n}-to`, e.to || '17:00', 'pe-to');
  from.setAttribute('aria-describedby', errId);
  to.setAttribute('aria-describedby', errId);
  const breaks = el('div', { className: 'pattern-breaks' });
  const addBreak = el('button', { type: 'button', className: 'small secondary' }, 'Add a break');
  const drop = el('button', { type: 'button', className: 'small danger', 'aria-label': `Remove these hours on ${DAY_NAME[d]}` }, 'Remove');
  const node = el('div', { className: 'pattern-entry', id: `pe-${n}`, tabindex: '-1', role: 'group', 'aria-label': `Hours on ${DAY_NAME[d]}` },
    el('div', { className: 'entry-row' },
      el('span', { className: 'inline-field' }, el('label', { for: loc.id, text: 'Clinic' }), loc),
      el('span', { className: 'inline-field' }, el('label', { for: from.id, text: 'Starts' }), from),
      el('span', { className: 'inline-field' }, el('label', { for: to.id, text: 'Finishes' }), to),
      drop),
    breaks,
    el('div', { className: 'entry-row' }, addBreak),
    el('span', { className: 'field-error', id: errId }));
  for (const b of (e.breaks || [])) breaks.append(breakNode(d, b, errId));
  addBreak.addEventListener('click', () => {
    const b = breakNode(d, { from: '13:00', to: '13:30' }, errId);
    breaks.append(b);
    $('input', b).focus();
  });
  drop.addEventListener('click', () => {
    const list = node.parentNode;
    node.remove();
    syncDay(d);
    const next = list.lastElementChild ? $('select', list.lastElementChild) : $(`#pd-${d}-add`);
    next.focus();
  });
  return node;
}

function breakNode(d, b, errId) {
  const n = ++seq;
  const from = timeInput(`pb-${n}-from`, b.from, 'pb-from');
  const to = timeInput(`pb-${n}-to`, b.to, 'pb-to');
  from.setAttribute('aria-describedby', errId);
  to.setAttribute('aria-describedby', errId);
  const drop = el('button', { type: 'button', className: 'small secondary', 'aria-label': `Remove this break on ${DAY_NAME[d]}` }, 'Remove break');
  const node = el('div', { className: 'entry-row pattern-break', role: 'group', 'aria-label': `Break on ${DAY_NAME[d]}` },
    el('span', { className: 'inline-field' }, el('label', { for: from.id, text: 'Break from' }), from),
    el('span', { className: 'inline-field' }, el('label', { for: to.id, text: 'Break until' }), to),
    drop);
  drop.addEventListener('click', () => {
    const entry = node.closest('.pattern-entry');
    node.remove();
    $('button', entry).focus();
  });
  return node;
}

/**
 * The body PUT sends, in the order shown; each input is tagged with the path of its value in that
 * body (days[2].breaks[0].to), so the server's violations land next to the right input.
 */
function patternBody() {
  const days = [];
  for (const d of DAYS) {
    for (const node of $$(`#pd-${d}-entries > .pattern-entry`)) {
      const i = days.length;
      const errorSlot = $('.field-error', node).id;
      const tag = (input, field, label) => Object.assign(input.dataset, { field, errorSlot, label });
      tag(node, `days[${i}]`, DAY_NAME[d]);
      const loc = $('.pattern-location', node);
      const from = $('.pe-from', node);
      const to = $('.pe-to', node);
      tag(loc, `days[${i}].locationId`, 'Clinic');
      tag(from, `days[${i}].from`, 'Starts');
      tag(to, `days[${i}].to`, 'Finishes');
      tag($('.pattern-breaks', node), `days[${i}].breaks`, 'Breaks');
      const breaks = $$('.pattern-break', node).map((b, j) => {
        tag(b, `days[${i}].breaks[${j}]`, `Break ${j + 1}`);
        tag($('.pb-from', b), `days[${i}].breaks[${j}].from`, `Break ${j + 1} from`);
        tag($('.pb-to', b), `days[${i}].breaks[${j}].to`, `Break ${j + 1} until`);
        return { from: $('.pb-from', b).value, to: $('.pb-to', b).value };
      });
      days.push({ dayOfWeek: d, locationId: loc.value, from: from.value, to: to.value, breaks });
    }
  }
  const body = { days };
  if ($('#pattern-from').value) body.effectiveFrom = $('#pattern-from').value;
  return body;
}

function validatePattern(body) {
  const { fail, done } = checker();
  const byField = (f) => patternForm.querySelector(`[data-field="${CSS.escape(f)}"]`);
  body.days.forEach((e, i) => {
    if (!e.locationId) fail(byField(`days[${i}].locationId`), 'Clinic: choose where they work.');
    if (!e.from || !e.to) fail(byField(`days[${i}].${e.from ? 'to' : 'from'}`), 'Enter both start and finish times.');
    else if (e.to <= e.from) fail(byField(`days[${i}].to`), 'Finishes: must be after the start.');
    e.breaks.forEach((b, j) => {
      if (!b.from || !b.to || b.to <= b.from) fail(byField(`days[${i}].breaks[${j}].to`), `Break ${j + 1}: the end must be after the start.`);
      else if (e.from && e.to && (b.from < e.from || b.to > e.to)) fail(byField(`days[${i}].breaks[${j}].from`), `Break ${j + 1}: must be inside the working hours.`);
    });
  });
  return done();
}

patternForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(patternForm);
  clearNotice($('#pattern-notice'));
  clearNotice($('#pattern-outcome'));
  const t = state.therapist;
  if (!t) return;
  const body = patternBody();
  if (!validatePattern(body)) return;
  try {
    const res = await busy($('#pattern-save'), 'Saving…', () => put(`/api/admin/therapists/${enc(t.id)}/working-hours`, body));
    const from = body.effectiveFrom || todayLondon();
    const n = body.days.length;
    await openTherapist(t.id, t);
    await loadTherapists();
    outcome($('#pattern-outcome'), 'success', n
      ? `Weekly pattern of ${t.name} saved: ${n} block${n === 1 ? '' : 's'} of hours a week from ${formatDateStr(from)}.`
      : `Weekly pattern of ${t.name} saved: no hours from ${formatDateStr(from)}.`, res && res.affectedBookings);
  } catch (e) {
    showFailure(patternForm, $('#pattern-notice'), e);
  }
});

$('#pattern-copy').addEventListener('click', () => {
  const monday = $$('#pd-MONDAY-entries > .pattern-entry').map((node) => ({
    locationId: $('.pattern-location', node).value,
    from: $('.pe-from', node).value,
    to: $('.pe-to', node).value,
    breaks: $$('.pattern-break', node).map((b) => ({ from: $('.pb-from', b).value, to: $('.pb-to', b).value })),
  }));
  for (const d of ['TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']) {
    $(`#pd-${d}-entries`).replaceChildren(...monday.map((e) => entryNode(d, e)));
    syncDay(d);
  }
  notice($('#pattern-outcome'), 'info', monday.length
    ? 'Monday’s hours copied to Tuesday to Friday. Save the weekly pattern to keep them.'
    : 'Monday has no hours, so Tuesday to Friday are now days off too. Save the weekly pattern to keep that.');
});

// ------------------------------------------------------------------ therapists: time off
const timeOffForm = $('#timeoff-form');

const timeOffOf = (d) => d.timeOff ?? d.timeOffs ?? d.timeOffPeriods ?? [];
const startOf = (x) => x.from ?? x.startsAt;
const endOf = (x) => x.to ?? x.endsAt;

function showTimeOff(detail) {
  const items = listOf(timeOffOf(detail)).slice().sort((a, b) => String(startOf(a)).localeCompare(String(startOf(b))));
  $('#timeoff-body').replaceChildren(...items.map((x) => {
    const err = el('span', { className: 'field-error', 'aria-live': 'polite' });
    const del = el('button', { type: 'button', className: 'small danger', 'aria-label': `Delete time off from ${formatDateTime(startOf(x))} to ${formatDateTime(endOf(x))}` }, 'Delete');
    del.addEventListener('click', async () => {
      err.textContent = '';
      try {
        await busy(del, 'Deleting…', () => remove(`/api/admin/time-off/${enc(x.id)}`));
        await refreshTimeOff(detail.id);
        notice($('#timeoff-outcome'), 'success', `Time off from ${formatDateTime(startOf(x))} to ${formatDateTime(endOf(x))} deleted.`);
        $('#to-from').focus();
      } catch (e) {
        if (!sessionEnded(e)) err.textContent = describe(e);
      }
    });
    return el('tr', { dataset: { id: x.id } },
      el('td', { text: formatDateTime(startOf(x)) }),
      el('td', { text: formatDateTime(endOf(x)) }),
      el('td', { text: x.reason || '' }),
      el('td', {}, del, err));
  }));
  $('#timeoff-wrap').hidden = items.length === 0;
  $('#timeoff-status').textContent = items.length ? '' : 'No time off booked.';
}

function toInstant(v) {
  const [d, t] = v.split('T');
  return londonToInstant(d, t);
}

timeOffForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(timeOffForm);
  clearNotice($('#timeoff-notice'));
  clearNotice($('#timeoff-outcome'));
  const t = state.therapist;
  if (!t) return;
  const from = $('#to-from').value;
  const to = $('#to-to').value;
  const { fail, done } = checker();
  if (!from) fail($('#to-from'), 'Enter when the time off starts.');
  if (!to) fail($('#to-to'), 'Enter when the time off ends.');
  else if (from && to <= from) fail($('#to-to'), 'The end must be after the start.');
  if (!done()) return;
  const body = { from: toInstant(from), to: toInstant(to), reason: $('#to-reason').value.trim() || undefined };
  try {
    const res = await busy($('#timeoff-save'), 'Adding…', () => post(`/api/admin/therapists/${enc(t.id)}/time-off`, body, auth));
    timeOffForm.reset();
    await refreshTimeOff(t.id);
    outcome($('#timeoff-outcome'), 'success', `Time off for ${t.name} added: ${formatDateTime(body.from)} to ${formatDateTime(body.to)}.`, res && res.affectedBookings);
  } catch (e) {
    showFailure(timeOffForm, $('#timeoff-notice'), e);
  }
});

// ------------------------------------------------------------------ closures
const closureForm = $('#closure-form');

async function loadClosures() {
  const st = $('#closures-status');
  const from = todayLondon();
  const to = addDays(from, 365);
  st.textContent = 'Loading closures…';
  try {
    const list = listOf(await get(`/api/closures${query({ from, to })}`), 'closures', 'items')
      .slice().sort((a, b) => String(a.date).localeCompare(String(b.date)));
    $('#closures-body').replaceChildren(...list.map((c) => el('tr', { dataset: { date: c.date, location: c.locationId || '' } },
      el('td', { text: formatDateStr(c.date) }),
      el('td', { text: c.locationId ? locationName(c.locationId) : 'All locations' }),
      el('td', { text: c.reason || c.name || '' }),
      el('td', {}, c.id ? removeClosureButton(c) : null))));
    $('#closures-wrap').hidden = list.length === 0;
    st.textContent = list.length ? `${list.length} closure${list.length === 1 ? '' : 's'} in the coming year.` : 'No closures in the coming year.';
  } catch (e) {
    st.textContent = `We couldn’t load the closures. ${describe(e)}`;
  }
}

function removeClosureButton(c) {
  const where = c.locationId ? locationName(c.locationId) : 'all locations';
  const err = el('span', { className: 'field-error', 'aria-live': 'polite' });
  const b = el('button', { type: 'button', className: 'small secondary', 'aria-label': `Reopen ${where} on ${formatDateStr(c.date)}` }, 'Reopen');
  b.addEventListener('click', async () => {
    err.textContent = '';
    try {
      await busy(b, 'Reopening…', () => remove(`/api/admin/closures/${enc(c.id)}`));
      notice($('#closure-outcome'), 'success', `${c.locationId ? locationName(c.locationId) : 'Every location'} is open again on ${formatDateStr(c.date)}.`);
      await loadClosures();
      $('#cl-date').focus();
    } catch (e) {
      if (!sessionEnded(e)) err.textContent = describe(e);
    }
  });
  return el('span', {}, b, err);
}

closureForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(closureForm);
  clearNotice($('#closure-notice'));
  clearNotice($('#closure-outcome'));
  const body = { date: $('#cl-date').value, locationId: $('#cl-location').value || undefined, reason: $('#cl-reason').value.trim() };
  const { fail, done } = checker();
  if (!body.date) fail($('#cl-date'), 'Choose the day.');
  if (!body.reason) fail($('#cl-reason'), 'Say why, e.g. staff training.');
  if (!done()) return;
  try {
    const res = await busy($('#closure-save'), 'Adding…', () => post('/api/admin/closures', body, auth));
    closureForm.reset();
    outcome($('#closure-outcome'), 'success',
      `${body.locationId ? locationName(body.locationId) : 'Every location'} closed on ${formatDateStr(body.date)}.`, res && res.affectedBookings);
    await loadClosures();
  } catch (e) {
    showFailure(closureForm, $('#closure-notice'), e);
  }
});

// ------------------------------------------------------------------ audit log
const auditForm = $('#audit-form');

function detailsText(d) {
  if (d == null) return '';
  if (typeof d !== 'object') return String(d);
  const show = (v) => (v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  // {field: {before, after}} reads as "field: before → after".
  return Object.entries(d).map(([k, v]) => (v && typeof v === 'object' && ('before' in v || 'after' in v)
    ? `${k}: ${show(v.before)} → ${show(v.after)}`
    : `${k}: ${show(v)}`)).join('; ');
}

async function loadAudit() {
  const st = $('#audit-status');
  clearFieldErrors(auditForm);
  const from = $('#au-from').value;
  const to = $('#au-to').value;
  if (from && to && to < from) { setFieldError($('#au-to'), 'Choose a “to” day on or after the “from” day.'); $('#au-to').focus(); return; }
  st.textContent = 'Loading the audit log…';
  try {
    const rows = listOf(await get(`/api/admin/audit${query({ from, to, actor: $('#au-actor').value.trim(), limit: 200 })}`, auth), 'entries', 'items')
      .slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
    $('#audit-body').replaceChildren(...rows.map((r) => el('tr', {},
      el('td', { className: 'nowrap', text: formatDateTime(r.at) }),
      el('td', { text: r.actor || '' }),
      el('td', { text: r.action || '' }),
      el('td', { text: typeof r.target === 'object' && r.target ? detailsText(r.target) : (r.target || '') }),
      el('td', { className: 'audit-details', text: detailsText(r.details) }))));
    $('#audit-wrap').hidden = rows.length === 0;
    st.textContent = rows.length ? `${rows.length} change${rows.length === 1 ? '' : 's'}${rows.length === 200 ? ' (the newest 200; narrow the filters to see older ones)' : ''}.` : 'No changes match these filters.';
  } catch (e) {
    if (sessionEnded(e)) return;
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations(auditForm, e.violations);
      st.textContent = left.join(' ') || 'Please correct the filters.';
    } else {
      st.textContent = `We couldn’t load the audit log. ${describe(e)}`;
    }
  }
}

auditForm.addEventListener('submit', (ev) => { ev.preventDefault(); loadAudit(); });

// ------------------------------------------------------------------ start
async function init() {
  buildHoursGrid();
  resetLocationForm();
  resetTreatmentForm();
  resetTherapistForm();
  wireIdFromName($('#loc-name'), $('#loc-id'));
  wireIdFromName($('#tr-name'), $('#tr-id'));
  wireIdFromName($('#th-name'), $('#th-id'));
  const today = todayLondon();
  $('#cl-date').min = today;
  $('#au-from').value = addDays(today, -7);
  $('#au-to').value = today;
  await Promise.all([loadLocations(), loadTreatments()]);
  await loadTherapists();
  // The section is read from the address only now: a link followed (or the back button pressed)
  // while the lists were loading has already moved to its section, and must not be sent back.
  const asked = tabs.find((t) => `#${t.id.slice(4)}` === location.hash);
  const open = tabs.find((t) => t.getAttribute('aria-selected') === 'true' && shown.has(t.id));
  selectTab(asked || open || tabs[0], false);
}

if (me) init();
