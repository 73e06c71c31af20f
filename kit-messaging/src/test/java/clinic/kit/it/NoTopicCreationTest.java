package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.testsupport.TestInfra;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Production (clinic.topics.create=false): topics are declared by the cluster, never created by a service. */
// Its own service name (so its own consumer group) and a context closed after the class: a cached
// context in the group "kit-test" would take partitions of kit-test.events from OutboxAndInboxTest.
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(properties = {"clinic.topics.create=false", "spring.application.name=kit-no-topics"})
class NoTopicCreationTest {
    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kit");
    }

    @Autowired ApplicationContext context;

    @Test
    void noTopicIsDeclaredForCreation() {
        assertThat(context.getBeansOfType(KafkaAdmin.NewTopics.class)).isEmpty();
        assertThat(context.getBeansOfType(org.apache.kafka.clients.admin.NewTopic.class)).isEmpty();
    }
}
