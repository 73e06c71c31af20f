package clinic.booking.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Catalogue rows that existed before catalogue.events (an install upgraded with data) are published
 * once, at the first start after the upgrade, so other services' copies hold them too. The flag
 * row is taken in the same transaction as the events: of two instances only one publishes.
 */
@Component
class CatalogueRepublisher {
    private static final Logger log = LoggerFactory.getLogger(CatalogueRepublisher.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final CatalogueAdmin admin;

    CatalogueRepublisher(DatabaseClient db, TransactionalOperator tx, CatalogueAdmin admin) {
        this.db = db;
        this.tx = tx;
        this.admin = admin;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void republish() {
        Boolean done = tx.transactional(db.sql("delete from catalogue_republish where pending returning pending")
                        .map(r -> true).one()
                        .flatMap(pending -> admin.publishAll().thenReturn(true)))
                .defaultIfEmpty(false).block();
        if (Boolean.TRUE.equals(done)) log.info("catalogue published once for the copies of other services");
    }
}
