package clinic.booking.catalog;

import java.util.List;

/** A therapist with the locations they work at and the treatments they give. */
public record Therapist(String id, String name, List<String> locationIds, List<String> treatmentIds) {}
