package clinic.booking.catalog;

/** A bookable treatment with its length and price. */
public record Treatment(String id, String name, String category, int durationMinutes, long pricePence,
                        String currency) {}
