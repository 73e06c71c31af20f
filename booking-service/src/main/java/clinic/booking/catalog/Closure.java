package clinic.booking.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/** A day a location ({@code locationId}), or every location ({@code null}, shown as null), is closed. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Closure(String id, LocalDate date, String locationId, String reason) {}
