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
        assertThat(groups.get("liveness").isMember("kafka")).isFalse();
    }

    @Test
    void theWholeHealthStillReportsTheDependencies() {
        var all = (CompositeHealth) health.health();
        assertThat(all.getComponents()).containsKeys("r2dbc", "kafka");
        assertThat(all.getComponents().get("kafka").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void locallyTheKitDeclaresTheTopicsItPublishesAndItsDeadLetterTopics() {
        assertThat(context.getBeansOfType(KafkaAdmin.NewTopics.class)).isNotEmpty();
    }
}
