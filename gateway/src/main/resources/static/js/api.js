// Talking to the public API: JSON in and out, RFC 9457 problems turned into ApiError with a
// plain-English message and the way forward.
import { csrfHeader, loadSession, noteUse, reauthenticate } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.code = (problem && problem.code) || (status === 0 ? 'network_error' : `http_${status}`);
    this.violations = Array.isArray(problem && problem.violations) ? problem.violations : [];
    this.retryAfter = retryAfter;
  }
}

function retryAfterSeconds(res) {
  const h = res.headers.get('Retry-After');
  if (!h) return null;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
  const when = Date.parse(h);
  return Number.isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
}

/**
 * request('GET', '/api/offers') → parsed JSON (or null for an empty body).
 * options: body (object, sent as JSON), headers, auth (a signed-in user's call), signal, keepalive.
 * The session cookie goes with every request (same origin); writes carry the session's CSRF token.
 * A signed-in call that finds the session ended asks the user to sign in again on the page and then
 * repeats itself, so an action started is not lost; if they decline, it fails with sessionExpired.
 * Throws ApiError for anything but 2xx, and for network failures (status 0).
 */
export async function request(method, path, options = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...(options.headers || {}) };
  if (method !== 'GET' && method !== 'HEAD') Object.assign(headers, csrfHeader());
  const init = { method, headers, signal: options.signal, credentials: 'same-origin', cache: 'no-store' };
  // keepalive: the request outlives the page (an action sent as the page is left).
  if (options.keepalive) init.keepalive = true;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: String(e && e.message || e) });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (res.ok) {
    if (options.auth) noteUse();
    return data;
  }
  const err = new ApiError(res.status, data, retryAfterSeconds(res));
  if (options.auth && !options.repeated) {
    if (res.status === 401 && await reauthenticate()) return request(method, path, { ...options, repeated: true });
    // A new session in another tab replaced the token this page knew: learn it, try once more.
    if (err.code === 'csrf_token_invalid' && await loadSession()) return request(method, path, { ...options, repeated: true });
  }
  if (res.status === 401 && options.auth) err.sessionExpired = true;
  throw err;
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });

/** Builds a query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const PLAIN = {
  slot_unavailable: 'That time was just taken — please pick another slot.',
  promo_code_unknown: 'We don’t recognise that promo code — please check the spelling, or book without it.',
  promo_code_expired: 'This promo code has expired — you can still book without it.',
  promo_code_not_applicable: 'This promo code doesn’t cover this treatment, location or date — you can book without it.',
  promo_code_exhausted: 'This code has been fully used — you can still book without it.',
  promo_code_already_used: 'You’ve already used this code — you can still book without it.',
  offers_unavailable: 'Promo codes are temporarily unavailable — book without the code, or try again in a minute.',
  too_late_to_cancel: 'Bookings can only be cancelled online up to 24 hours before the start. Please phone the clinic and we’ll help.',
  already_claimed: 'Someone else has already claimed this callback.',
  claimed_by_other: 'This callback is being handled by a colleague.',
  bad_credentials: 'That email address and password don’t match. Please try again.',
  offer_code_taken: 'That code is already used by another offer at the same time — choose a different code.',
  offer_not_scheduled: 'This offer has already started or ended, so it can no longer be edited. End it and launch a corrected one instead.',
  idempotency_key_reused: 'Something changed while we were sending your request — please try again.',
  malformed_request: 'Something went wrong sending the form — please try again.',
  not_found: 'We couldn’t find that. Please check the link.',
  network_error: 'We couldn’t reach the clinic. Please check your connection and try again.',
  validation_failed: 'Please correct the highlighted fields.',
};

/** A short plain-English sentence for an error, with the way forward. */
export function describe(err) {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (err.code === 'rate_limited' || err.status === 429) {
    const s = err.retryAfter || 30;
    return `Too many attempts in a short time — please try again in ${s} second${s === 1 ? '' : 's'}.`;
  }
  if (PLAIN[err.code]) return PLAIN[err.code];
  if (err.status === 503 || /_unavailable$/.test(err.code)) {
    return 'This part of the service is temporarily unavailable. Please try again in a minute.';
  }
  if (err.status === 401) return 'Your session has ended — please sign in again.';
  if (err.status === 403) return 'Your account doesn’t have access to this.';
  if (err.status === 413) return 'That’s too much text to send — please shorten it.';
  if (err.status >= 500) return 'Something went wrong on our side. Please try again in a minute.';
  return err.problem.detail || err.problem.title || 'Something went wrong. Please try again.';
}

/** A random UUID for Idempotency-Key headers (crypto.randomUUID needs a secure context). */
export function uuid() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    try { return crypto.randomUUID(); } catch { /* not a secure context: fall through */ }
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
