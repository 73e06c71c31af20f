package clinic.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * booking-service's and callback-service's internal contact endpoints as notification-service sees
 * them (docs/internal-apis.md), on one real HTTP port for the whole JVM, and the issuer's token
 * endpoint (client credentials): each owner answers only a token handed out here for its own
 * audience, as the real ones (resource servers checking {@code aud}) do. Tests put the people in;
 * {@link #away} makes every call answer 503, as an owner that is down or restarting.
 */
final class FakeOwners {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Map<String, Object>> BOOKINGS = new ConcurrentHashMap<>();
    static final Map<String, Map<String, Object>> CALLBACKS = new ConcurrentHashMap<>();
    /** booking-service's open erasure requests: erasure id -> {erasureId, status, email}. */
    static final Map<String, Map<String, Object>> ERASURES = new ConcurrentHashMap<>();
    static final AtomicBoolean away = new AtomicBoolean();
    static final AtomicInteger calls = new AtomicInteger();
    static final AtomicInteger manageLinks = new AtomicInteger();
    /** The Authorization header of every call. */
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    static final String CLIENT_SECRET = "test-notification-client-secret";
    /** Token handed out by the token endpoint -> the audience it was asked for. */
    private static final Map<String, String> ISSUED = new ConcurrentHashMap<>();
    private static final clinic.testsupport.TestTokens TOKENS = new clinic.testsupport.TestTokens();
    /** Calls refused for a token that is not one of ours for that owner. */
    static final AtomicInteger refused = new AtomicInteger();
    private static HttpServer server;

    private FakeOwners() {}

    static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/internal/", FakeOwners::handle);
            server.createContext("/oauth2/token", FakeOwners::issue);
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static void booking(String bookingId, String reference, String name, String email, String phone) {
        BOOKINGS.put(bookingId, new java.util.HashMap<>(Map.of("bookingId", bookingId, "reference", reference,
                "status", "CONFIRMED", "name", name, "email", email, "phone", phone, "erased", false)));
    }

    static void erase(String bookingId) {
        BOOKINGS.put(bookingId, new java.util.HashMap<>(Map.of("bookingId", bookingId,
                "reference", BOOKINGS.get(bookingId).get("reference"), "status", "CONFIRMED", "erased", true)));
    }

    static void callback(String callbackId, String name, String phone, String email, String message) {
        var c = new java.util.HashMap<String, Object>(Map.of("callbackId", callbackId, "name", name, "phone", phone,
                "message", message, "erased", false));
        if (email != null) c.put("email", email);
        CALLBACKS.put(callbackId, c);
    }

    static void erasure(String erasureId, String email) {
        ERASURES.put(erasureId, Map.of("erasureId", erasureId, "status", "PENDING", "email", email));
    }

    /** Client credentials: notification-service's id and secret, for booking-service or callback-service. */
    private static void issue(HttpExchange x) throws IOException {
        String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String expected = "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("notification-service:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        String audience = form.contains("audience=booking-service") ? "booking-service"
                : form.contains("audience=callback-service") ? "callback-service" : null;
        if (!expected.equals(x.getRequestHeaders().getFirst("Authorization")) || audience == null
                || !form.contains("grant_type=client_credentials")) {
            send(x, 401, Map.of("error", "invalid_client"));
            return;
        }
        String token = TOKENS.service("notification-service", audience, java.time.Duration.ofMinutes(5));
        ISSUED.put(token, audience);
        send(x, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300));
    }

    private static void handle(HttpExchange x) throws IOException {
        calls.incrementAndGet();
        String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
        authorizations.add(auth);
        String[] path = x.getRequestURI().getPath().split("/"); // "", internal, bookings, {id}, contact
        if (away.get() || path.length != 5) {
            send(x, 503, Map.of("code", "service_unavailable"));
            return;
        }
        String owner = "callbacks".equals(path[2]) ? "callback-service" : "booking-service";
        if (!auth.startsWith("Bearer ") || !owner.equals(ISSUED.get(auth.substring(7)))) {
            refused.incrementAndGet();
            send(x, 403, Map.of("code", "forbidden"));
            return;
        }
        if ("privacy".equals(path[2])) { // /internal/privacy/erasures/{id}
            Map<String, Object> erasure = ERASURES.get(path[4]);
            if (erasure == null) send(x, 404, Map.of("code", "not_found"));
            else send(x, 200, erasure);
            return;
        }
        Map<String, Object> found = "bookings".equals(path[2]) ? BOOKINGS.get(path[3]) : CALLBACKS.get(path[3]);
        if (found == null) {
            send(x, 404, Map.of("code", "not_found"));
        } else if ("manage-link".equals(path[4])) {
            int n = manageLinks.incrementAndGet();
            boolean erased = Boolean.TRUE.equals(found.get("erased"));
            send(x, 200, erased ? Map.of("bookingId", path[3]) : Map.of("bookingId", path[3],
                    "reference", found.get("reference"), "manageToken", "mail-token-" + n));
        } else {
            send(x, 200, found);
        }
    }

    private static void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
