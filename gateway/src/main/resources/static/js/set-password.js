import { ApiError, describe, post } from './api.js';
import { wireHeader } from './auth.js';
import { $, busy, clearFieldErrors, clearNotice, notice, setFieldError } from './ui.js';

wireHeader();

// The link's token: single use, so it is sent only when the person presses the button (a mail
// scanner that opens the link uses nothing up).
const token = new URLSearchParams(location.search).get('token');
const form = $('#password-form');
const resetForm = $('#reset-form');

if (token) {
  form.hidden = false;
} else {
  $('#heading').textContent = 'Reset your password';
  resetForm.hidden = false;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearNotice($('#form-notice'));
  const password = $('#password').value;
  if (password.length < 12) { setFieldError($('#password'), 'Use at least 12 characters.'); $('#password').focus(); return; }
  if ($('#repeat').value !== password) { setFieldError($('#repeat'), 'The two passwords differ.'); $('#repeat').focus(); return; }
  try {
    await busy($('#submit'), 'Saving…', () => post('/api/auth/password', { token, password }));
    form.hidden = true;
    notice($('#page-notice'), 'info', 'Your password is saved. ', Object.assign(document.createElement('a'),
      { href: 'signin.html', textContent: 'Sign in' }));
    $('#page-notice').focus?.();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'weak_password') {
      setFieldError($('#password'), e.message || 'Choose a stronger password.');
      $('#password').focus();
    } else if (e instanceof ApiError && e.code === 'invalid_token') {
      notice($('#form-notice'), 'error', 'This link has been used or has expired. Ask for a new one below.');
      resetForm.hidden = false;
    } else {
      notice($('#form-notice'), 'error', describe(e));
    }
  }
});

resetForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(resetForm);
  clearNotice($('#reset-notice'));
  const email = $('#email').value.trim();
  if (!email) { setFieldError($('#email'), 'Enter your email address.'); $('#email').focus(); return; }
  try {
    await busy($('#reset-submit'), 'Sending…', () => post('/api/auth/password-reset', { email }));
    resetForm.hidden = true;
    notice($('#page-notice'), 'info', 'If that address has an account, a link is on its way. Check your inbox.');
  } catch (e) {
    notice($('#reset-notice'), 'error', describe(e));
  }
});
