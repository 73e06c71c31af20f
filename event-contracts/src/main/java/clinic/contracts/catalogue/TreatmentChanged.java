package clinic.contracts.catalogue;

import java.time.Instant;

/**
 * A treatment was created or changed; the record is its whole current state (a new price applies
 * to bookings made after {@code changedAt}). Published by booking-service on {@code catalogue.events},
 * key = {@code id}, type {@code treatment.changed.v1}.
 */
public record TreatmentChanged(
        String id,
        String name,
        String category,
        int durationMinutes,
        long pricePence,
        String currency,
        String description,
        boolean active,
        Instant changedAt) {}
