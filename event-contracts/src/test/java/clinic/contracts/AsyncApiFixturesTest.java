package clinic.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.callback.CallbackTopics;
import clinic.contracts.catalogue.CatalogueTopics;
import clinic.contracts.notification.NotificationTopics;
import clinic.contracts.offer.OfferTopics;
import clinic.contracts.privacy.PrivacyTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/api/asyncapi.yaml describes every event type of this module: each type constant has a
 * message on the channel of its topic, each golden fixture matches that message's payload schema,
 * and the CloudEvents headers the outbox relay writes match its header schema.
 */
class AsyncApiFixturesTest {
    private static final Path DOCUMENT = Path.of("../docs/api/asyncapi.yaml");
    /** The document is registered under this id so that its internal $refs resolve. */
    private static final String DOCUMENT_ID = "https://clinic.example/asyncapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Class<?>> TOPICS = List.of(BookingTopics.class, OfferTopics.class, CallbackTopics.class,
            NotificationTopics.class, CatalogueTopics.class, PrivacyTopics.class);
    private static final Map<String, String> SOURCES = Map.of(
            BookingTopics.TOPIC, "booking-service", OfferTopics.TOPIC, "offer-service",
            CallbackTopics.TOPIC, "callback-service", NotificationTopics.TOPIC, "notification-service",
            CatalogueTopics.TOPIC, "booking-service",
            // Completions come from every erasing service; their header schema names all four.
            PrivacyTopics.TOPIC, "booking-service");

    private static final JsonNode DOC = read();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            b -> b.schemaLoaders(l -> l.schemas(Map.of(DOCUMENT_ID, DOC.toString()))));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DOCUMENT));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DOCUMENT.toAbsolutePath(), e);
        }
    }

    /** Event type → topic, from the *Topics constants (everything but TOPIC). */
    static Map<String, String> eventTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (Class<?> c : TOPICS) {
            try {
                String topic = (String) c.getField("TOPIC").get(null);
                for (Field f : c.getFields()) {
                    if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("TOPIC")) {
                        types.put((String) f.get(null), topic);
                    }
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    static Stream<String> types() {
        return eventTypes().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyEventTypeIsAMessageOnItsTopicsChannelAndItsFixtureMatchesThePayloadSchema(String type) throws Exception {
        String key = messageKey(type);
        assertThat(key).as("a message named %s in components.messages", type).isNotNull();
        assertThat(channelAddressOf(key)).isEqualTo(eventTypes().get(type));

        JsonNode message = DOC.path("components").path("messages").path(key);
        JsonNode fixture = JSON.readTree(Fixtures.json(type));
        assertThat(errors(message.path("payload"), fixture)).as("fixture %s against its payload schema", type).isEmpty();

        ObjectNode headers = JSON.createObjectNode()
                .put("ce_id", "1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9")
                .put("ce_type", type)
                .put("ce_source", SOURCES.get(eventTypes().get(type)))
                .put("ce_time", "2027-01-20T12:00:00.123456Z")
                .put("ce_specversion", "1.0")
                .put("content-type", "application/json")
                .put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(errors(message.path("headers"), headers)).as("headers of %s", type).isEmpty();
        headers.put("ce_type", type + "-other");
        assertThat(errors(message.path("headers"), headers)).as("another type's headers").isNotEmpty();
    }

    @Test
    void theSchemasRejectWhatTheRecordsWouldNeverWrite() throws Exception {
        JsonNode payload = DOC.path("components").path("messages").path(messageKey(BookingTopics.CONFIRMED)).path("payload");
        ObjectNode missing = (ObjectNode) JSON.readTree(Fixtures.json(BookingTopics.CONFIRMED));
        missing.remove("reference");
        assertThat(errors(payload, missing)).isNotEmpty();
        ObjectNode wrongType = (ObjectNode) JSON.readTree(Fixtures.json(BookingTopics.CONFIRMED));
        wrongType.put("totalPence", "4950");
        assertThat(errors(payload, wrongType)).isNotEmpty();
        ObjectNode badInstant = (ObjectNode) JSON.readTree(Fixtures.json(BookingTopics.CONFIRMED));
        badInstant.put("startsAt", "10 February");
        assertThat(errors(payload, badInstant)).isNotEmpty();
    }

    @Test
    void everyMessageOfTheDocumentIsAnEventTypeOfThisModuleWithAFixture() {
        Set<String> described = new TreeSet<>();
        DOC.path("components").path("messages").forEach(m -> described.add(m.path("name").asText()));
        assertThat(described).isEqualTo(new TreeSet<>(eventTypes().keySet()));
        for (String type : described) assertThat(Fixtures.json(type)).isNotBlank();
    }

    private static String messageKey(String type) {
        var it = DOC.path("components").path("messages").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (type.equals(e.getValue().path("name").asText())) return e.getKey();
        }
        return null;
    }

    private static String channelAddressOf(String messageKey) {
        String ref = "#/components/messages/" + messageKey;
        var it = DOC.path("channels").fields();
        while (it.hasNext()) {
            JsonNode channel = it.next().getValue();
            for (JsonNode m : channel.path("messages")) {
                if (ref.equals(m.path("$ref").asText())) return channel.path("address").asText();
            }
        }
        return null;
    }

    /** Validates against a schema of the document, given as {@code {$ref: ...}} or inline under components. */
    private static Set<ValidationMessage> errors(JsonNode schemaOrRef, JsonNode instance) {
        String ref = schemaOrRef.path("$ref").asText(null);
        assertThat(ref).as("schemas are referenced from components").isNotNull();
        JsonSchema schema = SCHEMAS.getSchema(SchemaLocation.of(DOCUMENT_ID + ref), CONFIG);
        return schema.validate(instance);
    }
}
