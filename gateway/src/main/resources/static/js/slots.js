// Free times and the treatment list, shared by the public booking form (book.js), the staff
// booking form (staff-book.js) and the diary's "move" step (diary.js), so all three ask the
// same question and show the answer the same way.
import { get, query } from './api.js';
import { londonTime, money, withDuration } from './format.js';
import { el, option } from './ui.js';

/** GET /api/availability for one clinic, treatment and day; `signal` lets a newer question cancel it. */
export function availability(locationId, treatmentId, date, signal) {
  return get(`/api/availability${query({ locationId, treatmentId, date })}`, { signal })
    .then((a) => (a && a.slots) || []);
}

export const treatmentLabel = (t) => `${withDuration(t)} — ${money(t.pricePence)}`;

/** The treatments as <optgroup>s by category, `keep` selected. */
export function treatmentOptions(treatments, keep) {
  const groups = new Map();
  for (const t of treatments) {
    const cat = t.category || 'other';
    if (!groups.has(cat)) groups.set(cat, []);
    groups.get(cat).push(t);
  }
  return [...groups].map(([cat, list]) => {
    const g = document.createElement('optgroup');
    g.label = cat.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
    g.append(...list.map((t) => option(t.id, treatmentLabel(t), t.id === keep)));
    return g;
  });
}

/**
 * Fills `list` (a <ul>) with one toggle button per free slot, "09:30 with Sam". `who(therapistId)`
 * names the therapist; `onChoose(slot, button)` runs on a press after the pressed state is set.
 */
export function renderSlotButtons(list, slots, who, onChoose) {
  list.replaceChildren(...slots.map((s) => {
    const b = el('button', {
      type: 'button', className: 'slot', 'aria-pressed': 'false',
      dataset: { startsAt: s.startsAt, therapistId: s.therapistId },
    }, `${londonTime(s.startsAt)} with ${who(s.therapistId)}`);
    b.addEventListener('click', () => {
      for (const other of list.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b));
      onChoose(s, b);
    });
    return el('li', {}, b);
  }));
}
