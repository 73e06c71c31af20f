package clinic.offer.offers;

import clinic.kit.audit.AuditLog;
import clinic.offer.config.OffersProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The local run's demo offer: {@code FEB10}, 10% off sports massage at every location for
 * appointments in the February that is not yet over in the clinic's zone. Created once; a
 * restart (or a second instance) finds it and leaves it alone. Not checked against the catalogue
 * copy: at start-up the copy may not yet have read booking-service's seeded catalogue, and the
 * category is the demo catalogue's own.
 */
@Component
@Profile("local")
class FebruarySeed {
    static final String CODE = "FEB10";
    /** Seeded by the platform itself, which is who the offer and its audit entry name. */
    static final String ACTOR = AuditLog.system("offer-service");
    private static final Logger log = LoggerFactory.getLogger(FebruarySeed.class);

    private final OfferService service;
    private final OfferRepository offers;
    private final Clock clock;
    private final ZoneId zone;

    FebruarySeed(OfferService service, OfferRepository offers, Clock clock, OffersProperties props) {
        this.service = service;
        this.offers = offers;
        this.clock = clock;
        this.zone = props.zone();
    }

    record Window(Instant startsAt, Instant endsAt) {}

    /** 1 February 00:00 to 1 March 00:00 local: this year's until 1 March begins, else next year's. */
    static Window februaryNotYetOver(Instant now, ZoneId zone) {
        int year = LocalDate.ofInstant(now, zone).getYear();
        Instant thisMarch = LocalDate.of(year, 3, 1).atStartOfDay(zone).toInstant();
        if (!now.isBefore(thisMarch)) year++;
        return new Window(LocalDate.of(year, 2, 1).atStartOfDay(zone).toInstant(),
                LocalDate.of(year, 3, 1).atStartOfDay(zone).toInstant());
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        Window w = februaryNotYetOver(clock.instant(), zone);
        NewOffer feb10 = new NewOffer(CODE, "10% off sports massage this February",
                "Book any sports massage in February and save 10%.", 10, null, "sports-massage", List.of(),
                List.of(), w.startsAt(), w.endsAt(), null, 1, null, true);
        try {
            Offer created = offers.existsWithCodeStartingAt(CODE, w.startsAt())
                    .flatMap(exists -> exists ? Mono.<Offer>empty() : service.createUnchecked(feb10, ACTOR))
                    .onErrorResume(OfferCodeTaken.class, e -> Mono.empty())
                    .block(Duration.ofSeconds(30));
            if (created != null) log.info("seeded offer {} for {} to {}", CODE, w.startsAt(), w.endsAt());
        } catch (RuntimeException e) {
            log.error("could not seed offer {}: {}", CODE, e.toString());
        }
    }
}
