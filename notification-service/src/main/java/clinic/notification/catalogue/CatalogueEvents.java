package clinic.notification.catalogue;

import clinic.contracts.catalogue.CatalogueTopics;
import clinic.contracts.catalogue.LocationChanged;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@link LocationCopy} from booking-service's {@code catalogue.events}. Treatments, therapists
 * and closures are not shown in any message beyond what booking events carry: declined without a
 * transaction.
 */
@Component
class CatalogueEvents implements EventHandler {
    private static final Logger log = LoggerFactory.getLogger(CatalogueEvents.class);

    private final LocationCopy locations;

    CatalogueEvents(LocationCopy locations) {
        this.locations = locations;
    }

    @Override
    public Collection<String> topics() {
        return List.of(CatalogueTopics.TOPIC);
    }

    @Override
    public boolean wants(InboundEvent e) {
        return CatalogueTopics.LOCATION_CHANGED.equals(e.type());
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        if (!CatalogueTopics.LOCATION_CHANGED.equals(e.type())) return Mono.empty();
        LocationChanged l = e.payloadAs(LocationChanged.class);
        if (l.id() == null || l.name() == null || l.changedAt() == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks id, name or changedAt", null);
        }
        return locations.upsert(l)
                .doOnNext(written -> {
                    if (!written) log.info("{} {} for {} is older than the copy's state: ignored", e.type(), e.id(), l.id());
                })
                .then();
    }
}
