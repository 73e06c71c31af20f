package clinic.booking.catalog;

/** A clinic location as the public API shows it. */
public record Location(String id, String name, String timeZone, String address) {}
