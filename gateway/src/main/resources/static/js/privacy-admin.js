// Privacy tab of the administration area (ADMIN): a subject access look-up and an erasure with a
// confirm step and its progress per service. CONTRACT.md 1.1 "Privacy"; docs/privacy.md.
import { ApiError, describe, get, post, query } from './api.js';
import { $, busy, clearFieldErrors, clearNotice, el, notice, setFieldError, showViolations } from './ui.js';

const auth = { auth: true };
const SERVICE_NAME = {
  'booking-service': 'Bookings', 'callback-service': 'Callbacks',
  'notification-service': 'Mail, reminders and newsletter', 'offer-service': 'Promo codes',
};
// Loose on purpose, as the server's own check: the server has the last word.
const looksLikeEmail = (s) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s);

// ------------------------------------------------------------------ look-up (export)
$('#export-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  const email = $('#ex-email').value.trim();
  const status = $('#export-status');
  const counts = $('#export-counts');
  counts.hidden = true;
  if (!looksLikeEmail(email)) {
    setFieldError($('#ex-email'), 'Enter an email address, like name@example.com.');
    $('#ex-email').focus();
    return;
  }
  status.textContent = 'Looking…';
  try {
    const x = await busy($('#export-submit'), 'Looking…',
      () => get(`/api/admin/privacy/export${query({ email })}`, auth));
    const rows = [
      ['Bookings', x.bookings.length], ['Callback requests', x.callbacks.length], ['Consents', x.consents.length],
      // The export's newsletter is an empty object when there is no subscription.
      ['Newsletter', x.newsletter && x.newsletter.status ? x.newsletter.status.toLowerCase() : 'not subscribed'],
      ['Messages', x.notifications.length],
    ];
    counts.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
    counts.hidden = false;
    const none = !x.bookings.length && !x.callbacks.length && !x.notifications.length && !(x.newsletter && x.newsletter.status);
    status.textContent = none ? `Nothing is held about ${email}.` : `What is held about ${email}:`;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'validation_failed') {
      status.textContent = '';
      showViolations(form, e.violations);
    } else {
      status.textContent = `We couldn’t look that up. ${describe(e)}`;
    }
  }
});

// ------------------------------------------------------------------ erasure
const eraseForm = $('#erase-form');
const confirmBox = $('#erase-confirm');
let polling = null;

eraseForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearFieldErrors(eraseForm);
  clearNotice($('#erase-notice'));
  const email = $('#er-email').value.trim();
  if (!looksLikeEmail(email)) {
    setFieldError($('#er-email'), 'Enter an email address, like name@example.com.');
    $('#er-email').focus();
    return;
  }
  // The confirm step: nothing is sent until the admin says yes to this address.
  $('#erase-confirm-text').textContent = `Erase everything held about ${email}? This cannot be undone.`;
  confirmBox.hidden = false;
  $('#erase-confirm-yes').focus();
});

$('#erase-confirm-no').addEventListener('click', () => {
  confirmBox.hidden = true;
  $('#erase-submit').focus();
});

confirmBox.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') $('#erase-confirm-no').click();
});

$('#erase-confirm-yes').addEventListener('click', async () => {
  const email = $('#er-email').value.trim();
  const reason = $('#er-reason').value.trim();
  confirmBox.hidden = true;
  try {
    const body = reason ? { email, reason } : { email };
    const accepted = await busy($('#erase-submit'), 'Sending…', () => post('/api/admin/privacy/erasure', body, auth));
    $('#erase-status').textContent = `Erasure ${accepted.id} requested; the services are erasing their part…`;
    $('#er-email').value = '';
    $('#er-reason').value = '';
    follow(accepted.id);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations(eraseForm, e.violations);
      if (left.length) notice($('#erase-notice'), 'error', left.join(' '));
    } else {
      notice($('#erase-notice'), 'error', `The erasure was not requested. ${describe(e)}`);
    }
  }
});

/** Shows the status per service, asking again every two seconds until every service has reported. */
function follow(id) {
  if (polling) clearTimeout(polling);
  const list = $('#erase-services');
  const tick = async () => {
    try {
      const s = await get(`/api/admin/privacy/erasure/${encodeURIComponent(id)}`, auth);
      list.replaceChildren(...Object.entries(s.services).map(([service, state]) =>
        el('li', { dataset: { service } }, `${SERVICE_NAME[service] || service}: ${state === 'DONE' ? 'erased' : 'waiting'}`)));
      list.hidden = false;
      if (s.status === 'DONE') {
        $('#erase-status').textContent = 'Done: every service has erased its part.';
        polling = null;
        return;
      }
      const waiting = Object.entries(s.services).filter(([, st]) => st !== 'DONE').map(([sv]) => SERVICE_NAME[sv] || sv);
      $('#erase-status').textContent = `Erasing… still waiting for: ${waiting.join(', ')}.`;
    } catch (e) {
      $('#erase-status').textContent = `We couldn’t read the erasure’s progress; trying again. ${describe(e)}`;
    }
    polling = setTimeout(tick, 2000);
  };
  tick();
}
