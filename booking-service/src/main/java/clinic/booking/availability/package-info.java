/**
 * Free slots: a pure generator over one local day (safe on 23- and 25-hour days) fed by a handful
 * of bulk queries, so a day costs the same few queries however many slots it has.
 */
package clinic.booking.availability;
