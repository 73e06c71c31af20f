package clinic.offer.catalogue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One treatment of booking-service's public catalogue, as far as a quote needs it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Treatment(String id, String name, String category, int durationMinutes, long pricePence,
                        String currency) {}
