package clinic.booking.catalog;

import clinic.booking.config.BookingSettings;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A realistic demo clinic for the local run and the tests: two or three therapists per location,
 * Monday to Saturday 09:00-17:00 with a half-hour lunch, and one therapist's holiday. Idempotent,
 * so every restart of the local run can run it (and two instances at once do no harm).
 */
@Component
@ConditionalOnProperty(name = "clinic.booking.seed-demo-clinic", havingValue = "true")
class DemoClinicSeeder {
    private static final Logger log = LoggerFactory.getLogger(DemoClinicSeeder.class);
    private static final List<String> MASSAGE = List.of("sports-massage-30", "sports-massage-45", "sports-massage-60");
    private static final List<String> ALL = List.of("sports-massage-30", "sports-massage-45", "sports-massage-60",
            "physio-assessment");

    record Demo(String id, String name, String locationId, List<String> treatments, LocalTime lunch) {}

    static final List<Demo> THERAPISTS = List.of(
            new Demo("sheffield-amy", "Amy Walker", "sheffield", MASSAGE, LocalTime.of(13, 0)),
            new Demo("sheffield-ben", "Ben Hughes", "sheffield", MASSAGE, LocalTime.of(12, 30)),
            new Demo("sheffield-cara", "Cara Patel", "sheffield", ALL, LocalTime.of(13, 30)),
            new Demo("doncaster-dan", "Dan Price", "doncaster", MASSAGE, LocalTime.of(13, 0)),
            new Demo("doncaster-erin", "Erin Shaw", "doncaster", ALL, LocalTime.of(12, 30)),
            new Demo("rotherham-faye", "Faye Collins", "rotherham", MASSAGE, LocalTime.of(13, 0)),
            new Demo("rotherham-gus", "Gus Oduya", "rotherham", ALL, LocalTime.of(12, 30)),
            new Demo("hathersage-hana", "Hana Brooks", "hathersage", ALL, LocalTime.of(13, 0)),
            new Demo("hathersage-ian", "Ian Fletcher", "hathersage", MASSAGE, LocalTime.of(12, 30)),
            new Demo("chesterfield-jo", "Jo Marsh", "chesterfield", MASSAGE, LocalTime.of(13, 0)),
            new Demo("chesterfield-kai", "Kai Turner", "chesterfield", ALL, LocalTime.of(12, 30)),
            new Demo("chesterfield-lena", "Lena Novak", "chesterfield", MASSAGE, LocalTime.of(13, 30)));

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final BookingSettings settings;
    private final Clock clock;

    DemoClinicSeeder(DatabaseClient db, TransactionalOperator tx, BookingSettings settings, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    // Blocking on purpose: the service should not report ready before its demo clinic exists.
    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        tx.transactional(Flux.fromIterable(THERAPISTS).concatMap(this::seed).then(holiday())).block();
        log.info("demo clinic seeded: {} therapists", THERAPISTS.size());
    }

    private Mono<Void> seed(Demo t) {
        Mono<Void> therapist = exec(db.sql("insert into therapist (id, name) values (:id, :name) on conflict do nothing")
                .bind("id", t.id()).bind("name", t.name()));
        Mono<Void> location = exec(db.sql("""
                        insert into therapist_location (therapist_id, location_id) values (:id, :loc)
                        on conflict do nothing""")
                .bind("id", t.id()).bind("loc", t.locationId()));
        Mono<Void> treatments = Flux.fromIterable(t.treatments()).concatMap(tr -> exec(db.sql("""
                        insert into therapist_treatment (therapist_id, treatment_id) values (:id, :tr)
                        on conflict do nothing""")
                .bind("id", t.id()).bind("tr", tr))).then();
        Mono<Void> week = Flux.range(1, 6).concatMap(day -> exec(db.sql("""
                        insert into working_hours (therapist_id, location_id, day_of_week, start_time, end_time)
                        values (:id, :loc, :day, '09:00', '17:00') on conflict do nothing""")
                        .bind("id", t.id()).bind("loc", t.locationId()).bind("day", day.shortValue()))
                .then(exec(db.sql("""
                        insert into therapist_break (therapist_id, location_id, day_of_week, start_time, end_time, label)
                        values (:id, :loc, :day, :start, :end, 'Lunch') on conflict do nothing""")
                        .bind("id", t.id()).bind("loc", t.locationId()).bind("day", day.shortValue())
                        .bind("start", t.lunch()).bind("end", t.lunch().plusMinutes(30))))).then();
        return therapist.then(location).then(treatments).then(week);
    }

    /** A week's holiday for one therapist, three weeks after the first seeding. */
    private Mono<Void> holiday() {
        LocalDate from = LocalDate.now(clock.withZone(settings.zone())).plusWeeks(3);
        ZonedDateTime start = from.atStartOfDay(settings.zone());
        return exec(db.sql("""
                        insert into time_off (therapist_id, starts_at, ends_at, reason)
                        select 'chesterfield-lena', :from, :to, 'Holiday'
                        where not exists (select 1 from time_off where therapist_id = 'chesterfield-lena')""")
                .bind("from", start.toOffsetDateTime())
                .bind("to", start.plusWeeks(1).toOffsetDateTime()));
    }

    private static Mono<Void> exec(DatabaseClient.GenericExecuteSpec spec) {
        return spec.fetch().rowsUpdated().then();
    }
}
