package clinic.kit.it;

import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.kit.outbox.Outbox;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import clinic.kit.web.ClinicException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** A minimal service: makes "things" with an event each, and records the events it consumes. */
@SpringBootApplication
public class KitTestApplication {
    static final String TOPIC = "kit-test.events";
    /** Only the tracing test's context reads and writes it, so the other tests never see its events. */
    static final String TRACE_TOPIC = "kit-trace.events";
    /** Attempts per "db-away" thing (OutboxAndInboxTest): the handler fails while the count is at most 5. */
    static final java.util.concurrent.ConcurrentHashMap<String, Integer> DATABASE_AWAY = new java.util.concurrent.ConcurrentHashMap<>();

    public record ThingCreated(String thingId, int n) {}

    @Bean
    Things things(DatabaseClient db, TransactionalOperator tx, Outbox outbox) {
        return new Things(db, tx, outbox);
    }

    @Bean
    EventHandler seenHandler(DatabaseClient db, org.springframework.core.env.Environment env) {
        // Per service name: a cached context of another test class may read the same topic in its own group.
        String service = env.getProperty("spring.application.name");
        return new EventHandler() {
            @Override
            public Collection<String> topics() {
                return List.of(TOPIC);
            }

            @Override
            public Mono<Void> handle(InboundEvent e) {
                if (!"thing.created.v1".equals(e.type())) return Mono.empty();
                ThingCreated t = e.payloadAs(ThingCreated.class);
                if (t.thingId().startsWith("poison")) throw new PoisonEvent("poison thing " + t.thingId(), null);
                // The database "away" for the first attempts of such a thing: more than the bounded attempts.
                if (t.thingId().startsWith("db-away") && DATABASE_AWAY.merge(service + ":" + t.thingId(), 1, Integer::sum) <= 5) {
                    throw new org.springframework.dao.DataAccessResourceFailureException("database away (test)");
                }
                return db.sql("insert into seen (event_id, thing_id) values (:e, :t)")
                        .bind("e", e.id()).bind("t", t.thingId()).then();
            }

            @Override
            public String consumerName() {
                return "seen";
            }
        };
    }

    /** Continues the trace: the event it appends while handling one is the next hop of the same trace. */
    @Bean
    @ConditionalOnProperty("kit-test.tracing")
    EventHandler traceHandler(Outbox outbox) {
        return new EventHandler() {
            @Override
            public Collection<String> topics() {
                return List.of(TRACE_TOPIC);
            }

            @Override
            public Mono<Void> handle(InboundEvent e) {
                if ("trace.poison.v1".equals(e.type())) throw new PoisonEvent("poison on purpose", null);
                if (!"trace.started.v1".equals(e.type())) return Mono.empty();
                return outbox.append(TRACE_TOPIC, e.key(), "trace.continued.v1", e.payloadAs(ThingCreated.class)).then();
            }

            @Override
            public String consumerName() {
                return "trace";
            }
        };
    }

    /** HTTP entry points for the tracing test: one that publishes an event, two that fail. */
    @RestController
    @ConditionalOnProperty("kit-test.tracing")
    static class TraceRoutes {
        private final TransactionalOperator tx;
        private final Outbox outbox;

        TraceRoutes(TransactionalOperator tx, Outbox outbox) {
            this.tx = tx;
            this.outbox = outbox;
        }

        @PostMapping("/traced/{id}")
        Mono<Void> start(@PathVariable String id) {
            return tx.transactional(outbox.append(TRACE_TOPIC, id, "trace.started.v1", new ThingCreated(id, 1))).then();
        }

        @GetMapping("/traced/broken")
        Mono<Void> broken() {
            return Mono.error(new IllegalStateException("broken on purpose"));
        }

        @GetMapping("/traced/missing")
        Mono<Void> missing() {
            return Mono.error(ClinicException.notFound("Thing"));
        }
    }

    public static class Things {
        private final DatabaseClient db;
        private final TransactionalOperator tx;
        private final Outbox outbox;

        Things(DatabaseClient db, TransactionalOperator tx, Outbox outbox) {
            this.db = db;
            this.tx = tx;
            this.outbox = outbox;
        }

        public Mono<Void> create(String id, int n) {
            return tx.transactional(db.sql("insert into thing (id) values (:id)").bind("id", id).then()
                    .then(outbox.append(TOPIC, id, "thing.created.v1", new ThingCreated(id, n)))).then();
        }

        /** An event only (no row), so one key can get many events in a row. */
        public Mono<Void> touch(String key, int n) {
            return tx.transactional(outbox.append(TOPIC, key, "thing.touched.v1", new ThingCreated(key, n))).then();
        }

        public Mono<Void> createThenFail(String id) {
            return tx.transactional(db.sql("insert into thing (id) values (:id)").bind("id", id).then()
                    .then(outbox.append(TOPIC, id, "thing.created.v1", new ThingCreated(id, 0)))
                    .then(Mono.error(new IllegalStateException("rolled back on purpose")))).then();
        }

        public Mono<Map<String, Object>> counts() {
            return db.sql("select (select count(*) from thing) things, (select count(*) from seen) seen, "
                            + "(select count(*) from outbox_event where published_at is null) unsent")
                    .fetch().one();
        }
    }
}
