package clinic.notification.template;

/** A template filled in: the subject, the plain-text part and (for mail) the HTML part. */
public record RenderedMessage(String subject, String text, String html) {}
