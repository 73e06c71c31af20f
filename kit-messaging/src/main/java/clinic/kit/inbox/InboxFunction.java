package clinic.kit.inbox;

import java.util.function.Consumer;
import org.springframework.messaging.Message;

/**
 * One {@link EventHandler} as a Spring Cloud Stream function: an imperative consumer (the
 * binder's retry and dead-letter support work only for those), bound as {@code <name>-in-0}.
 * The body stays bytes: the kit reads the JSON itself, so a body that is not JSON is a poison
 * event the kit names rather than a conversion error of the framework.
 */
public final class InboxFunction implements Consumer<Message<byte[]>> {
    private final EventHandler handler;
    private final InboxProcessor processor;
    private final String topic;

    InboxFunction(EventHandler handler, InboxProcessor processor) {
        this.handler = handler;
        this.processor = processor;
        this.topic = InboxBindings.destination(handler);
    }

    @Override
    public void accept(Message<byte[]> message) {
        processor.apply(handler, message, topic);
    }

    EventHandler handler() {
        return handler;
    }
}
