package clinic.systemtests;

import clinic.systemtests.contract.ApiContract;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform, started once per test JVM exactly as a user starts it
 * ({@code ./clinic up --detach}), on ports offset from the defaults so a developer's own running
 * platform is left alone, with a fresh data folder under target/. Stopped with {@code ./clinic down}
 * when the JVM ends.
 */
public final class Platform {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static Platform instance;
    /** A failed start is not retried by every later test class: it would wipe the evidence. */
    private static IllegalStateException startFailure;

    public final Path root;
    public final Path dataDir;
    public final int offset;
    public final String gateway;
    public final String mailApi;
    public final int kafkaPort;
    public final int pgPort;
    public final long startSeconds;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Platform(Path root, Path dataDir, int offset, long startSeconds) {
        this.root = root;
        this.dataDir = dataDir;
        this.offset = offset;
        this.gateway = "http://127.0.0.1:" + (8080 + offset);
        this.mailApi = "http://127.0.0.1:" + (8025 + offset);
        this.kafkaPort = 9092 + offset;
        this.pgPort = 15432 + offset;
        this.startSeconds = startSeconds;
    }

    /**
     * Dates with a closure (bank holidays out of the box, or an admin's) between two local dates:
     * booking journeys choose other days, as no slot is offered on them.
     */
    public java.util.Set<java.time.LocalDate> closedDays(java.time.LocalDate from, java.time.LocalDate to) {
        Response r = get("/api/closures?from=" + from + "&to=" + to);
        if (r.status() != 200) throw new IllegalStateException("closures: " + r.status() + " " + r.body());
        java.util.Set<java.time.LocalDate> out = new java.util.HashSet<>();
        r.body().forEach(c -> out.add(java.time.LocalDate.parse(c.get("date").asText())));
        return out;
    }

