package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.kit.audit.AuditLog;
import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The audit log commits with the change it describes and is served, newest first, to admins only. */
// Its own service name (so its own consumer group) and a context closed after the class: a cached
// context in the group "kit-test" would take partitions of kit-test.events from OutboxAndInboxTest.
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.application.name=kit-audit")
class AuditLogTest {
    private static final TestTokens JWT = new TestTokens(Clock.systemUTC());

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kitaudit");
    }

    @LocalServerPort int port;
    @Autowired AuditLog audit;
    @Autowired TransactionalOperator tx;
    @Autowired DatabaseClient db;

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static String token(String role) {
        return "Bearer " + JWT.issue("someone@clinic.test", Set.of(role), Duration.ofMinutes(5));
    }

    @Test
    void anEntryCommitsOrRollsBackWithItsTransaction() {
        String target = "thing/" + UUID.randomUUID();
        tx.transactional(audit.record("admin@clinic.test", "thing.updated", target, Map.of("price", Map.of("before", 1, "after", 2))))
                .block();
        assertThatThrownBy(() -> tx.transactional(audit.record("admin@clinic.test", "thing.updated", target + "-x", Map.of())
                .then(Mono.error(new IllegalStateException("on purpose")))).block()).hasMessageContaining("on purpose");

        Long kept = db.sql("select count(*) from audit_entry where target like :t").bind("t", target + "%")
                .map(r -> r.get(0, Long.class)).one().block();
        assertThat(kept).isEqualTo(1L);
    }

    @Test
    void adminsReadNewestFirstFilteredByActorAndOthersAreRefused() {
        String actor = "reader-" + UUID.randomUUID() + "@clinic.test";
        tx.transactional(audit.record(actor, "thing.created", "thing/1", Map.of("name", "first"))).block();
        tx.transactional(audit.record(actor, "thing.updated", "thing/1", null)).block();

        client().get().uri(u -> u.path("/api/admin/audit").queryParam("actor", actor).build())
                .header("Authorization", token("ADMIN")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].action").isEqualTo("thing.updated")
                .jsonPath("$[1].action").isEqualTo("thing.created")
                .jsonPath("$[1].details.name").isEqualTo("first")
                .jsonPath("$[1].service").isEqualTo("kit-audit")
                .jsonPath("$[0].at").exists();

        client().get().uri("/api/admin/audit").header("Authorization", token("STAFF")).exchange()
                .expectStatus().isForbidden();
        client().get().uri("/api/admin/audit").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/admin/audit?from=yesterday").header("Authorization", token("ADMIN")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("from");
    }
}
