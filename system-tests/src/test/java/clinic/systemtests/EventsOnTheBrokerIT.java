package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The events the running platform really publishes, read back from the broker, against
 * docs/api/asyncapi.yaml: every record on every topic the document names has the CloudEvents
 * headers of a message on that topic's channel and a payload its schema accepts. The golden
 * fixtures are checked the same way in event-contracts; this catches a producer that drifts from
 * both (a field renamed in a record, a header the relay stops writing).
 */
class EventsOnTheBrokerIT {
    private static final Path DOCUMENT = Path.of(System.getProperty("clinic.root", ".."), "docs", "api", "asyncapi.yaml");
    private static final String DOCUMENT_ID = "https://clinic.example/asyncapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Platform p;
    static JsonNode doc;

    @BeforeAll
    static void platform() throws IOException {
        p = Platform.get();
        doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DOCUMENT));
    }

    @Test
    void everyEventOnEveryTopicMatchesItsMessageInTheAsyncApiDocument() {
        // Make sure the busiest kinds are there whatever ran before: a booking and a callback.
        String email = Journeys.uniqueEmail("broker");
        var day = Journeys.weekdayAhead(12);
        JsonNode slots = Journeys.slots(p, "hathersage", "sports-massage-30", day);
        assertThat(slots.size()).as("free slots at Hathersage on %s", day).isPositive();
        var booked = p.post("/api/bookings", Journeys.booking("hathersage", "sports-massage-30", slots.get(slots.size() - 1), email, null));
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        String reference = booked.body().get("reference").asText();
        var callback = p.post("/api/callbacks", Journeys.callback("Broker Check", email, "hathersage"));
        assertThat(callback.status()).as(String.valueOf(callback.body())).isEqualTo(202);

        Map<String, String> channelOfType = channelsByType();
        Set<String> topics = Set.copyOf(channelOfType.values());
        JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.schemaLoaders(l -> l.schemas(Map.of(DOCUMENT_ID, doc.toString()))));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

        Map<String, Integer> seen = new TreeMap<>();
        List<String> departures = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            seen.clear();
            departures.clear();
            boolean ourBooking = false;
            for (ConsumerRecord<byte[], byte[]> r : readAll(topics)) {
                String type = header(r, "ce_type");
                if (type == null) {
                    departures.add(r.topic() + "@" + r.partition() + ":" + r.offset() + " has no ce_type header");
                    continue;
                }
                seen.merge(type, 1, Integer::sum);
                String key = messageKey(type);
                if (key == null || !r.topic().equals(channelOfType.get(type))) {
                    departures.add(type + " on " + r.topic() + " is not a message of that channel in the document");
                    continue;
                }
                JsonNode message = doc.path("components").path("messages").path(key);
                if (r.value() == null) {
                    departures.add(type + " at " + r.topic() + ":" + r.offset() + " has no payload");
                    continue;
                }
                JsonNode payload = JSON.readTree(r.value());
                ObjectNode headers = JSON.createObjectNode();
                for (Header h : r.headers()) headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                for (ValidationMessage m : validate(schemas, config, message.path("payload"), payload)) {
                    departures.add(type + " payload at " + r.topic() + ":" + r.offset() + ": " + m.getMessage());
                }
                for (ValidationMessage m : validate(schemas, config, message.path("headers"), headers)) {
                    departures.add(type + " headers at " + r.topic() + ":" + r.offset() + ": " + m.getMessage());
                }
                if (type.startsWith("booking.confirmed") && r.value() != null
                        && new String(r.value(), StandardCharsets.UTF_8).contains(reference)) {
                    ourBooking = true;
                }
            }
            assertThat(ourBooking).as("this test's booking %s on the broker", reference).isTrue();
        });
        System.out.println("EventsOnTheBrokerIT: event types read back " + seen);
        assertThat(seen.keySet()).as("callback requests are on the broker too").anyMatch(t -> t.startsWith("callback.requested"));
        assertThat(departures).as("records that depart from docs/api/asyncapi.yaml").isEmpty();
    }

    /** Every record now on {@code topics}, from the beginning to the current end. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(Set<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + p.kafkaPort);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            var known = consumer.listTopics(Duration.ofSeconds(10));
            for (String t : topics) {
                if (!known.containsKey(t)) continue;
                known.get(t).forEach(pi -> partitions.add(new TopicPartition(t, pi.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Event type (the message's name) → the address of the channel that carries it. */
    private static Map<String, String> channelsByType() {
        Map<String, String> out = new LinkedHashMap<>();
        doc.path("channels").forEach(channel -> channel.path("messages").forEach(m -> {
            String ref = m.path("$ref").asText();
            String key = ref.substring(ref.lastIndexOf('/') + 1);
            out.put(doc.path("components").path("messages").path(key).path("name").asText(), channel.path("address").asText());
        }));
        return out;
    }

    private static String messageKey(String type) {
        var it = doc.path("components").path("messages").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (type.equals(e.getValue().path("name").asText())) return e.getKey();
        }
        return null;
    }

    private static Set<ValidationMessage> validate(JsonSchemaFactory schemas, SchemaValidatorsConfig config, JsonNode ref,
                                                   JsonNode instance) {
        return schemas.getSchema(SchemaLocation.of(DOCUMENT_ID + ref.path("$ref").asText()), config).validate(instance);
    }
}
