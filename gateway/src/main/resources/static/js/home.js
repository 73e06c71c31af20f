import { get } from './api.js';
import { wireHeader } from './auth.js';
import { formatLongDate, londonDate, offerAmount, offerWindow } from './format.js';
import { el } from './ui.js';
import { offerScope } from './promo.js';

wireHeader();

const DAY_MS = 86400000;


/**
 * When the offer's appointments can be booked, by booking-service's own rules: the latest
 * bookable start is now + horizon, the earliest now + minimum notice. Returns
 * {bookable: true, firstDay} or {bookable: false, opensAt} (window start minus horizon), or null
 * when the rules are unknown (then nothing is promised either way).
 */
export function bookability(offer, rules, now = Date.now()) {
  if (!rules || !Number.isFinite(rules.horizonDays)) return null;
  const start = new Date(offer.startsAt).getTime();
  const end = new Date(offer.endsAt).getTime();
  const earliest = Math.max(start, now + (rules.minimumNoticeMinutes || 0) * 60000);
  const latest = now + rules.horizonDays * DAY_MS;
  if (earliest < end && earliest <= latest) return { bookable: true, firstDay: londonDate(earliest) };
  if (earliest >= end) return { bookable: false, over: true };
  return { bookable: false, opensAt: start - rules.horizonDays * DAY_MS };
}

/** book.html on a treatment the offer covers, its clinic when it names one, and its first bookable day. */
function bookingLink(offer, firstDay, treatments) {
  const p = new URLSearchParams({ code: offer.code, date: firstDay });
  const t = offer.treatmentIds && offer.treatmentIds.length ? offer.treatmentIds[0]
    : (treatments.find((x) => x.category === offer.treatmentCategory) || {}).id;
  if (t) p.set('treatmentId', t);
  if (offer.locationIds && offer.locationIds.length === 1) p.set('locationId', offer.locationIds[0]);
  return `book.html?${p}`;
}

function banner(offer, rules, treatments, locations) {
  const live = offer.status === 'LIVE';
  const amount = offerAmount(offer);
  const when = bookability(offer, rules);
  const dates = offerWindow(offer);
  let booking;
  let action = null;
  if (!when) {
    booking = '.';
    action = el('a', { href: `book.html?code=${encodeURIComponent(offer.code)}`, text: `Book with ${offer.code}` });
  } else if (when.bookable) {
    booking = live ? '.' : ' — you can book now.';
    action = el('a', { className: 'book-offer', href: bookingLink(offer, when.firstDay, treatments), text: `Book with ${offer.code}` });
  } else if (when.opensAt) {
    booking = '.';
    action = el('span', { className: 'opens', text: `Booking for these appointments opens on ${formatLongDate(when.opensAt)}.` });
  } else {
    booking = ' — this offer has no bookable times left.';
  }
  return el('article', { className: 'offer-banner', dataset: { code: offer.code, status: offer.status } },
    el('h2', {},
      el('span', { className: 'offer-title', text: offer.title }), ' ',
      el('span', { className: `pill ${live ? 'live' : 'scheduled'}`, text: live ? 'On now' : 'Coming up' })),
    amount ? el('p', { className: 'offer-scope' }, el('strong', { text: amount }), ` ${offerScope(offer, { locations, treatments })}`) : null,
    offer.description ? el('p', { className: 'offer-description', text: offer.description }) : null,
    el('p', { className: 'offer-terms' }, 'Use code ', el('span', { className: 'offer-code', text: offer.code }),
      ` for appointments ${dates.includes(' to ') ? 'from ' : 'on '}${dates}`, booking),
    action ? el('p', {}, action) : null);
}

async function loadOffers() {
  const box = document.getElementById('offers');
  try {
    const [offers, rules, treatments, locations] = await Promise.all([
      get('/api/offers'),
      get('/api/booking-rules').catch(() => null),
      get('/api/treatments').catch(() => []),
      get('/api/locations').catch(() => []),
    ]);
    // A used-up offer (every place taken) would only be refused at booking: not advertised.
    const shown = (offers || []).filter((o) => (o.status === 'LIVE' || o.status === 'SCHEDULED') && !o.usedUp)
      .sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    box.replaceChildren(...(shown.length
      ? shown.map((o) => banner(o, rules, treatments || [], locations || []))
      : [el('p', { className: 'status', text: 'No offers just now — book at our usual prices any time.' })]));
    retryIn = 5000;
    return true;
  } catch {
    box.replaceChildren(el('p', { className: 'status', text: 'Current offers are temporarily unavailable. You can still book as usual.' }));
    return false;
  } finally {
    box.setAttribute('aria-busy', 'false');
  }
}

// Offers go live and end by themselves: refresh every minute. A failed load (a busy moment, a
// restart) is tried again soon rather than leaving "unavailable" up for the whole minute.
let retryIn = 5000;
async function keepOffersFresh() {
  const ok = await loadOffers();
  const wait = ok ? 60000 : retryIn;
  if (!ok) retryIn = Math.min(retryIn * 2, 60000);
  setTimeout(keepOffersFresh, wait);
}
keepOffersFresh();
