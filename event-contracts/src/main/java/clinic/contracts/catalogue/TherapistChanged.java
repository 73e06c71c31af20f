package clinic.contracts.catalogue;

import java.time.Instant;
import java.util.List;

/**
 * A therapist's profile, treatments or weekly pattern changed; the record is their whole current
 * state. {@code locationIds}: where their current or coming pattern has them work. Published by
 * booking-service on {@code catalogue.events}, key = {@code id}, type {@code therapist.changed.v1}.
 */
public record TherapistChanged(
        String id,
        String name,
        List<String> treatmentIds,
        List<String> locationIds,
        boolean active,
        Instant changedAt) {}
