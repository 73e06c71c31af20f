package clinic.gateway.apidoc;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the OpenAPI document. It is converted once, at start: a document that does not parse stops
 * the gateway there rather than answering 500 to the first client who asks. The body never changes
 * while the gateway runs, so a strong ETag lets clients revalidate for free.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {
    static final String PATH = "/api/openapi.json";
    static final String SOURCE = "api/openapi.yaml";

    @Bean
    RouterFunction<ServerResponse> apiDescriptionRoute() {
        byte[] json = toJson(new ClassPathResource(SOURCE));
        String etag = "\"" + sha256(json) + "\"";
        CacheControl cache = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();
        return RouterFunctions.route(GET(PATH), request -> request.checkNotModified(etag)
                .switchIfEmpty(ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(cache)
                        .eTag(etag)
                        .bodyValue(json)));
    }

    static byte[] toJson(ClassPathResource yaml) {
        try (InputStream in = yaml.getInputStream()) {
            JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(in);
            if (document == null || !document.path("openapi").asText().startsWith("3.1")) {
                throw new IllegalStateException(SOURCE + " is not an OpenAPI 3.1 document");
            }
            return new ObjectMapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCE, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