    /** The first Monday–Friday from {@code d} on that is not a closure day. */
    public java.time.LocalDate openWeekday(java.time.LocalDate d) {
        java.util.Set<java.time.LocalDate> closed = closedDays(d, d.plusDays(60));
        while (d.getDayOfWeek() == java.time.DayOfWeek.SATURDAY || d.getDayOfWeek() == java.time.DayOfWeek.SUNDAY
                || closed.contains(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** The gateway's base URL of the running platform, or null before it started. */
    public static synchronized String gatewayOrNull() {
        return instance == null ? null : instance.gateway;
    }

    public static synchronized Platform get() {
        if (instance != null) return instance;
        if (startFailure != null) throw startFailure;
        Path root = Path.of(System.getProperty("clinic.root", "..")).toAbsolutePath().normalize();
        int offset = Integer.parseInt(System.getProperty("clinic.portOffset", "1000"));
        Path data = Path.of(System.getProperty("clinic.dataDir", "target/platform")).toAbsolutePath();
        try {
            deleteRecursively(data);
            Files.createDirectories(data);
            long t0 = System.nanoTime();
            int exit = clinic(root, data, offset, startWait(), "up", "--detach");
            long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    clinic(root, data, offset, Duration.ofMinutes(2), "down");
                } catch (Exception e) {
                    System.err.println("could not stop the platform: " + e);
                }
            }));
            if (exit != 0) {
                startFailure = new IllegalStateException("./clinic up --detach failed (exit " + exit + "), see "
                        + data.resolve("clinic-up.log") + " and " + data.resolve("logs"));
                throw startFailure;
            }
            instance = new Platform(root, data, offset, secs);
            return instance;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start the platform", e);
        }
    }

    /**
     * A second platform of the test's own, started like {@link #get()} but with {@code env} added
     * to the run script's environment (another profile, secrets) and stopped by {@link #stop()}.
     * For a start the shared platform cannot show, such as a new install outside the local profile.
     */
    public static Platform startSeparate(Path data, int offset, Map<String, String> env)
            throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("clinic.root", "..")).toAbsolutePath().normalize();
        deleteRecursively(data);
        Files.createDirectories(data);
        long t0 = System.nanoTime();
        int exit = clinic(root, data, offset, startWait(), env, "up", "--detach");
        Platform started = new Platform(root, data, offset, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        // Stopped even when the test JVM ends without calling stop() (a failed assertion in @BeforeAll).
        Runtime.getRuntime().addShutdownHook(new Thread(started::stopQuietly));
        if (exit != 0) {
            started.stopQuietly();
            throw new IllegalStateException("./clinic up --detach failed (exit " + exit + "), see "
                    + data.resolve("clinic-up.log") + " and " + data.resolve("logs"));
        }
        return started;
    }

    /** Stops a platform from {@link #startSeparate}; the shared one stops when the JVM ends. */
    public void stopQuietly() {
        try {
            clinic(root, dataDir, offset, Duration.ofMinutes(2), Map.of(), "down");
        } catch (Exception e) {
            System.err.println("could not stop the platform at offset " + offset + ": " + e);
        }
    }

    /**
     * How long to wait for {@code ./clinic up --detach}: five minutes, or longer when the run
     * script itself was given longer ({@code CLINIC_START_TIMEOUT}, seconds) on a busy machine, so
     * the script reports which part is slow instead of being killed first.
     */
    static Duration startWait() {
        Duration wait = Duration.ofMinutes(5);
        try {
            String s = System.getenv("CLINIC_START_TIMEOUT");
            if (s != null && !s.isBlank()) {
                Duration script = Duration.ofSeconds(Long.parseLong(s.trim())).plusMinutes(2);
                if (script.compareTo(wait) > 0) wait = script;
            }
        } catch (NumberFormatException e) {
            // the script reports a bad value itself
        }
        return wait;
    }

    /** Runs the run script with this platform's settings; output goes to data/clinic-<cmd>.log. */
    public static int clinic(Path root, Path data, int offset, Duration timeout, String... args)
            throws IOException, InterruptedException {
        return clinic(root, data, offset, timeout, Map.of(), args);
    }

    /** As above, with {@code extraEnv} added (it wins over the defaults set here). */
    public static int clinic(Path root, Path data, int offset, Duration timeout, Map<String, String> extraEnv,
                             String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("clinic").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("clinic-" + args[0] + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("CLINIC_DATA_DIR", data.toString());
        env.put("CLINIC_PORT_OFFSET", String.valueOf(offset));
        // Maven packaged the jars just before this phase; do not rebuild from inside the build.
        env.put("CLINIC_SKIP_BUILD", "1");
        // The drills fire thousands of writes from one client; the gateway's per-client limit is
        // tested in the gateway module, so lift it here.
        env.putIfAbsent("CLINIC_RATE_LIMIT_PUBLIC_WRITES_PER_SECOND", "100000");
        env.putIfAbsent("CLINIC_RATE_LIMIT_PUBLIC_WRITES_BURST", "100000");
        // The gateway shows /actuator/prometheus only when told (it is the public door); MetricsIT reads it.
        env.putIfAbsent("CLINIC_ACTUATOR_EXPOSURE", "health,info,prometheus");
        // booking-service's clock may be moved ahead (/internal/test-clock), e.g. to reach an
        // appointment's start in StaffDeskIT; the profile exists only with 'local' and in tests.
        env.putIfAbsent("SPRING_PROFILES_ACTIVE", "local,test-clock");
        env.putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    public int clinic(String... args) throws IOException, InterruptedException {
        return clinic(root, dataDir, offset, Duration.ofMinutes(3), args);
    }

    public int clinic(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        return clinic(root, dataDir, offset, Duration.ofMinutes(3), extraEnv, args);
    }

    // ---------------------------------------------------------------- HTTP helpers

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(gateway + path)).GET(), null, headers);
    }

    public Response post(String path, Object body, String... headers) {
        String json = json(body);
        return send(HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), utf8(json), headers);
    }

    public Response put(String path, Object body, String... headers) {
        String json = json(body);
        return send(HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), utf8(json), headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(gateway + path)).DELETE(), null, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String json(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every exchange of the journeys is held to docs/api/openapi.yaml, request and response (ApiContract). */
    private Response send(HttpRequest.Builder b, byte[] body, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.timeout(Duration.ofSeconds(30));
        try {
            HttpRequest request = b.build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            ApiContract.get().assertConforms(new ApiContract.Exchange(request.method(), request.uri(),
                    request.headers().map(), body, r.statusCode(), r.headers().map(), r.body()), ApiContract.Mode.FULL);
            JsonNode node = r.body() == null || r.body().isBlank() ? null : parse(r.body());
            return new Response(r.statusCode(), node, r);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** A bearer token for one of the local users. */
    public String token(String username) {
        Response r = post("/api/auth/login", Map.of("username", username, "password", "dev-password"));
        if (r.status() != 200) throw new IllegalStateException("login of " + username + " failed: " + r.status());
        return "Bearer " + r.body().get("accessToken").asText();
    }

    /** Mail captured by the local SMTP server, optionally for one recipient. */
    public JsonNode mail(String to) {
        try {
            String url = mailApi + "/messages" + (to == null ? "" : "?to=" + java.net.URLEncoder.encode(to, "UTF-8"));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public java.sql.Connection db(String name) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + name,
                "postgres", "postgres");
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
