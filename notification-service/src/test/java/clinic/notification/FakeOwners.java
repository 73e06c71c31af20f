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
 * them (docs/internal-apis.md), on one real HTTP port for the whole JVM. Tests put the people in;
 * {@link #away} makes every call answer 503, as an owner that is down or restarting.
 */
final class FakeOwners {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Map<String, Object>> BOOKINGS = new ConcurrentHashMap<>();
    static final Map<String, Map<String, Object>> CALLBACKS = new ConcurrentHashMap<>();
    static final AtomicBoolean away = new AtomicBoolean();
    static final AtomicInteger calls = new AtomicInteger();
    static final AtomicInteger manageLinks = new AtomicInteger();
    /** The Authorization header of every call. */
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
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

    private static void handle(HttpExchange x) throws IOException {
        calls.incrementAndGet();
        authorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
        String[] path = x.getRequestURI().getPath().split("/"); // "", internal, bookings, {id}, contact
        if (away.get() || path.length != 5) {
            send(x, 503, Map.of("code", "service_unavailable"));
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
