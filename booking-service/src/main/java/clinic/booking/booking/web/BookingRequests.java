package clinic.booking.booking.web;

import clinic.kit.web.ValidPhone;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** Request bodies of the booking endpoints (public API contract). */
public final class BookingRequests {
    private BookingRequests() {}

    public record CreateBooking(
            @NotBlank @Size(max = 100) String locationId,
            @NotBlank @Size(max = 100) String treatmentId,
            @Size(max = 100) String therapistId,
            @NotNull OffsetDateTime startsAt,
            @NotNull @Valid CustomerDetails customer,
            @Size(max = 40) String promoCode,
            @Size(max = 1000) String notes) {}

    public record CustomerDetails(
            @NotBlank @Size(min = 2, max = 100) String name,
            // Hibernate's @Email alone accepts "sam@localhost"; a bookable customer needs a real domain.
            @NotBlank @Size(max = 254) @Email(regexp = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$") String email,
            @NotBlank @ValidPhone String phone) {}

    /** The public booking body plus the callback request it answers (staff desk). */
    public record StaffCreateBooking(
            @NotBlank @Size(max = 100) String locationId,
            @NotBlank @Size(max = 100) String treatmentId,
            @Size(max = 100) String therapistId,
            @NotNull OffsetDateTime startsAt,
            @NotNull @Valid CustomerDetails customer,
            @Size(max = 40) String promoCode,
            @Size(max = 1000) String notes,
            @jakarta.validation.constraints.Pattern(
                    regexp = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                    message = "must be a callback id (UUID)") String callbackId) {}

    public record StaffCancel(@Size(max = 1000) String reason) {}

    public record RecordAttendance(
            @NotNull @jakarta.validation.constraints.Pattern(regexp = "ATTENDED|NO_SHOW",
                    message = "must be ATTENDED or NO_SHOW") String status) {}

    public record RescheduleBooking(
            @NotNull OffsetDateTime startsAt,
            @Size(max = 100) String therapistId) {}
}
