// One clinic's details for visitors: address, phone (a tel: link), opening hours and a map link.
// Works with the catalogue's full shape (postalAddress, phone, openingHours; contract 1.1) and
// with the one-line `address` alone, leaving out what a location does not have yet.
import { el } from './ui.js';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const UK_POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b/i;

const dayName = (d) => d.charAt(0) + d.slice(1).toLowerCase();

/** The address as lines: postalAddress when there is one, else the one-line address split at commas. */
export function addressLines(location) {
  const p = location.postalAddress;
  if (p) return [p.line1, p.line2, p.town, p.postcode].filter((x) => x && String(x).trim());
  return location.address ? String(location.address).split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** The postcode, from postalAddress or found in the one-line address. */
export function postcodeOf(location) {
  if (location.postalAddress && location.postalAddress.postcode) return location.postalAddress.postcode;
  const m = UK_POSTCODE.exec(location.address || '');
  return m ? m[1].toUpperCase() : null;
}

/** A plain map search link (no embedded map, no third-party script on our pages). */
export function mapUrl(location) {
  const q = postcodeOf(location) || addressLines(location).join(', ');
  return q ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(q)}` : null;
}

/** 'tel:' wants no spaces or brackets: '0114 496 0000' → 'tel:01144960000'. */
export function telHref(phone) {
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

/** [['Monday', '09:00–17:00'], …, ['Sunday', 'Closed']], or null without opening hours. */
export function openingHours(location) {
  const h = location.openingHours;
  if (!h || typeof h !== 'object' || !Object.keys(h).length) return null;
  return DAYS.map((d) => {
    const spans = Array.isArray(h[d]) ? h[d].filter((s) => s && s.from && s.to) : [];
    return [dayName(d), spans.length ? spans.map((s) => `${s.from}–${s.to}`).join(', ') : 'Closed'];
  });
}

/** A card element for one location; `heading` is the heading level ('h2', 'h3'). */
export function clinicCard(location, heading = 'h3') {
  const lines = addressLines(location);
  const hours = openingHours(location);
  const map = mapUrl(location);
  return el('article', { className: 'card clinic-card', dataset: { locationId: location.id } },
    el(heading, { text: location.name }),
    lines.length ? el('p', { className: 'clinic-address' }, ...lines.flatMap((l, i) => (i ? [el('br'), l] : [l]))) : null,
    location.phone ? el('p', { className: 'clinic-phone' }, 'Phone: ',
      el('a', { href: telHref(location.phone), text: location.phone })) : null,
    hours ? el('table', { className: 'clinic-hours' },
      el('caption', { text: 'Opening hours' }),
      el('tbody', {}, ...hours.map(([d, t]) => el('tr', {}, el('th', { scope: 'row', text: d }), el('td', { text: t }))))) : null,
    map ? el('p', { className: 'clinic-map' }, el('a', {
      href: map, rel: 'noopener', target: '_blank', text: `Map of ${location.name} (OpenStreetMap, opens in a new tab)`,
    })) : null);
}
