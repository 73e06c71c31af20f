package clinic.booking.catalog;

import java.util.List;

/**
 * A therapist with the treatments they give and the locations their current or coming weekly
 * pattern has them work at.
 */
public record Therapist(String id, String name, String bio, List<String> locationIds, List<String> treatmentIds,
                        boolean active) {}
