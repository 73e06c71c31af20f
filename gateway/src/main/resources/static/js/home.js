import { get } from './api.js';
import { wireHeader } from './auth.js';
import { offerAmount, offerWindow } from './format.js';
import { el } from './ui.js';

wireHeader();

function describeScope(offer) {
  if (offer.treatmentCategory) return offer.treatmentCategory.replace(/-/g, ' ');
  if (offer.treatmentIds && offer.treatmentIds.length) return 'selected treatments';
  return 'treatments';
}

function banner(offer) {
  const live = offer.status === 'LIVE';
  const amount = offerAmount(offer);
  return el('article', { className: 'offer-banner', dataset: { code: offer.code, status: offer.status } },
    el('h2', {},
      el('span', { className: 'offer-title', text: offer.title }), ' ',
      el('span', { className: `pill ${live ? 'live' : 'scheduled'}`, text: live ? 'On now' : 'Coming up' })),
    amount ? el('p', {}, el('strong', { text: amount }), ` ${describeScope(offer)}`) : null,
    offer.description ? el('p', { className: 'offer-description', text: offer.description }) : null,
    el('p', {}, 'Use code ', el('span', { className: 'offer-code', text: offer.code }),
      ` for appointments ${offerWindow(offer).includes(' to ') ? 'from ' : 'on '}${offerWindow(offer)}`,
      live ? '.' : ` — you can book now.`),
    el('p', {}, el('a', { href: `book.html?code=${encodeURIComponent(offer.code)}`, text: `Book with ${offer.code}` })));
}

async function loadOffers() {
  const box = document.getElementById('offers');
  try {
    const offers = (await get('/api/offers')) || [];
    const shown = offers.filter((o) => o.status === 'LIVE' || o.status === 'SCHEDULED')
      .sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    box.replaceChildren(...(shown.length
      ? shown.map(banner)
      : [el('p', { className: 'status', text: 'No offers just now — book at our usual prices any time.' })]));
  } catch {
    box.replaceChildren(el('p', { className: 'status', text: 'Current offers are temporarily unavailable. You can still book as usual.' }));
  } finally {
    box.setAttribute('aria-busy', 'false');
  }
}

loadOffers();
// Offers go live and end by themselves: refresh now and then.
setInterval(loadOffers, 60000);
