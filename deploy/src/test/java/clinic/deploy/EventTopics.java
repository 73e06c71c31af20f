package clinic.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who publishes and who consumes each topic: the one table the Kafka resources are checked against
 * (KafkaTopics, KafkaUsers and their ACLs). {@link #documented()} reads docs/events.md, and a test
 * checks the two agree, so a new topic or consumer is written down in the docs and here together.
 * catalogue.events is here ahead of its rows in docs/events.md (issue 24: it is being added now).
 */
final class EventTopics {

    /** {@code producers}: one service for most topics; privacy.events has every erasing service answering. */
    record Topic(String name, Set<String> producers, Set<String> consumers) {}

    private static final Set<String> ERASING =
            Set.of("booking-service", "callback-service", "notification-service", "offer-service");

    static final List<Topic> TABLE = List.of(
            new Topic("booking.events", Set.of("booking-service"), Set.of("offer-service", "notification-service", "analytics-service",
                    "callback-service")),
            new Topic("catalogue.events", Set.of("booking-service"), Set.of("offer-service", "notification-service")),
            new Topic("offer.events", Set.of("offer-service"), Set.of("notification-service", "analytics-service")),
            new Topic("callback.events", Set.of("callback-service"), Set.of("notification-service", "analytics-service")),
            new Topic("notification.events", Set.of("notification-service"), Set.of("analytics-service")),
            // Erasure on request: booking-service asks, every service holding personal data answers (docs/privacy.md).
            new Topic("privacy.events", ERASING, ERASING));

    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`[a-z_.0-9]+`\\s*\\|\\s*`([a-z]+\\.events)`\\s*\\|[^|]*\\|\\s*([a-z-]+(?:,\\s*[a-z-]+)*)\\s*\\|([^|]*)\\|",
            Pattern.MULTILINE);
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([a-z]+)");

    private EventTopics() {}

    static Topic topic(String name) {
        return TABLE.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("topic " + name + " is not in EventTopics.TABLE"));
    }

    static Set<String> names() {
        Set<String> names = new TreeSet<>();
        TABLE.forEach(t -> names.add(t.name()));
        return names;
    }

    static Set<String> produces(String service) {
        Set<String> topics = new TreeSet<>();
        TABLE.stream().filter(t -> t.producers().contains(service)).forEach(t -> topics.add(t.name()));
        return topics;
    }

    static Set<String> consumes(String service) {
        Set<String> topics = new TreeSet<>();
        TABLE.stream().filter(t -> t.consumers().contains(service)).forEach(t -> topics.add(t.name()));
        return topics;
    }

    /** The services with any Kafka access in the table. */
    static Set<String> clients() {
        Set<String> clients = new TreeSet<>();
        TABLE.forEach(t -> {
            clients.addAll(t.producers());
            clients.addAll(t.consumers());
        });
        return clients;
    }

    /**
     * docs/events.md's event table, per topic: the producer column and the union of the consumer
     * columns ("offer (confirm redemption), notification (…), analytics" gives offer-service, …).
     */
    static Map<String, Topic> documented() {
        Matcher row = ROW.matcher(Repo.read(Repo.ROOT.resolve("docs/events.md")));
        Map<String, Set<String>> producers = new TreeMap<>();
        Map<String, Set<String>> consumers = new TreeMap<>();
        while (row.find()) {
            String topic = row.group(1);
            for (String producer : row.group(2).split(",")) {
                producers.computeIfAbsent(topic, k -> new TreeSet<>()).add(producer.trim());
            }
            Set<String> names = consumers.computeIfAbsent(topic, k -> new TreeSet<>());
            for (String part : splitOutsideParentheses(row.group(3))) {
                Matcher w = FIRST_WORD.matcher(part);
                if (w.find()) names.add(w.group(1).endsWith("-service") ? w.group(1) : w.group(1) + "-service");
            }
        }
        Map<String, Topic> topics = new LinkedHashMap<>();
        producers.forEach((t, p) -> topics.put(t, new Topic(t, p, consumers.get(t))));
        return topics;
    }

    private static List<String> splitOutsideParentheses(String cell) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : cell.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')') depth--;
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else if (depth == 0 && c != ')') {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
