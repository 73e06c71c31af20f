package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.testsupport.TestInfra;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Readiness is the pod's own state only: a PostgreSQL or Kafka outage must not empty every Service
 * at once. The dependencies stay in /actuator/health, where the alerts read them.
 */
// Its own service name (so its own consumer group) and a context closed after the class: a cached
// context in the group "kit-test" would take partitions of kit-test.events from OutboxAndInboxTest.
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(properties = "spring.application.name=kit-health")
class HealthGroupsTest {
    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kit");
    }

    @Autowired HealthEndpointGroups groups;
    @Autowired HealthEndpoint health;
    @Autowired ApplicationContext context;

    @Test
    void readinessHoldsNoDependencyIndicator() {
        var readiness = groups.get("readiness");
        assertThat(readiness.isMember("readinessState")).isTrue();
        assertThat(readiness.isMember("r2dbc")).as("PostgreSQL in readiness").isFalse();
        assertThat(readiness.isMember("kafka")).as("Kafka in readiness").isFalse();
        assertThat(readiness.isMember("binders")).as("the Kafka binder in readiness").isFalse();
        assertThat(groups.get("liveness").isMember("kafka")).isFalse();
    }

    @Test
    void theWholeHealthStillReportsTheDependencies() {
        var all = (CompositeHealth) health.health();
        assertThat(all.getComponents()).containsKeys("r2dbc", "kafka");
        assertThat(all.getComponents().get("kafka").getStatus()).isEqualTo(Status.UP);
        // The binder's own indicator (its consumers and their partitions) sits next to the kit's.
        assertThat(all.getComponents()).containsKey("binders");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(((CompositeHealth) health.health()).getComponents().get("binders").getStatus())
                        .isEqualTo(Status.UP));
    }

    @Test
    void everyInboxBindingRunsAndItsConsumerLagIsAMetric() {
        assertThat(context.getBean(clinic.kit.inbox.InboxBindings.class).allRunning()).isTrue();
        var meters = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        // The consumer-lag alert (observability/prometheus/alerts.yml) reads this gauge of the binding's consumer.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                meters.find("kafka.consumer.fetch.manager.records.lag.max").gauge() != null);
    }

    @Test
    void locallyTheKitDeclaresTheTopicsItPublishesAndItsDeadLetterTopics() {
        assertThat(context.getBeansOfType(KafkaAdmin.NewTopics.class)).isNotEmpty();
    }
}
