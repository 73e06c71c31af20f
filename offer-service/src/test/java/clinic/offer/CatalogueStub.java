package clinic.offer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * booking-service's public catalogue as offer-service sees it: a fixed {@code GET /api/treatments}
 * from a JDK HttpServer, which a test can make fail.
 */
public final class CatalogueStub {
    public static final String TREATMENTS = """
            [{"id":"sports-massage-30","name":"Sports massage (30 min)","category":"sports-massage","durationMinutes":30,"pricePence":3500,"currency":"GBP"},
             {"id":"sports-massage-45","name":"Sports massage (45 min)","category":"sports-massage","durationMinutes":45,"pricePence":4550,"currency":"GBP"},
             {"id":"sports-massage-60","name":"Sports massage (60 min)","category":"sports-massage","durationMinutes":60,"pricePence":5500,"currency":"GBP"},
             {"id":"physio-assessment","name":"Physiotherapy assessment","category":"physiotherapy","durationMinutes":45,"pricePence":4950,"currency":"GBP"}]
            """;
    private static HttpServer server;
    private static volatile boolean failing;

    private CatalogueStub() {}

    public static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/api/treatments", exchange -> {
                byte[] body = (failing ? "{\"code\":\"service_unavailable\"}" : TREATMENTS).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(failing ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static void failing(boolean fail) {
        failing = fail;
    }
}
