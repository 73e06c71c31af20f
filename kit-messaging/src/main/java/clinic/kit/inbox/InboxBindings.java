package clinic.kit.inbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaBindingProperties;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.config.BindingProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.core.env.Environment;

/**
 * Every {@link EventHandler} bean runs as a Spring Cloud Stream binding: the kit registers one
 * function per handler, named after the handler's bean name plus {@value #SUFFIX} (handler bean
 * {@code bookingEvents} → function {@code bookingEventsInbox}, binding
 * {@code bookingEventsInbox-in-0}); the service declares the binding in its application.yml.
 *
 * <p>At start-up this checks the binder-wide settings (acks=all, no topic creation) and every handler's binding against what the kit guaranteed when it
 * built the listener containers itself, and refuses to start otherwise: the function is in
 * {@code spring.cloud.function.definition}; the destination is exactly the handler's topic; the
 * group is the service's name (a group per binding would read every event once per instance;
 * none, an anonymous group that starts at the end and cannot dead-letter); the binding
 * dead-letters ({@code enableDlq}) to {@code <topic>.dlq}, the topic the platform creates; and no
 * two bindings of the service read one topic in one group (they would split its partitions
 * between them, each seeing half the events).
 */
public class InboxBindings {
    static final String SUFFIX = "Inbox";
    private static final String INPUT = "-in-0";

    private final Map<String, EventHandler> handlersByFunction;
    private final BindingServiceProperties bindings;
    private final Environment env;
    private final BindingsLifecycleController lifecycle;

    public InboxBindings(Map<String, EventHandler> handlersByFunction, BindingServiceProperties bindings,
                         Environment env, BindingsLifecycleController lifecycle) {
        this.handlersByFunction = Map.copyOf(handlersByFunction);
        this.bindings = bindings;
        this.env = env;
        this.lifecycle = lifecycle;
    }

    /** The function name of the handler bean {@code beanName}. */
    public static String functionName(String beanName) {
        return beanName + SUFFIX;
    }

    /** The destination a handler's binding must read: its topics, as the binder lists several. */
    public static String destination(EventHandler handler) {
        return String.join(",", handler.topics());
    }

    /** The input binding of the handler bean {@code beanName}. */
    public static String bindingName(String beanName) {
        return functionName(beanName) + INPUT;
    }

    /** Input binding names of every handler of this service. */
    public List<String> bindingNames() {
        return handlersByFunction.keySet().stream().sorted().map(f -> f + INPUT).toList();
    }

    /** Refuses a binding that would read less safely than the kit's hand-built containers did. */
    public void verify() {
        String group = env.getProperty("spring.application.name", "clinic");
        Set<String> defined = Arrays.stream(env.getProperty("spring.cloud.function.definition", "").split("[;,|]"))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        Map<String, KafkaBindingProperties> kafka = Binder.get(env)
                .bind("spring.cloud.stream.kafka.bindings", Bindable.mapOf(String.class, KafkaBindingProperties.class))
                .orElse(Map.of());
        List<String> problems = new ArrayList<>();
        // The binder-wide settings of the kit's defaults (docs/adr/0010), should a service override them.
        Binder config = Binder.get(env);
        String acks = config.bind("spring.cloud.stream.kafka.binder.required-acks", String.class).orElse("1");
        if (!"all".equals(acks) && !"-1".equals(acks)) {
            problems.add("spring.cloud.stream.kafka.binder.required-acks is " + acks + ": the binder's producers need all");
        }
        if (config.bind("spring.cloud.stream.kafka.binder.auto-create-topics", Boolean.class).orElse(true)
                || config.bind("spring.cloud.stream.kafka.binder.auto-add-partitions", Boolean.class).orElse(false)) {
            problems.add("the binder may not create topics or partitions (auto-create-topics/auto-add-partitions "
                    + "false): the platform declares them");
        }
        Map<String, String> bindingOfTopic = new HashMap<>();
        for (var entry : new LinkedHashMap<>(handlersByFunction).entrySet()) {
            String function = entry.getKey();
            String binding = function + INPUT;
            String topic = destination(entry.getValue());
            if (!defined.contains(function)) {
                problems.add("spring.cloud.function.definition does not name " + function);
            }
            BindingProperties b = bindings.getBindingProperties(binding);
            if (!topic.equals(b.getDestination())) {
                problems.add("spring.cloud.stream.bindings." + binding + ".destination is " + b.getDestination()
                        + ", the handler reads " + topic);
            }
            if (!group.equals(b.getGroup())) {
                problems.add("spring.cloud.stream.bindings." + binding + ".group is " + b.getGroup()
                        + ", must be the service's name " + group);
            }
            KafkaBindingProperties k = kafka.get(binding);
            if (k == null || !k.getConsumer().isEnableDlq()) {
                problems.add("spring.cloud.stream.kafka.bindings." + binding + ".consumer.enableDlq must be true");
            } else if (!(topic + ".dlq").equals(k.getConsumer().getDlqName())) {
                problems.add("spring.cloud.stream.kafka.bindings." + binding + ".consumer.dlqName is "
                        + k.getConsumer().getDlqName() + ", must be " + topic + ".dlq");
            }
            for (String t : entry.getValue().topics()) {
                String other = bindingOfTopic.putIfAbsent(t, binding);
                if (other != null) {
                    problems.add(binding + " and " + other + " both read " + t + " in group " + group
                            + ": they would split its partitions; one handler per topic");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("inbox bindings are not safe: " + String.join("; ", problems));
        }
    }

    /** The handler's consumer name for a binding destination (the container's client id), or null. */
    public String consumerNameOfTopic(String destination) {
        return handlersByFunction.values().stream()
                .filter(h -> destination(h).equals(destination))
                .map(EventHandler::consumerName).findFirst().orElse(null);
    }

    /** Stops every inbox binding (its consumers leave the group; committed offsets stay). */
    public void stop() {
        bindingNames().forEach(lifecycle::stop);
    }

    /** Starts every inbox binding again; each resumes from its group's committed offsets. */
    public void start() {
        bindingNames().forEach(lifecycle::start);
    }

    /** Whether every inbox binding is bound and running. */
    public boolean allRunning() {
        return bindingNames().stream().allMatch(name -> {
            List<Binding<?>> state = lifecycle.queryState(name);
            return state != null && !state.isEmpty() && state.stream().allMatch(Binding::isRunning);
        });
    }

    /**
     * Registers the function of every handler bean before any bean is made, so the function
     * catalog finds them by name like any {@code @Bean Consumer}; the handler itself is fetched
     * lazily, when the function is.
     */
    public static class Functions implements BeanDefinitionRegistryPostProcessor {
        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
            if (!(registry instanceof ConfigurableListableBeanFactory factory)) return;
            for (String handler : factory.getBeanNamesForType(EventHandler.class, true, false)) {
                String function = functionName(handler);
                if (registry.containsBeanDefinition(function)) {
                    throw new IllegalStateException("bean " + function + " exists: the kit names the function of "
                            + "handler " + handler + " so; rename one of them");
                }
                var definition = new RootBeanDefinition(InboxFunction.class, () -> new InboxFunction(
                        factory.getBean(handler, EventHandler.class), factory.getBean(InboxProcessor.class)));
                registry.registerBeanDefinition(function, definition);
            }
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }
    }
}
