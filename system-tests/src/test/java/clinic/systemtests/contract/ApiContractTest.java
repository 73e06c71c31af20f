package clinic.systemtests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.contract.ApiContract.Exchange;
import clinic.systemtests.contract.ApiContract.Mode;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The document is sound and the checker catches drift, without a platform (runs with the unit tests). */
class ApiContractTest {
    private static final ApiContract CONTRACT = ApiContract.load(Path.of("../docs/api/openapi.yaml"));
    private static final Map<String, List<String>> JSON_RESPONSE = Map.of(
            "content-type", List.of("application/json"), "x-request-id", List.of("r1"));
    private static final Map<String, List<String>> PROBLEM_RESPONSE = Map.of(
            "content-type", List.of("application/problem+json"), "x-request-id", List.of("r1"));

    @Test
    void everyExampleInTheDocumentMatchesItsSchema() {
        List<String> failures = new ArrayList<>();
        JsonNode paths = CONTRACT.document().path("paths");
        paths.fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            String base = "#/paths/" + p.getKey().replace("~", "~0").replace("/", "~1") + "/" + op.getKey();
            examples(CONTRACT.resolve(op.getValue().path("requestBody")), base + "/requestBody", failures);
            op.getValue().path("responses").fields().forEachRemaining(r -> {
                JsonNode declared = r.getValue();
                String pointer = declared.has("$ref") ? declared.path("$ref").asText() : base + "/responses/" + r.getKey();
                examples(CONTRACT.resolve(declared), pointer, failures);
            });
        }));
        assertThat(failures).isEmpty();
    }

    private static void examples(JsonNode withContent, String pointer, List<String> failures) {
        withContent.path("content").fields().forEachRemaining(c -> {
            String schema = pointer + "/content/" + c.getKey().replace("/", "~1") + "/schema";
            List<JsonNode> examples = new ArrayList<>();
            if (c.getValue().has("example")) examples.add(c.getValue().path("example"));
            c.getValue().path("examples").forEach(e -> examples.add(e.path("value")));
            for (JsonNode example : examples) {
                CONTRACT.validate(schema, example).forEach(v -> failures.add(schema + ": " + v.getMessage()));
            }
        });
    }

    @Test
    void literalPathsWinOverTemplatesAndUnknownPathsMatchNothing() {
        assertThat(CONTRACT.find("GET", "/api/staff/callbacks/stream").orElseThrow().id()).isEqualTo("streamCallbackTasks");
        assertThat(CONTRACT.find("GET", "/api/staff/callbacks/8f4c").orElseThrow().id()).isEqualTo("getCallbackTask");
        assertThat(CONTRACT.find("GET", "/api/offers/quote").orElseThrow().id()).isEqualTo("quotePromoCode");
        assertThat(CONTRACT.find("POST", "/api/bookings/BK-7KQ2MX/cancel").orElseThrow().id()).isEqualTo("cancelBooking");
        assertThat(CONTRACT.find("GET", "/api/nothing-here")).isEmpty();
        assertThat(CONTRACT.find("DELETE", "/api/bookings")).isEmpty();
    }

    @Test
    void aConformingExchangePassesAndEachKindOfDriftIsNamed() {
        String booking = """
                {"locationId":"sheffield","treatmentId":"sports-massage-60","startsAt":"2027-02-10T09:00:00Z",
                 "customer":{"name":"Sam Carter","email":"sam@example.com","phone":"07700 900123"}}""";
        String created = """
                {"reference":"BK-7KQ2MX","status":"CONFIRMED","locationId":"sheffield","treatmentId":"sports-massage-60",
                 "therapistId":"amy","startsAt":"2027-02-10T09:00:00Z","endsAt":"2027-02-10T10:00:00Z","pricePence":4950,
                 "discountPence":0,"totalPence":4950,"currency":"GBP","promoCode":null,"manageToken":"abcdefghijklmnopqrstuv"}""";
        Map<String, List<String>> json = ApiContract.headers("Content-Type", "application/json");
        assertThat(CONTRACT.check(exchange("POST", "/api/bookings", json, booking, 201, JSON_RESPONSE, created), Mode.FULL))
                .isEmpty();

        // A response missing a field the contract names.
        assertThat(CONTRACT.check(exchange("POST", "/api/bookings", json, booking, 201, JSON_RESPONSE,
                created.replace("\"manageToken\":\"abcdefghijklmnopqrstuv\"", "\"x\":1")), Mode.FULL))
                .anyMatch(p -> p.contains("manageToken"));
        // A status the operation does not list.
        assertThat(CONTRACT.check(exchange("POST", "/api/bookings", json, booking, 500, PROBLEM_RESPONSE,
                "{\"type\":\"https://clinic.example/problems/internal_error\",\"title\":\"x\",\"status\":500,\"code\":\"internal_error\"}"),
                Mode.FULL)).anyMatch(p -> p.contains("status 500 is not a documented response"));
        // An error that is not a problem document.
        assertThat(CONTRACT.check(exchange("GET", "/api/bookings/BK-7KQ2MX", Map.of(), null, 404, JSON_RESPONSE, "{}"),
                Mode.RESPONSES_ONLY)).isNotEmpty();
        // The platform accepting what the document calls invalid (message over 1000 characters).
        String longMessage = """
                {"name":"Sam Carter","phone":"07700 900123","message":"%s","consent":{"termsAndPrivacy":true,"policyVersion":"2026-01"}}"""
                .formatted("x".repeat(1001));
        assertThat(CONTRACT.check(exchange("POST", "/api/callbacks", json, longMessage, 202, JSON_RESPONSE,
                "{\"id\":\"8f4c2b9e-1d3a-4c5b-9e7f-0a1b2c3d4e5f\",\"status\":\"OPEN\"}"), Mode.FULL))
                .anyMatch(p -> p.contains("calls invalid"));
        // ... which is fine when the platform refuses it.
        assertThat(CONTRACT.check(exchange("POST", "/api/callbacks", json, longMessage, 400, PROBLEM_RESPONSE,
                "{\"type\":\"https://clinic.example/problems/validation_failed\",\"title\":\"Validation failed\",\"status\":400,"
                        + "\"code\":\"validation_failed\",\"violations\":[{\"field\":\"message\",\"message\":\"size\"}]}"), Mode.FULL))
                .isEmpty();
        // An undocumented path served with 200.
        assertThat(CONTRACT.check(exchange("GET", "/api/secret", Map.of(), null, 200, JSON_RESPONSE, "{}"), Mode.FULL))
                .anyMatch(p -> p.contains("no operation"));
        // Web pages and event streams are exempt.
        assertThat(CONTRACT.check(exchange("GET", "/index.html", Map.of(), null, 200, Map.of(), "<html>"), Mode.FULL)).isEmpty();
    }

    @Test
    void everyOperationIsImplemented() {
        // The allow-list is empty since erasure was built: an operation marked x-implemented: false (described
        // but not served) fails here, so the description cannot promise what the platform does not do.
        assertThat(CONTRACT.notImplemented()).as("operations marked x-implemented: false").isEmpty();
    }

    private static Exchange exchange(String method, String path, Map<String, List<String>> requestHeaders, String body,
                                     int status, Map<String, List<String>> responseHeaders, String responseBody) {
        return new Exchange(method, URI.create("http://127.0.0.1:8080" + path), requestHeaders,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, responseHeaders, responseBody);
    }
}
