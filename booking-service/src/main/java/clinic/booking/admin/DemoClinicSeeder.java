package clinic.booking.admin;

import clinic.booking.admin.AdminRequests.Day;
import clinic.booking.admin.AdminRequests.LocationBody;
import clinic.booking.admin.AdminRequests.TherapistBody;
import clinic.booking.admin.AdminRequests.TimeOffBody;
import clinic.booking.admin.AdminRequests.TreatmentBody;
import clinic.booking.admin.AdminRequests.WorkingHoursBody;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.catalog.Hours;
import clinic.booking.catalog.PostalAddress;
import clinic.booking.config.BookingSettings;
import clinic.kit.audit.AuditLog;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A realistic demo clinic for the local run and the tests: five locations open Monday to Saturday
 * 09:00-17:00, four treatments, two or three therapists per location working those hours with a
 * half-hour lunch, and one therapist's holiday. Written through {@link CatalogueAdmin}, the code an
 * admin's requests use (so the catalogue events are published and the audit log names the
 * system), and only what is missing: every restart runs it, an admin's edits in the local run
 * survive, and two instances at once do no harm (the loser of a race finds the thing existing).
 */
@Component
@ConditionalOnProperty(name = "clinic.booking.seed-demo-clinic", havingValue = "true")
class DemoClinicSeeder {
    private static final Logger log = LoggerFactory.getLogger(DemoClinicSeeder.class);
    static final String ACTOR = AuditLog.system("booking-service");
    private static final List<String> MASSAGE = List.of("sports-massage-30", "sports-massage-45", "sports-massage-60");
    private static final List<String> ALL = List.of("sports-massage-30", "sports-massage-45", "sports-massage-60",
            "physio-assessment");

    record DemoLocation(String id, String name, PostalAddress address, String phone) {}

    /** Contract 1.0's seed ids; phone numbers from Ofcom's ranges for drama (never in service). */
    static final List<DemoLocation> LOCATIONS = List.of(
            new DemoLocation("sheffield", "Sheffield",
                    new PostalAddress("12 Division Street", null, "Sheffield", "S1 4GF"), "0114 496 0000"),
            new DemoLocation("doncaster", "Doncaster",
                    new PostalAddress("8 Hall Gate", null, "Doncaster", "DN1 3LU"), "01632 960001"),
            new DemoLocation("rotherham", "Rotherham",
                    new PostalAddress("21 High Street", null, "Rotherham", "S60 1PT"), "0114 496 0002"),
            new DemoLocation("hathersage", "Hathersage",
                    new PostalAddress("3 Main Road", "Hathersage", "Hope Valley", "S32 1BB"), "01632 960003"),
            new DemoLocation("chesterfield", "Chesterfield",
                    new PostalAddress("45 Knifesmithgate", null, "Chesterfield", "S40 1RL"), "01632 960004"));

    static final List<TreatmentBody> TREATMENTS = List.of(
            new TreatmentBody("sports-massage-30", "Sports massage (30 min)", "sports-massage", 30, 3500L,
                    "A focused session on one area: calves, back or shoulders.", true),
            new TreatmentBody("sports-massage-45", "Sports massage (45 min)", "sports-massage", 45, 4500L,
                    "Deep tissue work for training and recovery.", true),
            new TreatmentBody("sports-massage-60", "Sports massage (60 min)", "sports-massage", 60, 5500L,
                    "A full session for the whole body or two problem areas.", true),
            new TreatmentBody("physio-assessment", "Physiotherapy assessment (45 min)", "physiotherapy", 45, 6000L,
                    "Assessment, diagnosis and a treatment plan with a physiotherapist.", true));

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

    private static final LocalTime OPEN = LocalTime.of(9, 0);
    private static final LocalTime CLOSE = LocalTime.of(17, 0);

    private final CatalogueAdmin admin;
    private final CatalogRepository catalog;
    private final AdminRepository repo;
    private final BookingSettings settings;
    private final Clock clock;

    DemoClinicSeeder(CatalogueAdmin admin, CatalogRepository catalog, AdminRepository repo, BookingSettings settings,
                     Clock clock) {
        this.admin = admin;
        this.catalog = catalog;
        this.repo = repo;
        this.settings = settings;
        this.clock = clock;
    }

    // Blocking on purpose: the service should not report ready before its demo clinic exists.
    @EventListener(ApplicationReadyEvent.class)
    @Order(30)
    void seed() {
        Flux.fromIterable(LOCATIONS).concatMap(this::location)
                .thenMany(Flux.fromIterable(TREATMENTS).concatMap(this::treatment))
                .thenMany(Flux.fromIterable(THERAPISTS).concatMap(this::therapist))
                .then(holiday())
                .block();
        log.info("demo clinic seeded: {} locations, {} therapists", LOCATIONS.size(), THERAPISTS.size());
    }

    private Mono<Void> location(DemoLocation l) {
        Map<DayOfWeek, List<Hours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d != DayOfWeek.SUNDAY) hours.put(d, List.of(new Hours(OPEN, CLOSE)));
        }
        LocationBody body = new LocationBody(l.id(), l.name(), l.address(), l.phone(), l.id() + "@clinic.example",
                hours, true);
        return catalog.locationDetails(l.id()).hasElement()
                .flatMap(exists -> exists ? Mono.empty() : quietly(admin.createLocation(ACTOR, body)));
    }

    private Mono<Void> treatment(TreatmentBody t) {
        return catalog.treatment(t.id()).hasElement()
                .flatMap(exists -> exists ? Mono.empty() : quietly(admin.createTreatment(ACTOR, t)));
    }

    private Mono<Void> therapist(Demo t) {
        Mono<Void> profile = catalog.therapist(t.id()).hasElement()
                .flatMap(exists -> exists ? Mono.empty() : quietly(admin.createTherapist(ACTOR,
                        new TherapistBody(t.id(), t.name(), null, t.treatments(), true))));
        List<Day> days = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d == DayOfWeek.SUNDAY) continue;
            days.add(new Day(d, t.locationId(), OPEN, CLOSE, List.of(new Hours(t.lunch(), t.lunch().plusMinutes(30)))));
        }
        Mono<Void> pattern = repo.hasPattern(t.id()).flatMap(exists -> exists ? Mono.empty()
                : quietly(admin.replaceWorkingHours(ACTOR, t.id(), new WorkingHoursBody(null, days))));
        return profile.then(pattern);
    }

    /** A week's holiday for one therapist, three weeks after the first seeding. */
    private Mono<Void> holiday() {
        LocalDate from = LocalDate.now(clock.withZone(settings.zone())).plusWeeks(3);
        ZonedDateTime start = from.atStartOfDay(settings.zone());
        return repo.hasTimeOff("chesterfield-lena").flatMap(exists -> exists ? Mono.empty()
                : quietly(admin.addTimeOff(ACTOR, "chesterfield-lena", new TimeOffBody(start.toOffsetDateTime(),
                        start.plusWeeks(1).toOffsetDateTime(), "Holiday"))));
    }

    /** Another instance seeding at the same moment wins the race for a row: that is fine. */
    private static Mono<Void> quietly(Mono<?> write) {
        return write.then().onErrorResume(e -> e instanceof CatalogueAdmin.AlreadyExists
                || clinic.kit.data.SqlStates.isUniqueViolation(e), e -> {
            log.info("demo clinic: another instance got there first ({})", e.getMessage());
            return Mono.empty();
        });
    }
}
