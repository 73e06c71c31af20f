package clinic.offer.catalogue;

import clinic.contracts.catalogue.CatalogueTopics;
import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.TreatmentChanged;
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
 * Keeps {@link CatalogueCopy} from booking-service's {@code catalogue.events}. Therapists and
 * closures are no business of offers: declined without a transaction.
 */
@Component
class CatalogueEvents implements EventHandler {
    private static final Logger log = LoggerFactory.getLogger(CatalogueEvents.class);

    private final CatalogueCopy copy;

    CatalogueEvents(CatalogueCopy copy) {
        this.copy = copy;
    }

    @Override
    public Collection<String> topics() {
        return List.of(CatalogueTopics.TOPIC);
    }

    @Override
    public String consumerName() {
        return "catalogue-events";
    }

    @Override
    public boolean wants(InboundEvent e) {
        return CatalogueTopics.TREATMENT_CHANGED.equals(e.type()) || CatalogueTopics.LOCATION_CHANGED.equals(e.type());
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case CatalogueTopics.TREATMENT_CHANGED -> onTreatmentChanged(e.payloadAs(TreatmentChanged.class), e);
            case CatalogueTopics.LOCATION_CHANGED -> onLocationChanged(e.payloadAs(LocationChanged.class), e);
            default -> Mono.empty();
        };
    }

    private Mono<Void> onTreatmentChanged(TreatmentChanged t, InboundEvent e) {
        require(t.id() != null && t.name() != null && t.category() != null && t.changedAt() != null && t.pricePence() >= 0,
                e, "id, name, category, a price and changedAt");
        return copy.upsert(t).doOnNext(written -> stale(written, e, t.id())).then();
    }

    private Mono<Void> onLocationChanged(LocationChanged l, InboundEvent e) {
        require(l.id() != null && l.name() != null && l.changedAt() != null, e, "id, name and changedAt");
        return copy.upsert(l).doOnNext(written -> stale(written, e, l.id())).then();
    }

    private static void stale(boolean written, InboundEvent e, String id) {
        if (!written) log.info("{} {} for {} is older than the copy's state: ignored", e.type(), e.id(), id);
    }

    private static void require(boolean ok, InboundEvent e, String what) {
        if (!ok) throw new PoisonEvent(e.type() + " " + e.id() + " lacks " + what, null);
    }
}
