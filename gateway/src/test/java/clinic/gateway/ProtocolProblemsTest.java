package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The refusals Reactor Netty's decoder makes before any Spring code runs (414, 431) come back as
 * problem documents, on a socket as a client sends them; ordinary answers are untouched.
 */
class ProtocolProblemsTest extends GatewayTestBase {

    private String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
            } catch (java.net.SocketException closed) {
                // the server closes after these refusals; what arrived is the answer
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode body(String response) throws IOException {
        return new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aRequestLineTooLongIs414WithAProblem() throws IOException {
        String r = exchange("GET /api/offers?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 414").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("x-request-id:");
        JsonNode p = body(r);
        assertThat(p.get("code").asText()).isEqualTo("uri_too_long");
        assertThat(p.get("status").asInt()).isEqualTo(414);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.get("type").asText()).endsWith("/uri_too_long");
    }

    @Test
    void headersTooLargeAre431WithAProblem() throws IOException {
        String r = exchange("GET /api/offers HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/problem+json");
        assertThat(body(r).get("code").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void ordinaryAnswersAreUntouched() throws IOException {
        String r = exchange("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/html");
        String missing = exchange("GET /no-such-page.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(missing).startsWith("HTTP/1.1 404").containsIgnoringCase("application/problem+json");
        assertThat(body(missing).get("code").asText()).isEqualTo("not_found");
    }
}
