package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.testsupport.TestInfra;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.function.context.catalog.FunctionAroundWrapper;
import org.springframework.cloud.function.observability.ObservationFunctionAroundWrapper;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The settings that keep the binder's own per-event work small (docs/adr/0010, "Cost"), in the
 * same context as OutboxAndInboxTest, whose events go through them: a Spring upgrade or a service's
 * own setting that brought the costs back would show here, not only as CPU in the benchmark.
 */
@SpringBootTest
class BindingCostTest {
    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kit");
    }

    @Autowired ApplicationContext context;
    @Autowired BindingServiceProperties bindings;
    @Autowired org.springframework.core.env.Environment env;

    @Test
    void functionsRunWithoutSpringCloudFunctionsObservation() {
        assertThat(context.getBeansOfType(FunctionAroundWrapper.class).values())
                .hasSize(1)
                .noneMatch(ObservationFunctionAroundWrapper.class::isInstance);
    }

    @Test
    void inboxBindingsHandTheBodyOverUnconverted() {
        assertThat(bindings.getBindingProperties("seenHandlerInbox-in-0").getConsumer().isUseNativeDecoding()).isTrue();
    }

    @Test
    void theLagGaugeIsNotComputedAtEveryScrape() {
        // Read from the environment: the binder's properties live in its own child context. Unset, the
        // binder's default is true (a computation at every scrape).
        assertThat(Binder.get(env).bind("spring.cloud.stream.kafka.binder.metrics.default-offset-lag-metrics-enabled",
                Boolean.class).orElse(true)).isFalse();
    }
}
