package clinic.booking.catalog;

import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;

/**
 * A location as the public list and the admin screens show it. {@code address} is the one-line
 * form of {@code postalAddress}; a day missing from {@code openingHours} is closed.
 */
public record LocationDetails(String id, String name, String timeZone, String address, PostalAddress postalAddress,
                              String phone, String email, Map<DayOfWeek, List<Hours>> openingHours,
                              boolean active) {
    public Location location() {
        return new Location(id, name, timeZone, address);
    }
}
