package clinic.booking.catalog;

/** A bookable treatment with its length and price (what the public list shows, and the admin list too). */
public record Treatment(String id, String name, String category, int durationMinutes, long pricePence,
                        String currency, String description, boolean active) {}
