import { ApiError, describe, post } from './api.js';
import { wireHeader } from './auth.js';
import { $, busy, clearFieldErrors, clearNotice, notice, setFieldError, showViolations } from './ui.js';

wireHeader();

const form = $('#newsletter-form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearNotice($('#form-notice'));
  const email = $('#email').value.trim();
  let first = null;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { setFieldError($('#email'), 'Enter an email address like name@example.com.'); first = $('#email'); }
  if (!$('#consent').checked) { setFieldError($('#consent'), 'Please tick the box so we may email you.'); first = first || $('#consent'); }
  if (first) { first.focus(); return; }
  try {
    await busy($('#submit'), 'Signing up…', () => post('/api/newsletter/subscriptions', { email, consent: true }));
    form.hidden = true;
    $('#done').hidden = false;
    $('#done').focus();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const left = showViolations(form, e.violations);
      notice($('#form-notice'), 'error', 'Please correct the highlighted fields.', ...left.map((m) => ` ${m}`));
    } else {
      notice($('#form-notice'), 'error', describe(e));
    }
  }
});
