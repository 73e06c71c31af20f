package clinic.notification.newsletter.web;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Marketing needs its own explicit opt-in: {@code consent} must be {@code true}. */
public record SubscriptionRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotNull @AssertTrue(message = "must be true") Boolean consent) {}
