package clinic.booking.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

/** A location's postal address; {@code line2} may be null. */
public record PostalAddress(
        @NotBlank @Size(max = 100) String line1,
        @Size(max = 100) String line2,
        @NotBlank @Size(max = 60) String town,
        @NotBlank @Size(max = 10) String postcode) {

    /** The one-line form lists and mails show: "12 Division Street, Sheffield S1 4GF". */
    public String oneLine() {
        List<String> parts = new ArrayList<>();
        parts.add(line1.trim());
        if (line2 != null && !line2.isBlank()) parts.add(line2.trim());
        String last = (town.trim() + " " + postcode.trim()).trim();
        if (!last.isEmpty()) parts.add(last);
        return String.join(", ", parts);
    }
}
