package clinic.notification.dispatch;

import clinic.notification.notification.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Delivery outcomes, tagged {@code channel} (email, sms), counted only when the dispatcher's
 * guarded update recorded them (so a retry of a lost outcome is not counted twice):
 * {@code clinic.notifications.sent}, {@code clinic.notifications.failed} (gave up after the last
 * attempt), {@code clinic.notifications.retrying} (an attempt failed and another is scheduled), and
 * the gauge {@code clinic.notifications.retry.waiting} (notifications now waiting for a retry, as
 * of the dispatcher's last count).
 */
@Component
class DeliveryMetrics {
    private final Map<Channel, Counter> sent = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> failed = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> retrying = new EnumMap<>(Channel.class);
    private final Map<Channel, AtomicLong> waiting = new EnumMap<>(Channel.class);

    DeliveryMetrics(MeterRegistry meters) {
        for (Channel c : Channel.values()) {
            String tag = tag(c);
            sent.put(c, Counter.builder("clinic.notifications.sent").tag("channel", tag)
                    .description("Notifications delivered to the mail server or SMS provider").register(meters));
            failed.put(c, Counter.builder("clinic.notifications.failed").tag("channel", tag)
                    .description("Notifications given up after their last attempt").register(meters));
            retrying.put(c, Counter.builder("clinic.notifications.retrying").tag("channel", tag)
                    .description("Failed attempts after which another attempt is scheduled").register(meters));
            AtomicLong value = new AtomicLong();
            waiting.put(c, value);
            Gauge.builder("clinic.notifications.retry.waiting", value, AtomicLong::get).tag("channel", tag)
                    .description("Notifications waiting for their next attempt after a failure").register(meters);
        }
    }

    private static String tag(Channel c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    /** The stored channel name; anything unknown is mail, as the dispatcher treats it. */
    private static Channel channel(String stored) {
        return Channel.SMS.name().equals(stored) ? Channel.SMS : Channel.EMAIL;
    }

    void sent(String channel) {
        sent.get(channel(channel)).increment();
    }

    void failed(String channel) {
        failed.get(channel(channel)).increment();
    }

    void retrying(String channel) {
        retrying.get(channel(channel)).increment();
    }

    /** Replaces the waiting counts; a channel absent from {@code counts} has none waiting. */
    void waiting(Map<String, Long> counts) {
        for (Channel c : Channel.values()) waiting.get(c).set(counts.getOrDefault(c.name(), 0L));
    }
}
