package clinic.booking.availability;

import java.time.Instant;

/** A bookable start with one therapist. */
public record Slot(String therapistId, Instant startsAt, Instant endsAt) {}
