package clinic.notification.catalogue;

import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.PostalAddress;
import clinic.notification.template.Formats;
import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The locations this service knows, each the latest state booking-service published. */
@Repository
public class LocationCopy {
    private final DatabaseClient db;

    LocationCopy(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Where a booking is. The booking event's own {@code locationName} is the name (booking-service
     * wrote it with the booking); the copy adds address and phone. A location the copy does not know
     * (its event not yet arrived, or an id from before the catalogue had events) is the name alone.
     */
    public Mono<Whereabouts> whereabouts(String locationId, String nameInEvent) {
        if (locationId == null || locationId.isBlank()) return Mono.just(Whereabouts.nameOnly(nameInEvent));
        return db.sql("select name, address, phone from location_copy where id = :id")
                .bind("id", locationId)
                .map(row -> whereabouts(row, nameInEvent))
                .one()
                .defaultIfEmpty(Whereabouts.nameOnly(nameInEvent));
    }

    private static Whereabouts whereabouts(Readable row, String nameInEvent) {
        String name = nameInEvent == null || nameInEvent.isBlank() ? row.get("name", String.class) : nameInEvent;
        String address = row.get("address", String.class);
        return new Whereabouts(name, address == null ? "" : address, Formats.ukPhone(row.get("phone", String.class)));
    }

    /**
     * Keeps the location's state unless the copy already holds a newer one (a replay or a producer's
     * retry may bring an old state back). True when the row was written.
     */
    public Mono<Boolean> upsert(LocationChanged l) {
        PostalAddress p = l.postalAddress();
        var spec = db.sql("""
                        insert into location_copy (id, name, address, line1, line2, town, postcode, phone, active, changed_at)
                        values (:id, :name, :address, :line1, :line2, :town, :postcode, :phone, :active, :changedAt)
                        on conflict (id) do update set name = excluded.name, address = excluded.address,
                            line1 = excluded.line1, line2 = excluded.line2, town = excluded.town,
                            postcode = excluded.postcode, phone = excluded.phone, active = excluded.active,
                            changed_at = excluded.changed_at
                        where location_copy.changed_at <= excluded.changed_at
                        """)
                .bind("id", l.id()).bind("name", l.name()).bind("active", l.active()).bind("changedAt", l.changedAt());
        spec = bind(spec, "address", oneLine(l));
        spec = bind(spec, "line1", p == null ? null : p.line1());
        spec = bind(spec, "line2", p == null ? null : p.line2());
        spec = bind(spec, "town", p == null ? null : p.town());
        spec = bind(spec, "postcode", p == null ? null : p.postcode());
        spec = bind(spec, "phone", l.phone());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    /** The event's one-line address; failing that, one made from the postal address. */
    static String oneLine(LocationChanged l) {
        if (l.address() != null && !l.address().isBlank()) return l.address().strip();
        PostalAddress p = l.postalAddress();
        if (p == null) return null;
        List<String> parts = new ArrayList<>();
        for (String s : new String[] {p.line1(), p.line2()}) {
            if (s != null && !s.isBlank()) parts.add(s.strip());
        }
        String townAndPostcode = String.join(" ", nonBlank(p.town()), nonBlank(p.postcode())).strip();
        if (!townAndPostcode.isEmpty()) parts.add(townAndPostcode);
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String nonBlank(String s) {
        return s == null ? "" : s.strip();
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String name,
                                                          String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
