package clinic.callback.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A callback task as staff see it, in the list, in action responses and on the live stream (SSE data). */
public record TaskView(
        UUID id,
        String name,
        String phone,
        String email,
        String locationId,
        String preferredTime,
        String message,
        String status,
        String claimedBy,
        Instant claimedAt,
        Instant requestedAt,
        Instant dueAt,
        boolean overdue,
        List<Attempt> attempts,
        Instant completedAt,
        String completedBy,
        String outcome,
        String completionNote,
        /** The booking a BOOKED callback ended in, when staff gave it on completion. */
        String bookingReference) {

    public record Attempt(String outcome, String note, String by, Instant at) {}
}
