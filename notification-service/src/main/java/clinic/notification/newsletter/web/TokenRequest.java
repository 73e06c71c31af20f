package clinic.notification.newsletter.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The token from a mail's link, sent by the page's button. */
public record TokenRequest(@NotBlank @Size(max = 200) String token) {}
