// The signed-in user. The credential is the gateway's session cookie (HttpOnly: no script here can
// read it); this module keeps no token. What it keeps:
//  - in this tab's sessionStorage, only who is signed in and their roles, so the header can show
//    the staff links at once on any page (display only: the server decides what they may do);
//  - in memory, the session as GET /api/auth/session describes it, including the CSRF token that
//    writes must echo (X-CSRF-Token) and when the session ends.
const KEY = 'clinic.session';
const SESSION = '/api/auth/session';
const JSON_ACCEPT = 'application/json, application/problem+json';

let current = null; // { username, roles, csrfToken, expiresAt, idleExpiresAt, idleTimeoutSeconds }

/** Who is signed in, as last known in this tab ({username, roles}), or null. Display only. */
export function session() {
  if (current) return { username: current.username, roles: current.roles };
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    return s && Array.isArray(s.roles) ? { username: s.username, roles: s.roles } : null;
  } catch {
    return null;
  }
}

function remember(s) {
  current = {
    username: s.username,
    roles: Array.isArray(s.roles) ? s.roles : [],
    csrfToken: s.csrfToken,
    expiresAt: Date.parse(s.expiresAt) || null,
    idleExpiresAt: Date.parse(s.idleExpiresAt) || null,
    idleTimeoutSeconds: s.idleTimeoutSeconds || null,
  };
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ username: current.username, roles: current.roles }));
  } catch { /* private mode: the header learns it from the server on each page */ }
  return session();
}

// Who was signed in on this page, kept when the session ends so "sign in again" can offer the name.
let lastUsername = '';

function forget() {
  const s = session();
  if (s && s.username) lastUsername = s.username;
  current = null;
  try { sessionStorage.removeItem(KEY); } catch { /* nothing kept */ }
}

