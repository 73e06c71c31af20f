package clinic.callback.request;

import clinic.kit.web.ValidPhone;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a customer sends to ask for a callback. {@code website} is a honeypot: the form hides it
 * from people, so only bots fill it in.
 */
public record CallbackRequestForm(
        @NotBlank @Size(min = 2, max = 100) @Pattern(regexp = "(?s)\\s*\\S.*\\S\\s*", message = "must have at least 2 characters")
        String name,
        @NotBlank @ValidPhone String phone,
        @Email @Size(max = 254) String email,
        @KnownLocation String locationId,
        @Pattern(regexp = "morning|afternoon|evening|anytime", message = "must be morning, afternoon, evening or anytime")
        String preferredTime,
        @Size(max = 1000) String message,
        @Valid Consent consent,
        Boolean marketingOptIn,
        String website) {

    public CallbackRequestForm {
        // A missing consent block is the same failure as an unticked box: name the box, not the block.
        if (consent == null) consent = new Consent(null, null);
        if (marketingOptIn == null) marketingOptIn = false;
    }

    public record Consent(
            @NotNull(message = "must be accepted") @AssertTrue(message = "must be accepted") Boolean termsAndPrivacy,
            @NotBlank @Size(max = 50) String policyVersion) {}

    public boolean filledHoneypot() {
        return website != null && !website.isBlank();
    }
}
