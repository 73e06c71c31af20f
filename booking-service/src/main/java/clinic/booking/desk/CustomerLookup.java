package clinic.booking.desk;

import clinic.kit.web.PhoneNumbers;
import clinic.kit.web.ClinicException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Finds customers by email (case-insensitive, contains), phone (the input normalised to E.164 by
 * the same {@link PhoneNumbers} that stored it, so "07911 123456" finds "+447911123456"), name
 * (contains, case-insensitive) or booking reference (exact). A customer is an email address: the
 * bookings sharing it (lower-cased) are one customer, newest first, named and reached by their
 * latest booking's details. One statement; the query text is never logged (it is personal data).
 */
@Service
public class CustomerLookup {
    static final int MIN_QUERY = 3;
    static final int MAX_CUSTOMERS = 20;
    /** Per customer: a regular's whole history is not what a phone call needs. */
    static final int MAX_BOOKINGS = 50;

    public record Customer(String name, String email, String phone, List<CustomerBooking> bookings) {}

    /** {@code locationId} and {@code endsAt} are additions to the contract's fields, for the desk's links. */
    public record CustomerBooking(String reference, Instant startsAt, Instant endsAt, String locationId,
                                  String status) {}

    private final DatabaseClient db;

    CustomerLookup(DatabaseClient db) {
        this.db = db;
    }

    public Mono<List<Customer>> find(String rawQuery) {
        String query = rawQuery == null ? "" : rawQuery.strip();
        if (query.length() < MIN_QUERY) {
            return Mono.error(ClinicException.invalid("query", "must be at least " + MIN_QUERY + " characters"));
        }
        if (query.length() > 254) return Mono.error(ClinicException.invalid("query", "must be at most 254 characters"));
        String like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String phone = PhoneNumbers.toE164(query).orElse(null);
        String sql = """
                with matched as (
                    select lower(customer_email) as email, max(created_at) as latest from booking
                    where lower(customer_email) like lower(:like) or customer_name ilike :like
                       or reference = upper(:query)%s
                    group by lower(customer_email)
                    order by latest desc
                    limit :customers),
                ranked as (
                    select b.reference, b.starts_at, b.ends_at, b.location_id, b.status, b.customer_name,
                           b.customer_email, b.customer_phone, m.email as key, m.latest,
                           row_number() over (partition by m.email order by b.starts_at desc, b.reference) as n,
                           first_value(b.customer_name) over w as latest_name,
                           first_value(b.customer_phone) over w as latest_phone,
                           first_value(b.customer_email) over w as latest_email
                    from booking b join matched m on lower(b.customer_email) = m.email
                    window w as (partition by m.email order by b.created_at desc, b.reference))
                select * from ranked where n <= :bookings
                order by latest desc, key, starts_at desc, reference""".formatted(
                phone == null ? "" : " or customer_phone = :phone");
        var spec = db.sql(sql).bind("like", like).bind("query", query).bind("customers", MAX_CUSTOMERS)
                .bind("bookings", MAX_BOOKINGS);
        if (phone != null) spec = spec.bind("phone", phone);
        return spec.map(r -> new Row(r.get("key", String.class), r.get("latest_name", String.class),
                        r.get("latest_email", String.class), r.get("latest_phone", String.class),
                        new CustomerBooking(r.get("reference", String.class),
                                r.get("starts_at", OffsetDateTime.class).toInstant(),
                                r.get("ends_at", OffsetDateTime.class).toInstant(),
                                r.get("location_id", String.class), r.get("status", String.class))))
                .all().collectList().map(CustomerLookup::group);
    }

    private static List<Customer> group(List<Row> rows) {
        Map<String, Customer> customers = new LinkedHashMap<>();
        for (Row r : rows) {
            customers.computeIfAbsent(r.key(), k -> new Customer(r.name(), r.email(),
                    r.phone(), new ArrayList<>())).bookings().add(r.booking());
        }
        return List.copyOf(customers.values());
    }

    private record Row(String key, String name, String email, String phone, CustomerBooking booking) {}
}
