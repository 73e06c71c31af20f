// What a refused promo code means for the customer, in words: when the offer applies, or which
// clinics and treatments it is for, from the window and scope offer-service puts in its answer
// (quote or problem document). Shared by the booking page and the manage page.
import { describe } from './api.js';
import { offerWindow } from './format.js';

const words = (s) => String(s).replace(/-/g, ' ');

function list(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** 'sports massage at Sheffield and Rotherham' from the offer's scope; names from the catalogue. */
export function offerScope(p, { locations = [], treatments = [] } = {}) {
  const name = (all, id) => (all.find((x) => x.id === id) || {}).name || id;
  const what = p.treatmentCategory ? words(p.treatmentCategory)
    : list((p.treatmentIds || []).map((id) => name(treatments, id))) || 'selected treatments';
  const where = p.locationIds && p.locationIds.length
    ? list(p.locationIds.map((id) => name(locations, id))) : 'any of our clinics';
  return `${what} at ${where}`;
}

/**
 * One sentence for a refused code. `p` is the quote answer or the problem document (with
 * offerStartsAt/offerEndsAt, treatmentCategory|treatmentIds, locationIds when offer-service
 * named an offer); `err` the ApiError for the generic words.
 */
export function promoMessage(code, p, err, catalogue) {
  const c = String(code || '').trim().toUpperCase() || 'This code';
  if (p && p.code === 'promo_code_expired' && p.offerStartsAt && p.offerEndsAt) {
    if (p.offerOver) return `The ${c} offer has ended — you can still book without the code.`;
    const dates = offerWindow({ startsAt: p.offerStartsAt, endsAt: p.offerEndsAt });
    return `${c} is valid for appointments ${dates.includes(' to ') ? 'from ' : 'on '}${dates} — pick a day in that range, or book without the code.`;
  }
  if (p && p.code === 'promo_code_not_applicable' && p.locationIds) {
    return `${c} is for ${offerScope(p, catalogue)} — choose one of those, or book without the code.`;
  }
  return describe(err);
}
