package clinic.contracts.catalogue;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A closure day was added ({@code removed = false}) or withdrawn ({@code removed = true}).
 * {@code locationId} null means every location. Published by booking-service on
 * {@code catalogue.events}, key = {@code id}, type {@code closure.changed.v1}.
 */
public record ClosureChanged(
        String id,
        LocalDate date,
        String locationId,
        String reason,
        boolean removed,
        Instant changedAt) {}
