package clinic.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * booking-service's {@code GET /internal/privacy/erasures/{id}} as an erasing service sees it, and the
 * issuer's token endpoint (client credentials), on one real HTTP port for the whole JVM. The endpoint
 * answers only a token handed out here for audience booking-service, as the real resource server does.
 * Tests open erasures with {@link #open}; {@link #away} makes every call answer 503.
 */
public final class FakeErasureOwner {
    public static final String CLIENT_SECRET = "test-erasing-service-client-secret";
    /** erasure id → the address (null once the request is DONE). */
    private static final Map<String, String> ERASURES = new ConcurrentHashMap<>();
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();
    private static final TestTokens TOKENS = new TestTokens();
    public static final AtomicBoolean away = new AtomicBoolean();
    public static final AtomicInteger calls = new AtomicInteger();
    private static HttpServer server;

    private FakeErasureOwner() {}

    public static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/internal/privacy/erasures/", FakeErasureOwner::subject);
            server.createContext("/oauth2/token", FakeErasureOwner::issue);
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An open erasure request of {@code email}. */
    public static void open(String erasureId, String email) {
        ERASURES.put(erasureId, email);
    }

    private static void issue(HttpExchange x) throws IOException {
        String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
        String client = null;
        if (auth.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            if (pair.length == 2 && CLIENT_SECRET.equals(pair[1])) client = pair[0];
        }
        if (client == null || !form.contains("audience=booking-service") || !form.contains("grant_type=client_credentials")) {
            send(x, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = TOKENS.service(client, "booking-service", Duration.ofMinutes(5));
        ISSUED.add(token);
        send(x, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private static void subject(HttpExchange x) throws IOException {
        calls.incrementAndGet();
        String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
        String id = x.getRequestURI().getPath().substring("/internal/privacy/erasures/".length());
        if (away.get()) {
            send(x, 503, "{\"code\":\"service_unavailable\"}");
        } else if (!auth.startsWith("Bearer ") || !ISSUED.contains(auth.substring(7))) {
            send(x, 403, "{\"code\":\"forbidden\"}");
        } else if (!ERASURES.containsKey(id)) {
            send(x, 404, "{\"code\":\"not_found\"}");
        } else {
            // Test addresses hold no quote or backslash, so no escaping is needed.
            send(x, 200, "{\"erasureId\":\"" + id + "\",\"status\":\"PENDING\",\"email\":\"" + ERASURES.get(id) + "\"}");
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
