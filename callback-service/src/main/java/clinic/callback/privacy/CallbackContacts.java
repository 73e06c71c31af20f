package clinic.callback.privacy;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Who asked for a callback and what they wrote, for notification-service when it writes the
 * receipt and the staff alert (events carry ids only: docs/adr/0007). An erased request answers
 * without them, so nothing more is sent about it.
 */
@Service
public class CallbackContacts {
    private final DatabaseClient db;

    CallbackContacts(DatabaseClient db) {
        this.db = db;
    }

    public record Contact(String callbackId, String name, String phone, String email, String message,
                          String locationId, boolean erased) {}

    public Mono<Contact> contact(UUID id) {
        return db.sql("""
                        select id::text, name, phone, email, message, location_id, erased_at is not null as erased
                        from callback_request where id = :id""")
                .bind("id", id)
                .map((r, m) -> new Contact(r.get("id", String.class), r.get("name", String.class),
                        r.get("phone", String.class), r.get("email", String.class), r.get("message", String.class),
                        r.get("location_id", String.class), Boolean.TRUE.equals(r.get("erased", Boolean.class))))
                .one();
    }
}
