package clinic.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-model load: requests are sent at a constant arrival rate whatever the server does, and
 * each latency is measured from the request's <em>intended</em> send time, so a stalled server
 * shows up in the tail instead of being hidden by a waiting client (coordinated omission).
 */
final class OpenLoad {
    record Result(String name, double targetRate, double achievedRate, long sent, long ok, long failed,
                  Map<Integer, Long> statuses, Histogram latencyMicros, Histogram okLatencyMicros) {
        double p(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        /** Of the requests that succeeded only: under overload the refused ones are fast and would hide them. */
        double okP(double percentile) {
            return okLatencyMicros.getTotalCount() == 0 ? 0 : okLatencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    // HTTP/1.1 with keep-alive, as browsers reach the gateway; the default (HTTP/2) would try an
    // h2c upgrade on every new connection.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4))
            .build();

    /**
     * @param requests builds the i-th request (i from 0)
     * @param okStatus what counts as success (e.g. 200 or 201)
     */
    Result run(String name, double ratePerSecond, Duration duration, LongFunction<HttpRequest> requests,
               java.util.function.IntPredicate okStatus, java.util.function.BiConsumer<Long, HttpResponse<String>> onResponse)
            throws InterruptedException {
        long total = (long) (ratePerSecond * duration.toMillis() / 1000.0);
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        Recorder recorder = new Recorder(3);
        Recorder okRecorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch((int) total);
        long start = System.nanoTime() + 50_000_000L;
        long lastProgress = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            final long n = i;
            HttpRequest req = requests.apply(n);
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
                recorder.recordValue(Math.min(micros, 3_600_000_000L));
                if (err != null) {
                    failed.incrementAndGet();
                    statuses.merge(-1, 1L, Long::sum);
                } else {
                    statuses.merge(resp.statusCode(), 1L, Long::sum);
                    if (okStatus.test(resp.statusCode())) {
                        ok.incrementAndGet();
                        okRecorder.recordValue(Math.min(micros, 3_600_000_000L));
                    } else {
                        failed.incrementAndGet();
                    }
                    if (onResponse != null) onResponse.accept(n, resp);
                }
                done.countDown();
            });
            if (System.nanoTime() - lastProgress > 2_000_000_000L) {
                lastProgress = System.nanoTime();
                System.out.printf("  %-28s %5.0f%% sent, %d ok, %d failed%n", name, 100.0 * i / total, ok.get(), failed.get());
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        done.await(60, TimeUnit.SECONDS);
        Histogram h = recorder.getIntervalHistogram();
        return new Result(name, ratePerSecond, total / Math.max(sendSeconds, 0.001), total, ok.get(), failed.get(),
                new java.util.TreeMap<>(statuses), h, okRecorder.getIntervalHistogram());
    }
}
