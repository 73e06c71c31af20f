package clinic.systemtests;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads a text/event-stream in the background and keeps every event it sees, with arrival time. */
public final class SseClient implements AutoCloseable {
    public record Event(String id, String name, String data, long receivedAtNanos) {}

    public final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile java.io.InputStream body;
    public volatile int status;
    /** Set once the server has sent anything, e.g. the stream's opening comment. */
    public volatile boolean connected;

    public SseClient(String url, String authorization) {
        reader = new Thread(() -> {
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", authorization)
                        .GET().build();
                HttpResponse<java.io.InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                status = r.statusCode();
                body = r.body();
                try (BufferedReader br = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    String id = null;
                    String name = null;
                    StringBuilder data = new StringBuilder();
                    while ((line = br.readLine()) != null) {
                        connected = true;
                        if (line.startsWith(":")) {
                            continue; // a comment: heartbeat or greeting
                        }
                        if (line.isEmpty()) {
                            if (data.length() > 0 || name != null) {
                                events.add(new Event(id, name, data.toString(), System.nanoTime()));
                            }
                            id = null;
                            name = null;
                            data.setLength(0);
                        } else if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            if (data.length() > 0) data.append('\n');
                            data.append(line.substring(5).trim());
                        }
                    }
                }
            } catch (Exception e) {
                // closed by the test, or the stream ended
            }
        }, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public boolean sawEventContaining(String name, String text) {
        return events.stream().anyMatch(e -> name.equals(e.name()) && e.data().contains(text));
    }

    public long receivedAt(String name, String text) {
        return events.stream().filter(e -> name.equals(e.name()) && e.data().contains(text))
                .mapToLong(Event::receivedAtNanos).findFirst().orElse(-1);
    }

    @Override
    public void close() {
        try {
            if (body != null) body.close();
        } catch (Exception ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
