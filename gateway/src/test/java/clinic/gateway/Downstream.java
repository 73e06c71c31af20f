package clinic.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stand-in for one service, in the test JVM (JDK HttpServer). It records what reached it and
 * answers 200 with JSON, or as the request asks through test headers:
 * {@code X-Test-Status} (answer that status with a problem body of the service's own, and
 * {@code Retry-After} when {@code X-Test-Retry-After} gives one), {@code X-Test-Delay-Ms} (answer late),
 * {@code X-Test-Drop} (close the connection without answering: a service that fails). A path ending in {@code /stream} answers as an SSE stream.
 * {@code /api/admin/audit} answers this service's part of the audit log as the test sets it
 * ({@link #auditAnswer}, {@link #auditStatus}, {@link #auditDelayMillis}: the gateway asks for it
 * itself, so the test cannot steer it with request headers).
 */
final class Downstream {
    static {
        // Headers and body go out as two writes: without this, Nagle and delayed ACKs add 40 ms to each answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    final String name;
    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "downstream");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile HttpServer server;
    /** The SSE stream sends its second event only once the test has seen the first. */
    volatile CountDownLatch streamSecondEvent = new CountDownLatch(1);
    volatile long streamPauseMillis = 0;
    volatile String auditAnswer = "[]";
    volatile int auditStatus = 200;
    volatile long auditDelayMillis = 0;

    /** This service's part of a privacy export, as the gateway asks for it. */
    volatile String privacyAnswer = "{}";
    volatile int privacyStatus = 200;

    void resetAudit() {
        privacyAnswer = "{}";
        privacyStatus = 200;
        auditAnswer = "[]";
        auditStatus = 200;
        auditDelayMillis = 0;
    }

    Downstream(String name) {
        this.name = name;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    List<Received> receivedPath(String path) {
        return received(r -> r.path().equals(path));
    }

    void stop() {
        server.stop(0);
    }

    void restart() {
        server = bind(port);
    }

    private HttpServer bind(int p) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
            s.setExecutor(executor);
            s.createContext("/", this::handle);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            received.add(new Received(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body));
            var req = ex.getRequestHeaders();
            String delay = req.getFirst("X-Test-Delay-Ms");
            if (delay != null) sleep(Long.parseLong(delay));
            // Closing the exchange before any response headers closes the connection: the gateway
            // sees it end before a response (an IOException), as when a service crashes mid-request.
            if (req.getFirst("X-Test-Drop") != null) return;
            var h = ex.getResponseHeaders();
            // What a service built on the kit sends back: its own echo of the request id, and
            // headers the gateway must not let through or duplicate.
            String requestId = req.getFirst("X-Request-Id");
            if (requestId != null) h.set("X-Request-Id", requestId);
            h.set("X-Frame-Options", "SAMEORIGIN");
            h.set("Access-Control-Allow-Origin", "*");
            if (path.endsWith("/stream")) {
                stream(ex);
                return;
            }
            if (path.equals("/api/admin/privacy/export")) {
                byte[] answer = privacyAnswer.getBytes(StandardCharsets.UTF_8);
                h.set("Content-Type", "application/json");
                ex.sendResponseHeaders(privacyStatus, answer.length);
                ex.getResponseBody().write(answer);
                return;
            }
            if (path.equals("/api/admin/audit")) {
                sleep(auditDelayMillis);
                byte[] answer = auditAnswer.getBytes(StandardCharsets.UTF_8);
                h.set("Content-Type", "application/json");
                ex.sendResponseHeaders(auditStatus, answer.length);
                ex.getResponseBody().write(answer);
                return;
            }
            String status = req.getFirst("X-Test-Status");
            if (status != null) {
                int s = Integer.parseInt(status);
                byte[] problem = ("{\"type\":\"https://clinic.example/problems/from-" + name + "\",\"title\":\"Own\","
                        + "\"status\":" + s + ",\"detail\":\"the service's own words\",\"code\":\"" + name + "_says_no\"}")
                        .getBytes(StandardCharsets.UTF_8);
                h.set("Content-Type", "application/problem+json");
                String retryAfter = req.getFirst("X-Test-Retry-After");
                if (retryAfter != null) h.set("Retry-After", retryAfter);
                ex.sendResponseHeaders(s, problem.length);
                ex.getResponseBody().write(problem);
                return;
            }
            byte[] json = ("{\"service\":\"" + name + "\",\"method\":\"" + ex.getRequestMethod() + "\",\"path\":\""
                    + path.replace("\"", "") + "\",\"bodyBytes\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
            h.set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, json.length);
            ex.getResponseBody().write(json);
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write("event: callback.requested\ndata: {\"id\":\"first\"}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            if (!streamSecondEvent.await(20, TimeUnit.SECONDS)) return; // the first event never got through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        sleep(streamPauseMillis);
        out.write("event: callback.claimed\ndata: {\"id\":\"second\"}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
