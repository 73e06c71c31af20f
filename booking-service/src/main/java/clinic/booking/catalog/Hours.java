package clinic.booking.catalog;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.validation.constraints.NotNull;
import java.time.LocalTime;

/** A local-time range of one day, {@code [from, to)}, written "09:00". */
public record Hours(
        @NotNull @JsonFormat(pattern = "HH:mm") LocalTime from,
        @NotNull @JsonFormat(pattern = "HH:mm") LocalTime to) {

    public boolean overlaps(Hours other) {
        return from.isBefore(other.to) && other.from.isBefore(to);
    }

    public boolean contains(Hours inner) {
        return !inner.from.isBefore(from) && !inner.to.isAfter(to);
    }
}
