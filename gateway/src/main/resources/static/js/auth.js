// The signed-in user, kept for this browser tab only (sessionStorage).
const KEY = 'clinic.session';

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (!s || !s.accessToken) return null;
    if (s.expiresAt && Date.now() > s.expiresAt) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(login, username) {
  const s = {
    accessToken: login.accessToken,
    roles: Array.isArray(login.roles) ? login.roles : [],
    username,
    expiresAt: login.expiresIn ? Date.now() + login.expiresIn * 1000 : null,
  };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export function authHeader() {
  const s = session();
  return s ? { Authorization: `Bearer ${s.accessToken}` } : {};
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

/** Sends the visitor to sign in unless they hold one of the roles; returns the session. */
export function requireRole(...roles) {
  const s = session();
  if (!s || !s.roles.some((r) => roles.includes(r))) {
    const next = location.pathname.replace(/^\//, '') + location.search;
    location.replace(`signin.html?next=${encodeURIComponent(next)}${s ? '&denied=1' : ''}`);
    return null;
  }
  return s;
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
  b.addEventListener('click', () => {
    signOut();
    location.href = 'signin.html?signedout=1';
  });
  slot.append(b);
}
