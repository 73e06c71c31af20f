package clinic.systemtests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import clinic.systemtests.contract.ApiContract;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Building blocks of the reliability drills: raw HTTP to any port (with a client timeout and
 * timing), free slots that never collide, mail counted per recipient, SQL counts, and stopping
 * and restarting parts of the shared platform so each drill leaves it healthy.
 */
final class Support {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final Duration BUFFER = Duration.ofMinutes(15);
    static final List<String> LOCATIONS = List.of("sheffield", "doncaster", "rotherham", "hathersage", "chesterfield");
    /** Every part the platform starts, infrastructure first. */
    static final List<String> PARTS = List.of("postgres", "kafka", "smtp", "booking-service", "offer-service",
            "callback-service", "notification-service", "analytics-service", "gateway");
    static final String CONFIRMED_TEMPLATE = "booking-confirmed";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Support() {}

    // ---------------------------------------------------------------- HTTP

    /** One exchange as the client saw it; status -1 when no response came (error says why). */
    record Result(int status, String contentType, String body, JsonNode json, long millis, String error) {
        boolean timedOut() {
            return "timeout".equals(error);
        }

        String code() {
            return json == null || !json.isObject() ? null : json.path("code").asText(null);
        }

        /** An RFC 9457 problem document with the contract's machine-readable code. */
        boolean isProblem() {
            String c = code();
            return contentType != null && contentType.toLowerCase().startsWith("application/problem+json")
                    && c != null && !c.isBlank();
        }

        String text(String field) {
            return json == null ? null : json.path(field).asText(null);
        }

        String brief() {
            String b = body == null ? "" : body.replaceAll("\\s+", " ");
            return (status < 0 ? error : String.valueOf(status)) + " "
                    + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
        }
    }

    static Result get(String url, Duration timeout, String... headers) {
        return send("GET", url, null, timeout, headers);
    }

