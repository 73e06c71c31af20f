/**
 * The figures marketing reads: derived at query time from the fact tables, so they are the same
 * whatever order the events arrived in. Bookings count by appointment day, callbacks and
 * notifications by the day they were created, all in Europe/London local dates.
 */
package clinic.analytics.report;
