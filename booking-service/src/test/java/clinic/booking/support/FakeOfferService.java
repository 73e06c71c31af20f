package clinic.booking.support;

import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A small stand-in for offer-service that speaks its internal reservation API
 * (docs/internal-apis.md): FEB10 is 10% off, codes named after an error answer with it, SLOW
 * hangs, and every call must carry a SERVICE token that booking-service got from this stand-in's
 * token endpoint (standing in for the issuer: client credentials, audience offer-service).
 */
public final class FakeOfferService {
    public static final Map<String, String> ERROR_CODES = Map.of(
            "UNKNOWN1", "promo_code_unknown",
            "EXPIRED1", "promo_code_expired",
            "NOTHERE1", "promo_code_not_applicable",
            "GONE1", "promo_code_exhausted",
            "USED1", "promo_code_already_used");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestTokens TOKENS = new TestTokens(BookingTestBase.CLOCK);

    private static HttpServer server;
    private static int port;

    /** bookingId -> the reservation answered for it (idempotent by bookingId, like the real one). */
    public static final Map<String, JsonNode> RESERVATIONS = new ConcurrentHashMap<>();
    public static final List<String> RESERVE_CALLS = new CopyOnWriteArrayList<>();
    public static final List<String> RELEASES = new CopyOnWriteArrayList<>();
    public static final List<String> UNAUTHORISED = new CopyOnWriteArrayList<>();
    public static final String CLIENT_SECRET = "test-booking-client-secret";
    /** Tokens handed out by the token endpoint: the only ones the reservation API accepts. */
    private static final java.util.Set<String> ISSUED = ConcurrentHashMap.newKeySet();
    /** bookingId -> the traceparent its reservation call carried. */
    public static final Map<String, String> TRACEPARENTS = new ConcurrentHashMap<>();

    private FakeOfferService() {}

    public static synchronized String url() {
        if (server == null) start();
        return "http://127.0.0.1:" + port;
    }

    public static synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/internal/reservations", FakeOfferService::handle);
            server.createContext("/oauth2/token", FakeOfferService::issue);
            server.start();
            port = server.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake offer-service", e);
        }
    }

    public static synchronized void stop() {
        server.stop(0);
        server = null;
    }

    /** Client credentials: booking-service with its secret, for offer-service. */
    private static void issue(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("booking-service:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!expected.equals(auth) || !form.contains("grant_type=client_credentials")
                    || !form.contains("audience=offer-service")) {
                respond(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String token = TOKENS.service("booking-service", "offer-service", java.time.Duration.ofMinutes(5));
            ISSUED.add(token);
            respond(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        }
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean service = auth != null && auth.startsWith("Bearer ") && ISSUED.contains(auth.substring(7));
            if (!service) {
                UNAUTHORISED.add(ex.getRequestURI().getPath());
                respond(ex, 401, "{\"code\":\"unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/release")) {
                String bookingId = path.split("/")[3];
                RELEASES.add(bookingId);
                respond(ex, 200, "{\"bookingId\":\"" + bookingId + "\",\"status\":\"RELEASED\"}");
                return;
            }
            JsonNode body = JSON.readTree(ex.getRequestBody());
            if (path.endsWith("/recheck")) {
                recheck(ex, path.split("/")[3], Instant.parse(body.path("startsAt").asText()));
                return;
            }
            String bookingId = body.path("bookingId").asText();
            String code = body.path("code").asText().toUpperCase();
            RESERVE_CALLS.add(bookingId + ":" + code);
            String traceparent = ex.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null) TRACEPARENTS.put(bookingId, traceparent);
            if (code.equals("SLOW")) {
                Thread.sleep(5000);
            }
            if (ERROR_CODES.containsKey(code)) {
                respond(ex, 422, "{\"type\":\"about:blank\",\"title\":\"No\",\"status\":422,\"detail\":\"not for you\","
                        + "\"code\":\"" + ERROR_CODES.get(code) + "\","
                        + "\"offerLastDay\":\"2027-02-28\",\"locationIds\":[\"sheffield\"],\"offerOver\":false,"
                        + "\"internalOnly\":\"not passed on\"}");
                return;
            }
            if (!code.equals("FEB10")) {
                respond(ex, 422, "{\"code\":\"promo_code_unknown\"}");
                return;
            }
            JsonNode reservation = RESERVATIONS.computeIfAbsent(bookingId, id -> {
                long price = body.path("pricePence").asLong();
                long discount = (price * 10 + 50) / 100; // halves go to the customer
                ObjectNode r = JSON.createObjectNode();
                r.put("reservationId", UUID.randomUUID().toString());
                r.put("bookingId", id);
                r.put("offerId", "0b7e3c1d-1111-4a2b-8c3d-2e4f5a6b7c8d");
                r.put("code", "FEB10");
                r.put("discountPence", discount);
                r.put("totalPence", price - discount);
                r.put("status", "RESERVED");
                r.put("expiresAt", Instant.now().plusSeconds(600).toString());
                return r;
            });
            respond(ex, 200, JSON.writeValueAsString(reservation));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** FEB10's window is February 2027 (UTC, as London keeps in winter). */
    public static final Instant FEB10_STARTS = Instant.parse("2027-02-01T00:00:00Z");
    public static final Instant FEB10_ENDS = Instant.parse("2027-03-01T00:00:00Z");
    public static final List<String> RECHECKS = new CopyOnWriteArrayList<>();

    private static void recheck(HttpExchange ex, String bookingId, Instant startsAt) throws IOException {
        RECHECKS.add(bookingId + ":" + startsAt);
        JsonNode reservation = RESERVATIONS.get(bookingId);
        if (reservation == null) {
            respond(ex, 404, "{\"code\":\"not_found\"}");
        } else if (startsAt.isBefore(FEB10_STARTS) || !startsAt.isBefore(FEB10_ENDS)) {
            respond(ex, 422, "{\"type\":\"about:blank\",\"title\":\"Promo code expired\",\"status\":422,"
                    + "\"code\":\"promo_code_expired\",\"detail\":\"This code is valid for appointments from 1 February 2027 "
                    + "to 28 February 2027\",\"offerStartsAt\":\"2027-02-01T00:00:00Z\",\"offerEndsAt\":\"2027-03-01T00:00:00Z\","
                    + "\"offerFirstDay\":\"2027-02-01\",\"offerLastDay\":\"2027-02-28\",\"offerOver\":false}");
        } else {
            respond(ex, 200, JSON.writeValueAsString(reservation));
        }
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
