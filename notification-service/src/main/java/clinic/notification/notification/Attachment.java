package clinic.notification.notification;

/** A small text attachment (an .ics invitation). */
public record Attachment(String fileName, String contentType, String content) {}
