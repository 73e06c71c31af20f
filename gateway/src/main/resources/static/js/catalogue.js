// Locations and treatments change rarely: fetched once per page.
import { get } from './api.js';

let cache = null;

export function loadCatalogue() {
  if (!cache) {
    cache = Promise.all([get('/api/locations'), get('/api/treatments')])
      .then(([locations, treatments]) => ({ locations: locations || [], treatments: treatments || [] }))
      .catch((e) => { cache = null; throw e; });
  }
  return cache;
}

/** id → first name (or full name) of each therapist. */
export function therapistNames(therapists) {
  return new Map((therapists || []).map((t) => [t.id, t.name]));
}
