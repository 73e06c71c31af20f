import { ApiError, describe, post, uuid } from './api.js';
import { wireHeader } from './auth.js';
import { $, busy, clearFieldErrors, clearNotice, el, notice, option, setFieldError, showViolations } from './ui.js';
import { loadCatalogue } from './catalogue.js';

wireHeader();

const form = $('#callback-form');
const message = $('#message');
const counter = $('#message-count');
const formNotice = $('#form-notice');
const MAX = 1000;
let lastBody = null;
let lastKey = null;

// The location is optional, but the list should not stay empty because of one failed request:
// try again a few times (a second apart) before leaving it to "no preference".
function fillLocations(attemptsLeft) {
  loadCatalogue().then(({ locations }) => {
    $('#location').append(...locations.map((l) => option(l.id, l.name)));
  }).catch(() => {
    if (attemptsLeft > 1) setTimeout(() => fillLocations(attemptsLeft - 1), 1000);
  });
}
fillLocations(5);

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
    consent: { termsAndPrivacy: $('#terms').checked, policyVersion: '2026-01' },
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