    static Result postJson(String url, Object body, Duration timeout, String... headers) {
        String json;
        try {
            json = body instanceof String s ? s : Platform.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return send("POST", url, json.getBytes(StandardCharsets.UTF_8), timeout, headers);
    }

    /**
     * Sends a request. A body without a Content-Type header among {@code headers} is sent as
     * application/json; a header whose value is {@code null} is left out (and so suppresses that
     * default).
     */
    static Result send(String method, String url, byte[] body, Duration timeout, String... headers) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            return new Result(-1, null, null, null, 0, "bad url: " + e.getMessage());
        }
        boolean contentTypeGiven = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) contentTypeGiven = true;
            try {
                if (headers[i + 1] != null) b.header(headers[i], headers[i + 1]);
            } catch (IllegalArgumentException e) {
                return new Result(-1, null, null, null, 0, "header refused by the client: " + e.getMessage());
            }
        }
        if (body != null && !contentTypeGiven) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        long t0 = System.nanoTime();
        try {
            // Bounded here as well as by the request timeout: a request the client loses track of
            // must fail the drill, never hang the build.
            var pending = HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            HttpResponse<String> r;
            try {
                r = pending.get(timeout.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stuck) {
                pending.cancel(true);
                return new Result(-1, null, null, null, (System.nanoTime() - t0) / 1_000_000, "timeout");
            } catch (java.util.concurrent.ExecutionException failed) {
                if (failed.getCause() instanceof HttpTimeoutException) throw (HttpTimeoutException) failed.getCause();
                if (failed.getCause() instanceof IOException io) throw io;
                throw new IOException(failed.getCause());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // Drills send garbage on purpose: only what comes back through the gateway is held to the document.
            String gateway = Platform.gatewayOrNull();
            if (gateway != null && url.startsWith(gateway + "/")) {
                ApiContract.get().assertConforms(new ApiContract.Exchange(method, URI.create(url),
                        ApiContract.headers(headers), body, r.statusCode(), r.headers().map(), r.body()),
                        ApiContract.Mode.RESPONSES_ONLY);
            }
            return new Result(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(),
                    parse(r.body()), ms, null);
        } catch (HttpTimeoutException e) {
            return new Result(-1, null, null, null, (System.nanoTime() - t0) / 1_000_000, "timeout");
        } catch (IOException e) {
            return new Result(-1, null, null, null, (System.nanoTime() - t0) / 1_000_000, "io: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, null, null, null, (System.nanoTime() - t0) / 1_000_000, "interrupted");
        }
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            return Platform.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String port(Platform p, int base) {
        return "http://127.0.0.1:" + (base + p.offset);
    }

    // ---------------------------------------------------------------- slots and bodies

    record Slot(String location, String treatment, String therapistId, Instant startsAt, Instant endsAt) {}

    /** The first Monday–Friday at least {@code daysAhead} days from today (clinic date) that is no closure day. */
    static LocalDate weekday(int daysAhead) {
        return Platform.get().openWeekday(LocalDate.now(LONDON).plusDays(daysAhead));
    }

    /**
     * Every working day (Monday–Saturday, when the seeded therapists work, and no closure such as a
     * bank holiday) in [from, to] days ahead.
     */
    static List<LocalDate> workingDays(int from, int to) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate today = LocalDate.now(LONDON);
        var closed = Platform.get().closedDays(today.plusDays(from), today.plusDays(to));
        for (int i = from; i <= to; i++) {
            LocalDate d = today.plusDays(i);
            if (d.getDayOfWeek() != DayOfWeek.SUNDAY && !closed.contains(d)) days.add(d);
        }
        return days;
    }

    /** Free slots as the public API lists them (through the gateway). */
    static List<Slot> availability(Platform p, String location, String treatment, LocalDate date) {
        var r = p.get("/api/availability?locationId=" + location + "&treatmentId=" + treatment + "&date=" + date);
        if (r.status() != 200) throw new IllegalStateException("availability " + location + " " + date + ": " + r.status());
        List<Slot> out = new ArrayList<>();
        for (JsonNode s : r.body().get("slots")) {
            out.add(new Slot(location, treatment, s.get("therapistId").asText(), Instant.parse(s.get("startsAt").asText()),
                    Instant.parse(s.get("endsAt").asText())));
        }
        return out;
    }

    /**
     * Up to {@code max} free slots over the given days and locations, no two of one therapist
     * overlapping (the buffer after each included), so every one of them can be booked at once.
     */
    static List<Slot> freeSlots(Platform p, String treatment, List<String> locations, List<LocalDate> days, int max) {
        List<Slot> picked = new ArrayList<>();
        for (LocalDate day : new java.util.LinkedHashSet<>(days)) {
            for (String location : new java.util.LinkedHashSet<>(locations)) {
                Map<String, Instant> freeFrom = new HashMap<>();
                for (Slot s : availability(p, location, treatment, day)) {
                    Instant from = freeFrom.get(s.therapistId());
                    if (from != null && s.startsAt().isBefore(from)) continue;
                    picked.add(s);
                    freeFrom.put(s.therapistId(), s.endsAt().plus(BUFFER));
                    if (picked.size() >= max) return picked;
                }
            }
        }
        return picked;
    }

    static Map<String, Object> booking(Slot s, String email, String promo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", s.location());
        body.put("treatmentId", s.treatment());
        body.put("therapistId", s.therapistId());
        body.put("startsAt", s.startsAt().toString());
        body.put("customer", Map.of("name", "Reliability Tester", "email", email, "phone", "07700 100123"));
        if (promo != null) body.put("promoCode", promo);
        return body;
    }

    static Map<String, Object> callback(String name, String phone, String email, String location) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("phone", phone);
        if (email != null) body.put("email", email);
        body.put("locationId", location);
        body.put("preferredTime", "morning");
        body.put("message", "Reliability drill");
        body.put("consent", Map.of("termsAndPrivacy", true, "policyVersion", "2026-01"));
        return body;
    }

    static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    static String runId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ---------------------------------------------------------------- mail

    /** Every captured mail (one read of the whole mailbox: far cheaper than one read per recipient). */
    static JsonNode allMail(Platform p) {
        return p.mail(null);
    }

    static String template(JsonNode mail) {
        return mail.path("headers").path("X-Clinic-Template").asText("");
    }

    /** Captured confirmation mails per recipient (lower-cased). */
    static Map<String, Integer> confirmations(Platform p) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode m : allMail(p)) {
            if (!CONFIRMED_TEMPLATE.equals(template(m))) continue;
            for (JsonNode to : m.path("to")) counts.merge(to.asText().toLowerCase(), 1, Integer::sum);
        }
        return counts;
    }

    /** received = recipients with at least one confirmation; duplicated = extra mails; lost = recipients with none. */
    record MailTally(int expected, int received, int duplicated, int lost) {
        boolean exact() {
            return received == expected && duplicated == 0 && lost == 0;
        }

        @Override
        public String toString() {
            return "sent=" + expected + " received=" + received + " duplicated=" + duplicated + " lost=" + lost;
        }
    }

    static MailTally tally(Platform p, Collection<String> recipients) {
        Map<String, Integer> counts = confirmations(p);
        int received = 0;
        int duplicated = 0;
        int lost = 0;
        for (String r : recipients) {
            int n = counts.getOrDefault(r.toLowerCase(), 0);
            if (n == 0) lost++;
            else received++;
            if (n > 1) duplicated += n - 1;
        }
        return new MailTally(recipients.size(), received, duplicated, lost);
    }

    /**
     * Waits until every recipient has its confirmation (or {@code max} passes), then looks again
     * {@code settle} later so a late duplicate is caught; returns the second tally.
     */
    static MailTally awaitExactlyOneMailEach(Platform p, Collection<String> recipients, Duration max, Duration settle)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        MailTally t = tally(p, recipients);
        while (t.lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            t = tally(p, recipients);
        }
        Thread.sleep(settle.toMillis());
        return tally(p, recipients);
    }

    // ---------------------------------------------------------------- SQL

    static long count(Platform p, String db, String sql, Object... params) throws SQLException {
        try (Connection c = p.db(db); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<List<Object>> rows(Platform p, String db, String sql, Object... params) throws SQLException {
        try (Connection c = p.db(db); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                    out.add(row);
                }
                return out;
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object v = params[i];
            if (v instanceof Collection<?> col) {
                ps.setArray(i + 1, c.createArrayOf("text", col.stream().map(String::valueOf).toArray()));
            } else if (v instanceof Instant t) {
                ps.setObject(i + 1, java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }

    /** Overlapping CONFIRMED ranges of one therapist anywhere in the booking database (must be 0). */
    static long overlaps(Platform p) throws SQLException {
        return count(p, "booking", """
                select count(*) from booking a join booking b
                  on a.therapist_id = b.therapist_id and a.id < b.id
                 where a.status = 'CONFIRMED' and b.status = 'CONFIRMED'
                   and tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until)""");
    }

    // ---------------------------------------------------------------- parts and health

    /** Starts a part (no-op when it runs) and waits for its health, retrying a port still held by the old process. */
    static void start(Platform p, String part) throws IOException, InterruptedException {
        int rc = -1;
        for (int attempt = 1; attempt <= 4; attempt++) {
            rc = p.clinic("start", part);
            if (rc == 0) return;
            Thread.sleep(5000);
        }
        throw new AssertionError("./clinic start " + part + " failed (exit " + rc + "); last lines of its log:\n"
                + tail(p, part, 30));
    }

    static void stop(Platform p, String part) throws IOException, InterruptedException {
        int rc = p.clinic("stop", part);
        assertThat(rc).as("./clinic stop " + part).isZero();
    }

    static void kill(Platform p, String part) throws IOException, InterruptedException {
        int rc = p.clinic("kill", part);
        assertThat(rc).as("./clinic kill " + part).isZero();
    }

    static String tail(Platform p, String part, int lines) {
        try {
            Path log = p.dataDir.resolve("logs").resolve(part + ".log");
            if (!Files.exists(log)) return "(no log)";
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read log: " + e + ")";
        }
    }

    /** Starts whatever of the platform is not running, then waits until every part answers healthy. */
    static void ensureRunning(Platform p) throws IOException, InterruptedException {
        for (String part : PARTS) start(p, part);
        awaitHealthy(p, Duration.ofMinutes(3));
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Names of the parts that do not answer healthy now (empty: all do). */
    static List<String> unhealthy(Platform p) {
        List<String> down = new ArrayList<>();
        try (Connection c = p.db("booking")) {
            c.createStatement().execute("select 1");
        } catch (SQLException e) {
            down.add("postgres");
        }
        if (!portOpen(9092 + p.offset)) down.add("kafka");
        if (!portOpen(2525 + p.offset) || !portOpen(8025 + p.offset)) down.add("smtp");
        int[] ports = {8081, 8082, 8083, 8084, 8085};
        String[] names = {"booking-service", "offer-service", "callback-service", "notification-service", "analytics-service"};
        for (int i = 0; i < ports.length; i++) {
            Result r = get(port(p, ports[i]) + "/actuator/health/readiness", Duration.ofSeconds(3));
            if (r.status() != 200 || !r.body().contains("\"UP\"")) down.add(names[i]);
        }
        Result g = get(p.gateway + "/actuator/health", Duration.ofSeconds(3));
        if (g.status() != 200) down.add("gateway");
        return down;
    }

    static void awaitHealthy(Platform p, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        List<String> down = unhealthy(p);
        while (!down.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            down = unhealthy(p);
        }
        assertThat(down).as("parts not healthy after " + max.toSeconds() + " s").isEmpty();
    }

    // ---------------------------------------------------------------- concurrency

    /** Runs every task on {@code threads} threads and returns their results in task order. */
    static <T> List<T> runAll(int threads, List<Callable<T>> tasks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = pool.invokeAll(tasks);
            List<T> out = new ArrayList<>(futures.size());
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("task failed", e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Status histogram, e.g. {201=12, 409=1988}; -1 stands for no response. */
    static Map<Integer, Integer> histogram(Collection<Result> results) {
        Map<Integer, Integer> h = new TreeMap<>();
        for (Result r : results) h.merge(r.status(), 1, Integer::sum);
        return h;
    }
}