/** Asks the gateway who is signed in (this also counts as use: the idle timeout starts again). */
export async function loadSession() {
  let res;
  try {
    res = await fetch(SESSION, { headers: { Accept: JSON_ACCEPT }, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return session(); // offline: keep what we knew; the next request will tell
  }
  if (res.status === 401) {
    forget();
    if (watching) showEnded(); // a staff page in use: say so now, not at the next click
    return null;
  }
  if (!res.ok) return session();
  const s = remember(await res.json());
  noteUse();
  return s;
}

/**
 * Signs in (POST /api/auth/session): the gateway sets the cookie; the answer says who and which
 * roles. Throws {status, problem, retryAfter} on failure for the caller to describe.
 */
export async function signIn(username, password) {
  const res = await fetch(SESSION, {
    method: 'POST',
    headers: { Accept: JSON_ACCEPT, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = new Error((data && (data.detail || data.title)) || `HTTP ${res.status}`);
    err.status = res.status;
    err.problem = data || {};
    err.retryAfter = Number(res.headers.get('Retry-After')) || null;
    throw err;
  }
  const s = remember(data);
  noteUse();
  return s;
}

/** Ends the session on the server (the cookie is cleared there) and forgets it here. */
export async function signOut() {
  const headers = { Accept: JSON_ACCEPT, ...csrfHeader() };
  forget();
  lastUsername = '';
  try {
    await fetch(SESSION, { method: 'DELETE', headers, credentials: 'same-origin', cache: 'no-store' });
  } catch { /* offline: the session ends by itself */ }
}

/** The header a cookie-authenticated write must carry, when this page knows the token. */
export function csrfHeader() {
  return current && current.csrfToken ? { 'X-CSRF-Token': current.csrfToken } : {};
}

export function hasRole(...roles) {
  const s = session();
  return !!s && s.roles.some((r) => roles.includes(r));
}

/** The page for a signed-in user: STAFF → board, MARKETING → offers, ADMIN → choice (null). */
export function homeFor(roles) {
  if (roles.includes('ADMIN')) return null;
  if (roles.includes('STAFF')) return 'staff.html';
  if (roles.includes('MARKETING')) return 'marketing.html';
  return null;
}

/**
 * Sends the visitor to sign in unless the gateway says they hold one of the roles; resolves to
 * the session ({username, roles}), or null when leaving the page. Staff pages await it first.
 */
export async function requireRole(...roles) {
  const s = await loadSession();
  if (!s || !s.roles.some((r) => roles.includes(r))) {
    const next = location.pathname.replace(/^\//, '') + location.search;
    location.replace(`signin.html?next=${encodeURIComponent(next)}${s ? '&denied=1' : ''}`);
    return null;
  }
  watchSession();
  return s;
}

// ------------------------------------------------------------------ signing in again, in place

let reauthInFlight = null;

/**
 * The session has ended while a page was in use: asks for the password in a dialog, on this page,
 * so what the user was doing is not lost. Resolves true once signed in again (the caller then
 * repeats its request), false if the user chose not to. One dialog however many requests wait.
 */
export function reauthenticate(reason) {
  if (!reauthInFlight) {
    reauthInFlight = showReauthDialog(reason).finally(() => { reauthInFlight = null; });
  }
  return reauthInFlight;
}

function field(id, labelText, attrs) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = labelText;
  const input = document.createElement('input');
  input.id = id;
  Object.assign(input, attrs);
  input.setAttribute('aria-describedby', `${id}-error`);
  const error = document.createElement('span');
  error.className = 'field-error';
  error.id = `${id}-error`;
  wrap.append(label, input, error);
  return { wrap, input, error };
}

function showReauthDialog(reason) {
  return new Promise((resolve) => {
    const known = session();
    const dialog = document.createElement('dialog');
    dialog.className = 'dialog';
    dialog.id = 'reauth-dialog';
    dialog.setAttribute('aria-labelledby', 'reauth-heading');
    dialog.setAttribute('aria-describedby', 'reauth-text');
    const form = document.createElement('form');
    form.noValidate = true;
    const h = document.createElement('h2');
    h.id = 'reauth-heading';
    h.textContent = 'Sign in again to continue';
    const p = document.createElement('p');
    p.id = 'reauth-text';
    p.textContent = reason || 'Your session has ended. Sign in again and we’ll finish what you were doing.';
    const user = field('reauth-username', 'Email address', { type: 'email', autocomplete: 'username', value: (known && known.username) || lastUsername });
    const pass = field('reauth-password', 'Password', { type: 'password', autocomplete: 'current-password' });
    const note = document.createElement('div');
    note.className = 'notice';
    note.id = 'reauth-notice';
    note.setAttribute('role', 'alert');
    note.hidden = true;
    const actions = document.createElement('div');
    actions.className = 'actions';
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.id = 'reauth-submit';
    submit.textContent = 'Sign in';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'secondary';
    cancel.id = 'reauth-cancel';
    cancel.textContent = 'Not now';
    actions.append(submit, cancel);
    form.append(h, p, user.wrap, pass.wrap, note, actions);
    dialog.append(form);
    document.body.append(dialog);

    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(ok);
    };
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', () => finish(false)); // Escape
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      for (const f of [user, pass]) { f.error.textContent = ''; f.input.removeAttribute('aria-invalid'); }
      note.hidden = true;
      const username = user.input.value.trim();
      const password = pass.input.value;
      const missing = [[user, !username, 'Enter your email address.'], [pass, !password, 'Enter your password.']].filter((x) => x[1]);
      for (const [f, , msg] of missing) { f.error.textContent = msg; f.input.setAttribute('aria-invalid', 'true'); }
      if (missing.length) { missing[0][0].input.focus(); return; }
      submit.disabled = true;
      submit.textContent = 'Signing in…';
      try {
        await signIn(username, password);
        finish(true);
      } catch (e) {
        submit.disabled = false;
        submit.textContent = 'Sign in';
        note.className = 'notice error';
        note.hidden = false;
        note.textContent = e.status === 401 ? 'That email address and password don’t match. Please try again.'
          : e.status === 429 ? `Too many attempts in a short time — please try again in ${e.retryAfter || 30} seconds.`
            : e.status === undefined ? 'We couldn’t reach the clinic. Please check your connection and try again.'
              : 'Something went wrong. Please try again.';
        pass.input.value = '';
        pass.input.focus();
      }
    });
    dialog.showModal();
    (user.input.value ? pass.input : user.input).focus();
  });
}

// ------------------------------------------------------------------ keeping a page's session alive

const WARN_BEFORE_MS = 2 * 60 * 1000;
const PING_AT_MOST_EVERY_MS = 60 * 1000;
let lastUse = 0;
let lastPing = 0;
let watching = false;

/** A request the server answered as signed in: the idle timeout started again there. */
export function noteUse() {
  lastUse = Date.now();
}

/** When the session ends if nothing more is done: the earlier of the idle end and the absolute end. */
function endsAt() {
  if (!current) return null;
  // The server writes last use at most every half minute: count from a little before our last use.
  const idleEnd = current.idleTimeoutSeconds ? lastUse + current.idleTimeoutSeconds * 1000 - 60 * 1000 : current.idleExpiresAt;
  const ends = [idleEnd, current.expiresAt].filter(Boolean);
  return ends.length ? Math.min(...ends) : null;
}

function warningBox() {
  let box = document.getElementById('session-warning');
  if (!box) {
    box = document.createElement('div');
    box.id = 'session-warning';
    box.className = 'notice warn session-warning';
    box.setAttribute('role', 'alert');
    box.hidden = true;
    const main = document.getElementById('main') || document.body;
    main.prepend(box);
  }
  return box;
}

function hideWarning() {
  const box = document.getElementById('session-warning');
  if (box) { box.hidden = true; box.replaceChildren(); box.dataset.kind = ''; }
}

function showWarning(kind, text, buttonText, onClick) {
  const box = warningBox();
  if (box.dataset.kind === kind && !box.hidden) {
    box.querySelector('p').textContent = text; // the minutes left, without stealing focus again
    return;
  }
  box.dataset.kind = kind;
  const p = document.createElement('p');
  p.textContent = text;
  const b = document.createElement('button');
  b.type = 'button';
  b.id = 'session-warning-action';
  b.textContent = buttonText;
  b.addEventListener('click', onClick);
  box.replaceChildren(p, b);
  box.hidden = false;
}

async function stayOrSignInAgain() {
  const before = current && current.expiresAt;
  const idleLimited = current && endsAt() !== current.expiresAt;
  if (idleLimited) {
    const s = await loadSession();
    if (s) { hideWarning(); check(); return; }
  }
  // The absolute lifetime cannot be stretched: a new sign-in gives a new session.
  if (await reauthenticate('Sign in again to keep working; nothing on this page is lost.')) {
    hideWarning();
    if (current && current.expiresAt !== before) check();
  }
}

function showEnded() {
  showWarning('ended', 'Your session has ended. Sign in again to carry on; nothing on this page is lost.', 'Sign in again', stayOrSignInAgain);
}

function check() {
  const end = endsAt();
  if (!end) return;
  const left = end - Date.now();
  if (left <= 0) {
    showEnded();
  } else if (left <= WARN_BEFORE_MS) {
    const minutes = Math.max(1, Math.ceil(left / 60000));
    const absolute = current && current.expiresAt && end === current.expiresAt;
    showWarning(absolute ? 'absolute' : 'idle',
      `Your session ends in about ${minutes} minute${minutes === 1 ? '' : 's'}${absolute ? ' (sessions last at most a working day)' : ' unless you carry on'}.`,
      absolute ? 'Sign in again' : 'Stay signed in', stayOrSignInAgain);
  } else {
    hideWarning();
  }
}

/**
 * While a staff page is in use (keys, pointer, focus), the session is renewed: at most once a
 * minute a GET /api/auth/session starts the idle timeout again. Two minutes before the session
 * would end, a warning says so, with "Stay signed in" (idle) or "Sign in again" (absolute end).
 */
export function watchSession() {
  if (watching) return;
  watching = true;
  noteUse();
  const onUse = () => {
    const now = Date.now();
    if (now - lastPing < PING_AT_MOST_EVERY_MS || !current) return;
    lastPing = now;
    loadSession().then((s) => { if (s) check(); });
  };
  for (const type of ['keydown', 'pointerdown', 'focusin']) document.addEventListener(type, onUse, { passive: true, capture: true });
  setInterval(check, 10000);
}

// The staff pages, each with the roles that may open it, linked from the header once signed in.
const STAFF_PAGES = [
  ['staff.html', 'Callback board', ['STAFF', 'ADMIN']],
  ['diary.html', 'Diary', ['STAFF', 'ADMIN']],
  ['marketing.html', 'Offers', ['MARKETING', 'ADMIN']],
  ['admin.html', 'Administration', ['ADMIN']],
];

/**
 * Shows the signed-in user's pages and a sign-out button in the header, where the page has a
 * slot for it.
 */
export function wireHeader() {
  const slot = document.getElementById('account');
  if (!slot) return;
  const s = session();
  for (const old of document.querySelectorAll('li[data-staff-link]')) old.remove();
  if (s) {
    const here = location.pathname.replace(/^\//, '');
    for (const [href, text, roles] of STAFF_PAGES) {
      if (!s.roles.some((r) => roles.includes(r))) continue;
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      if (href === here) a.setAttribute('aria-current', 'page');
      const li = document.createElement('li');
      li.dataset.staffLink = href;
      li.append(a);
      slot.before(li);
    }
  }
  slot.replaceChildren();
  if (!s) {
    const a = document.createElement('a');
    a.href = 'signin.html';
    a.textContent = 'Staff sign-in';
    slot.append(a);
    return;
  }
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'link';
  b.textContent = `Sign out (${s.username || 'staff'})`;
  b.addEventListener('click', async () => {
    b.disabled = true;
    if (!current) await loadSession(); // the CSRF token, on a page that had not asked yet
    await signOut();
    location.href = 'signin.html?signedout=1';
  });
  slot.append(b);
}
