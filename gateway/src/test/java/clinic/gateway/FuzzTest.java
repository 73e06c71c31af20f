package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Malformed bodies against every public write: wrong types, huge strings, nulls, invalid JSON,
 * invalid dates, unknown fields, odd content types and encodings. Through the gateway to the
 * in-test services (which accept anything), the gateway itself must never answer 5xx; sign-in,
 * which the gateway answers itself, must always be a 4xx problem with a code.
 */
class FuzzTest extends GatewayTestBase {
    private static final List<String> PROXIED = List.of("/api/bookings", "/api/bookings/BK-7QX4M2/cancel",
            "/api/bookings/BK-7QX4M2/reschedule", "/api/callbacks", "/api/newsletter/subscriptions");

    static List<String> bodies(long seed) {
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>(List.of(
                "", "{", "}", "[", "null", "true", "0", "\"text\"", "[]", "{}", "{\"a\":}", "{\"a\" 1}",
                "{\"locationId\":123,\"treatmentId\":true,\"startsAt\":[],\"customer\":\"me\"}",
                "{\"locationId\":null,\"treatmentId\":null,\"startsAt\":null,\"customer\":null}",
                "{\"startsAt\":\"2027-02-30T25:61:00Z\"}", "{\"startsAt\":\"yesterday\"}",
                "{\"startsAt\":\"2027-02-10\",\"date\":\"10/02/2027\"}",
                "{\"customer\":{\"name\":{},\"email\":[1,2],\"phone\":1e309}}",
                "{\"consent\":\"yes\",\"marketingOptIn\":\"no\",\"preferredTime\":\"midnight\"}",
                "{\"email\":\"not-an-email\",\"consent\":1}",
                "{\"unknownField\":1,\"__proto__\":{\"admin\":true},\"constructor\":null}",
                "{\"username\":\"" + "u".repeat(60_000) + "\",\"password\":\"p\"}",
                "{\"name\":\"" + "\u0000\u202e\ud83d\ude00".repeat(1000) + "\"}",
                "{\"name\":\"\\ud800\"}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
                "{\"n\":123456789012345678901234567890123456789}",
                "\u00ff\u00fe garbage \u0001\u0002"));
        for (int i = 0; i < 40; i++) {
            bodies.add(randomJson(random, 0));
        }
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            bodies.add(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return bodies;
    }

    private static String randomJson(Random r, int depth) {
        String[] keys = {"locationId", "treatmentId", "therapistId", "startsAt", "customer", "name", "email", "phone",
                "promoCode", "notes", "consent", "termsAndPrivacy", "policyVersion", "message", "username", "password",
                "x-unknown"};
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(keys[r.nextInt(keys.length)]).append("\":");
            sb.append(switch (r.nextInt(depth < 3 ? 9 : 7)) {
                case 0 -> "null";
                case 1 -> Long.toString(r.nextLong());
                case 2 -> "\"" + "s".repeat(r.nextInt(3000)) + "\"";
                case 3 -> r.nextBoolean() ? "true" : "false";
                case 4 -> "\"2027-" + r.nextInt(20) + "-" + r.nextInt(40) + "T" + r.nextInt(30) + ":00:00Z\"";
                case 5 -> "[" + r.nextDouble() + ",\"x\",null]";
                case 6 -> "\"" + (char) r.nextInt(0x3000) + "\"";
                default -> randomJson(r, depth + 1);
            });
        }
        // Now and then, cut it short.
        return r.nextInt(5) == 0 && sb.length() > 2 ? sb.substring(0, r.nextInt(sb.length())) : sb.append('}').toString();
    }

    @Test
    void publicWritesNeverGetA5xxFromTheGateway() {
        List<String> failures = new ArrayList<>();
        for (String path : PROXIED) {
            for (String body : bodies(path.hashCode())) {
                for (MediaType type : List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN)) {
                    EntityExchangeResult<byte[]> result = client().post().uri(path).contentType(type)
                            .header("Idempotency-Key", "k-" + body.hashCode())
                            .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                            .exchange().expectBody().returnResult();
                    int status = result.getStatus().value();
                    if (status >= 500 || status == 429) {
                        failures.add(path + " " + type + " -> " + status + " for " + abbreviate(body));
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void signInAnswersMalformedBodiesWithProblems() {
        List<String> failures = new ArrayList<>();
        for (String body : bodies(42)) {
            for (MediaType type : List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN)) {
                EntityExchangeResult<String> result = client().post().uri("/api/auth/login").contentType(type)
                        .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                        .exchange().expectBody(String.class).returnResult();
                int status = result.getStatus().value();
                String contentType = String.valueOf(result.getResponseHeaders().getContentType());
                boolean problem = contentType.startsWith("application/problem+json")
                        && result.getResponseBody() != null && result.getResponseBody().contains("\"code\"");
                if (status < 400 || status >= 500 || !problem) {
                    failures.add(type + " -> " + status + " " + contentType + " for " + abbreviate(body));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
