package clinic.contracts.catalogue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A location was created or changed; the record is its whole current state. Published by
 * booking-service on {@code catalogue.events}, key = {@code id}, type {@code location.changed.v1}.
 * {@code address} is the one-line form of {@code postalAddress}; {@code phone} and {@code email} are
 * the clinic's own contact details (not personal data). A day missing from {@code openingHours} is closed.
 */
public record LocationChanged(
        String id,
        String name,
        String timeZone,
        String address,
        PostalAddress postalAddress,
        String phone,
        String email,
        Map<DayOfWeek, List<TimeRange>> openingHours,
        boolean active,
        Instant changedAt) {}
