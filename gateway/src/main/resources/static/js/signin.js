import { ApiError, describe } from './api.js';
import { homeFor, signIn, session, wireHeader } from './auth.js';
import { $, busy, clearFieldErrors, clearNotice, notice, setFieldError } from './ui.js';

wireHeader();

const params = new URLSearchParams(location.search);
const form = $('#signin-form');
const NEEDS = { 'staff.html': ['STAFF', 'ADMIN'], 'marketing.html': ['MARKETING', 'ADMIN'], 'admin.html': ['ADMIN'] };

if (params.get('denied')) notice($('#page-notice'), 'warn', 'Your account doesn’t have access to that page. Sign in with another account, or choose where to go below.');
else if (params.get('signedout')) notice($('#page-notice'), 'info', 'You’ve signed out.');
else if (params.get('next')) notice($('#page-notice'), 'info', 'Please sign in to continue.');

/** Only pages of this site, and only those the user may open. */
function safeNext(roles) {
  const next = params.get('next') || '';
  const page = next.split('?')[0];
  if (!/^[a-z-]+\.html$/.test(page)) return null;
  const need = NEEDS[page];
  return !need || roles.some((r) => need.includes(r)) ? next : null;
}

function go(s) {
  const target = safeNext(s.roles) || homeFor(s.roles);
  if (target) { location.assign(target); return; }
  showChoice(s.roles);
}

function showChoice(roles) {
  $('#go-staff').hidden = !roles.some((r) => NEEDS['staff.html'].includes(r));
  $('#go-marketing').hidden = !roles.some((r) => NEEDS['marketing.html'].includes(r));
  $('#go-admin').hidden = !roles.some((r) => NEEDS['admin.html'].includes(r));
  form.hidden = true;
  $('#choice').hidden = false;
  $('#choice').focus();
  wireHeader();
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearNotice($('#form-notice'));
  const username = $('#username').value.trim();
  const password = $('#password').value;
  if (!username) setFieldError($('#username'), 'Enter your email address.');
  if (!password) setFieldError($('#password'), 'Enter your password.');
  if (!username || !password) { (username ? $('#password') : $('#username')).focus(); return; }
  try {
    // The gateway sets an HttpOnly session cookie; this page never sees a token.
    const s = await busy($('#submit'), 'Signing in…', () => signIn(username, password));
    go(s);
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(e.status || 0, e.problem, e.retryAfter);
    notice($('#form-notice'), 'error', describe(err));
    if (err.code === 'bad_credentials') { $('#password').value = ''; $('#password').focus(); }
  }
});

const current = session();
if (current && !params.get('denied') && !params.get('next')) showChoice(current.roles);
