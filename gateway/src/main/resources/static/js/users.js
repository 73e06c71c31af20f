// Users tab of the administration area (ADMIN): staff accounts, invitations, roles, disabling.
// CONTRACT.md 1.1 "Staff accounts and sign-in".
import { ApiError, describe, get, post, request } from './api.js';
import { $, $$, busy, clearFieldErrors, clearNotice, el, notice, setFieldError, showViolations } from './ui.js';

const ROLES = ['STAFF', 'MARKETING', 'ADMIN'];
const ROLE_NAME = { STAFF: 'Staff', MARKETING: 'Marketing', ADMIN: 'Admin' };
const auth = { auth: true };
const enc = encodeURIComponent;

async function load() {
  const status = $('#users-status');
  status.textContent = 'Loading users…';
  try {
    const users = await get('/api/admin/users', auth);
    render(users);
    status.textContent = `${users.length} user${users.length === 1 ? '' : 's'}.`;
  } catch (e) {
    status.textContent = describe(e);
  }
}

function render(users) {
  const body = $('#users-body');
  body.replaceChildren(...users.map(row));
  $('#users-wrap').hidden = users.length === 0;
}

function row(u) {
  const boxes = ROLES.map((r) => el('label', {},
    el('input', { type: 'checkbox', value: r, checked: u.roles.includes(r), disabled: u.disabled,
      'aria-label': `${ROLE_NAME[r]} role for ${u.email}` }), ` ${ROLE_NAME[r]}`));
  const save = el('button', { type: 'button', className: 'secondary', text: 'Save roles', disabled: u.disabled });
  const disable = el('button', { type: 'button', className: 'secondary', text: 'Disable', disabled: u.disabled });
  const msg = el('span', { className: 'field-error', role: 'status' });
  const tr = el('tr', {},
    el('td', { text: u.email }), el('td', { text: u.name }),
    el('td', {}, el('div', { role: 'group', 'aria-label': `Roles of ${u.email}` }, ...boxes)),
    el('td', { text: u.disabled ? 'Disabled' : 'Active' }),
    el('td', {}, save, ' ', disable, msg));
  save.addEventListener('click', async () => {
    const roles = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    msg.textContent = '';
    if (roles.length === 0) { msg.textContent = 'Choose at least one role.'; return; }
    try {
      await busy(save, 'Saving…', () => request('PUT', `/api/admin/users/${enc(u.id)}`, { ...auth, body: { roles } }));
      msg.textContent = 'Saved.';
    } catch (e) { msg.textContent = describe(e); }
  });
  disable.addEventListener('click', async () => {
    if (!confirm(`Disable ${u.email}? They will not be able to sign in.`)) return;
    try {
      await busy(disable, 'Disabling…', () => post(`/api/admin/users/${enc(u.id)}/disable`, {}, auth));
      await load();
    } catch (e) { msg.textContent = describe(e); }
  });
  return tr;
}

$('#invite-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  clearNotice($('#invite-notice'));
  const email = $('#inv-email').value.trim();
  const name = $('#inv-name').value.trim();
  const roles = $$('input[name="inv-role"]:checked', form).map((i) => i.value);
  let bad = false;
  if (!email) { setFieldError($('#inv-email'), 'Enter their email address.'); bad = true; }
  if (!name) { setFieldError($('#inv-name'), 'Enter their name.'); bad = true; }
  if (roles.length === 0) { $('#inv-roles-error').textContent = 'Choose at least one role.'; bad = true; }
  if (bad) { form.querySelector('[aria-invalid="true"], input')?.focus(); return; }
  try {
    await busy($('#invite-submit'), 'Sending…', () => post('/api/admin/users', { email, name, roles }, auth));
    notice($('#invite-notice'), 'info', `Invitation sent to ${email}.`);
    form.reset();
    await load();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'validation_failed') showViolations(form, e.violations);
    else if (e instanceof ApiError && e.code === 'user_exists') setFieldError($('#inv-email'), 'There is already an account for that address.');
    else notice($('#invite-notice'), 'error', describe(e));
  }
});

load();
