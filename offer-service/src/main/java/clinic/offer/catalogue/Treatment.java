package clinic.offer.catalogue;

/** One treatment of the copy, as far as quotes and offers need it. */
public record Treatment(String id, String name, String category, long pricePence, boolean active) {}
