// Dates, times and money as a UK visitor reads them. The clinic's zone is Europe/London,
// whatever zone the browser is in.
export const ZONE = 'Europe/London';

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function londonParts(date) {
  const p = {};
  for (const { type, value } of partsFmt.formatToParts(date)) p[type] = value;
  return p;
}

/** 'YYYY-MM-DD' of an instant in London. */
export function londonDate(instant) {
  const p = londonParts(new Date(instant));
  return `${p.year}-${p.month}-${p.day}`;
}

/** 'HH:mm' of an instant in London. */
export function londonTime(instant) {
  const p = londonParts(new Date(instant));
  return `${p.hour}:${p.minute}`;
}

export function todayLondon() {
  return londonDate(Date.now());
}

/** Calendar arithmetic on 'YYYY-MM-DD' strings. */
export function addDays(dateStr, n) {
  const [y, m, d] = dateStr.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** Minutes London is ahead of UTC at an instant (0 in winter, 60 in summer). */
function offsetMinutes(ms) {
  const p = londonParts(new Date(ms));
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** The instant (ISO, UTC) of a London wall-clock date and time ('2027-02-01', '09:30'). */
export function londonToInstant(dateStr, timeStr = '00:00') {
  const [y, m, d] = dateStr.split('-').map(Number);
  const [hh, mm] = timeStr.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm || 0);
  let t = wall - offsetMinutes(wall) * 60000;
  t = wall - offsetMinutes(t) * 60000;
  return new Date(t).toISOString();
}

/** 'YYYY-MM-DDTHH:mm' in London, as a datetime-local input wants it. */
export function londonDateTimeLocal(instant) {
  return `${londonDate(instant)}T${londonTime(instant)}`;
}

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short' });
const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** 'Monday 1 February 2027' */
export const formatLongDate = (instant) => longDate.format(new Date(instant));
/** '1 February 2027' */
export const formatDate = (instant) => shortDate.format(new Date(instant));
/** '1 Feb' */
export const formatDayMonth = (instant) => dayMonth.format(new Date(instant));
/** '1 Feb 2027, 09:30' */
export const formatDateTime = (instant) => dateTime.format(new Date(instant));
/** 'Monday 1 February 2027 at 09:30' */
export const formatWhen = (instant) => `${formatLongDate(instant)} at ${londonTime(instant)}`;

/** A 'YYYY-MM-DD' as 'Monday 1 February 2027' (noon UTC keeps it on the same day everywhere). */
export const formatDateStr = (dateStr) => formatLongDate(`${dateStr}T12:00:00Z`);

/** 4950 → '£49.50' */
export function money(pence) {
  const n = Number(pence || 0);
  const sign = n < 0 ? '−' : '';
  const abs = Math.abs(n);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

/** The offer window in local dates; endsAt is exclusive, so the last day is the day before. */
export function offerWindow(offer) {
  const from = formatDate(offer.startsAt);
  const lastMs = new Date(offer.endsAt).getTime() - 1;
  const to = formatDate(lastMs);
  return from === to ? from : `${from} to ${to}`;
}

/** '10% off' or '£5.00 off' */
export function offerAmount(offer) {
  if (offer.percentOff != null) return `${offer.percentOff}% off`;
  if (offer.amountOffPence != null) return `${money(offer.amountOffPence)} off`;
  return '';
}

/** "Sports massage (45 min)": the catalogue's names may already say the length; never say it twice. */
export function withDuration(treatment) {
  const suffix = `(${treatment.durationMinutes} min)`;
  return treatment.name.includes(suffix) ? treatment.name : `${treatment.name} ${suffix}`;
}
