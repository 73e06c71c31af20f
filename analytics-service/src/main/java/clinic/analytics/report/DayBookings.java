package clinic.analytics.report;

import java.time.LocalDate;

/** One point of the bookings-per-day chart: bookings not cancelled with their appointment that day. */
public record DayBookings(LocalDate date, long count, long revenuePence) {}
