package clinic.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Closed-model load for throughput at saturation: {@code connections} clients, each sending its
 * next request as soon as the last is answered, over keep-alive HTTP/1.1. Only answers with 200
 * count. (Latency is the open model's business: {@link OpenLoad}.)
 */
final class ClosedLoad {
    private ClosedLoad() {}

    /** Requests answered 200 per second over {@code duration}, after a 2 s ramp not counted. */
    static double run(String base, LongFunction<String> path, int connections, Duration duration) throws InterruptedException {
        AtomicLong counter = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        long rampEnd = System.nanoTime() + 2_000_000_000L;
        long end = rampEnd + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                // One client per thread: a connection of its own, reused for every request.
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                while (System.nanoTime() < end) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path.apply(counter.getAndIncrement())))
                            .timeout(Duration.ofSeconds(10)).GET().build();
                    try {
                        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        long now = System.nanoTime();
                        if (status == 200 && now > rampEnd && now <= end) ok.incrementAndGet();
                    } catch (Exception e) {
                        // a failed request is simply not counted
                    }
                }
            }, "closed-load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        return ok.get() / (duration.toNanos() / 1e9);
    }
}
