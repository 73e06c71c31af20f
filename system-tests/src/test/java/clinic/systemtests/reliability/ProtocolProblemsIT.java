package clinic.systemtests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract 1.1 "API description": every non-2xx answer of the gateway is a problem document, also
 * those the HTTP server gives before any handler runs (414 URI too long, 431 headers too large)
 * and the framework's own 405 and 406. Raw HTTP over a socket, as a hostile or broken client sends it.
 */
class ProtocolProblemsIT {
    static Platform p;
    static String host;
    static int port;

    @BeforeAll
    static void platform() throws Exception {
        p = Platform.get();
        Support.awaitHealthy(p, Duration.ofMinutes(3));
        URI u = URI.create(p.gateway);
        host = u.getHost();
        port = u.getPort();
    }

    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return Platform.JSON.readTree(body);
        }
    }

    /** Sends the bytes as they are and reads the whole answer (the server closes after these refusals). */
    static Raw send(String request) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int headerEnd = -1;
            int contentLength = -1;
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (java.net.SocketException reset) {
                    break; // the server closed after answering; what arrived is the answer
                }
                if (n < 0) break;
                all.write(buf, 0, n);
                String sofar = all.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && (headerEnd = sofar.indexOf("\r\n\r\n")) >= 0) {
                    contentLength = contentLength(sofar.substring(0, headerEnd));
                }
                if (headerEnd >= 0 && contentLength >= 0 && all.size() >= headerEnd + 4 + contentLength) break;
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("a complete response head in: %s", text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            return new Raw(status, headers, text.substring(end + 4));
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
        }
        return -1;
    }

    static void assertProblem(Raw r, int status, String code) throws IOException {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.headers().get("content-type")).as("content type of %s", r).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("type").asText()).isNotBlank();
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
    }

    private static String request(String method, String target, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        for (String h : headerLines) sb.append(h).append("\r\n");
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    @Test
    void aUriTooLongIs414WithAProblem() throws IOException {
        String target = "/api/availability?locationId=" + "x".repeat(20_000);
        Raw r = send(request("GET", target));
        assertProblem(r, 414, "uri_too_long");
        assertThat(r.headers()).containsKey("x-request-id");
    }

    @Test
    void headersTooLargeAre431WithAProblem() throws IOException {
        Raw r = send(request("GET", "/api/locations", "X-Padding: " + "y".repeat(20_000)));
        assertProblem(r, 431, "headers_too_large");
    }

    @Test
    void aWrongMethodIs405WithAProblem() throws IOException {
        // A public API path that exists for GET only, and a static page.
        assertProblem(send(request("DELETE", "/api/locations")), 405, "method_not_allowed");
        assertProblem(send(request("PUT", "/api/booking-rules", "Content-Type: application/json", "Content-Length: 2") + "{}"),
                405, "method_not_allowed");
        assertProblem(send(request("DELETE", "/index.html")), 405, "method_not_allowed");
    }

    @Test
    void anUnacceptableMediaTypeIs406WithAProblem() throws IOException {
        assertProblem(send(request("GET", "/api/locations", "Accept: text/csv")), 406, "not_acceptable");
        assertProblem(send(request("GET", "/api/callbacks/service-level", "Accept: image/png")), 406, "not_acceptable");
    }
}
