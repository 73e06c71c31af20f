import { ApiError, describe, get, post, uuid } from './api.js';
import { wireHeader } from './auth.js';
import { $, busy, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';
import { loadCatalogue } from './catalogue.js';
import { clinicCard } from './clinic-card.js';
import { POLICY_VERSION } from './policy.js';

wireHeader();

const form = $('#callback-form');
const message = $('#message');
const counter = $('#message-count');
const formNotice = $('#form-notice');
const MAX = 1000;
let lastBody = null;
let lastKey = null;

$('#policy-version').textContent = POLICY_VERSION;

// The location is optional, but the list should not stay empty because of one failed request:
// try again a few times (a second apart) before leaving it to "no preference".
function fillLocations(attemptsLeft) {
  loadCatalogue().then(({ locations }) => {
    $('#location').append(...locations.map((l) => option(l.id, l.name)));
    $('#clinics').replaceChildren(...locations.map((l) => clinicCard(l, 'h3')));
    $('#clinics').setAttribute('aria-busy', 'false');
  }).catch(() => {
    if (attemptsLeft > 1) setTimeout(() => fillLocations(attemptsLeft - 1), 1000);
    else {
      $('#clinics').replaceChildren(el('p', { className: 'status', text: 'Our clinic details are temporarily unavailable.' }));
      $('#clinics').setAttribute('aria-busy', 'false');
    }
  });
}
fillLocations(5);

const DAY_NAMES = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const dayWord = (d) => d.charAt(0) + d.slice(1).toLowerCase();

/** 120 → '2 hours', 90 → '1 hour 30 minutes', 45 → '45 minutes'. */
function duration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hs = h ? `${h} hour${h === 1 ? '' : 's'}` : '';
  const ms = m ? `${m} minute${m === 1 ? '' : 's'}` : '';
  return [hs, ms].filter(Boolean).join(' ') || '0 minutes';
}

/** ['MONDAY', …, 'SATURDAY'] → 'Monday to Saturday'; gaps → 'Monday, Wednesday and Friday'. */
function days(list) {
  const idx = [...new Set(list)].map((d) => DAY_NAMES.indexOf(d)).filter((i) => i >= 0).sort((a, b) => a - b);
  if (!idx.length) return '';
  const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1] + 1);
  if (contiguous && idx.length > 2) return `${dayWord(DAY_NAMES[idx[0]])} to ${dayWord(DAY_NAMES[idx[idx.length - 1]])}`;
  const names = idx.map((i) => dayWord(DAY_NAMES[i]));
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// What we promise is what callback-service is configured to measure itself against.
async function showPromise() {
  try {
    const s = await get('/api/callbacks/service-level');
    if (!s || !s.targetMinutes) return;
    const when = s.openingDays && s.openingDays.length && s.opensAt && s.closesAt
      ? ` while our phone lines are open (${days(s.openingDays)}, ${s.opensAt}–${s.closesAt}); requests made outside those hours are answered once we reopen`
      : '';
    $('#promise').textContent = `We aim to call within ${duration(s.targetMinutes)}${when}.`;
  } catch { /* the lead text still reads well without a figure */ }
}
showPromise();

function count() {
  const left = MAX - message.value.length;
  counter.textContent = left >= 0 ? `${left} character${left === 1 ? '' : 's'} left` : `${-left} characters too many`;
  counter.classList.toggle('over', left < 0);
}
message.addEventListener('input', count);
count();

function validate() {
  let first = null;
  const fail = (input, msg) => { setFieldError(input, msg); first = first || input; };
  if (!$('#name').value.trim()) fail($('#name'), 'Enter your name.');
  const phone = $('#phone').value.trim();
  if (!phone) fail($('#phone'), 'Enter a phone number we can call.');
  else if (!/^\+?[0-9 ().-]+$/.test(phone) || phone.replace(/\D/g, '').length < 7) fail($('#phone'), 'Enter a phone number like 0114 496 0000 or +44 114 496 0000.');
  const email = $('#email').value.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail($('#email'), 'Enter an email address like name@example.com, or leave it empty.');
  if (message.value.length > MAX) fail(message, `Please keep your message to ${MAX} characters.`);
  if (!$('#terms').checked) fail($('#terms'), 'Please tick to agree to the terms and privacy policy so we can call you.');
  if (first) first.focus();
  return !first;
}

function body() {
  const b = {
    name: $('#name').value.trim(),
    phone: $('#phone').value.trim(),
    consent: { termsAndPrivacy: $('#terms').checked, policyVersion: POLICY_VERSION },
    marketingOptIn: $('#marketing').checked,
    preferredTime: $('#preferred').value || 'anytime',
    website: $('#website').value,
  };
  const email = $('#email').value.trim();
  if (email) b.email = email;
  if ($('#location').value) b.locationId = $('#location').value;
  if (message.value.trim()) b.message = message.value.trim();
  return b;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearNotice(formNotice);
  if (!validate()) return;
  const b = body();
  const json = JSON.stringify(b);
  if (json !== lastBody) { lastBody = json; lastKey = uuid(); }
  try {
    await busy($('#submit'), 'Sending…', () => post('/api/callbacks', b, { headers: { 'Idempotency-Key': lastKey } }));
    form.hidden = true;
    $('#done-text').textContent = `We’ve got your request, ${b.name}. One of our team will ring ${b.phone}`
      + `${b.preferredTime && b.preferredTime !== 'anytime' ? ` in the ${b.preferredTime}` : ''} as soon as we can.`
      + `${b.email ? ' We’ve also sent a confirmation to your email.' : ''}`;
    $('#done').hidden = false;
    $('#done').focus();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations(form, e.violations);
      notice(formNotice, 'error', 'Please correct the highlighted fields.',
        left.length ? el('ul', {}, ...left.map((m) => el('li', { text: m }))) : null);
    } else {
      notice(formNotice, 'error', describe(e));
    }
  }
});
