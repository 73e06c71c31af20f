package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** GET /api/openapi.json is the repository's docs/api/openapi.yaml, public and cacheable; api.html renders it locally. */
class ApiDescriptionTest extends GatewayTestBase {
    /** The document and the viewer's bundle are larger than the 64 KiB the client buffers by default. */
    private org.springframework.test.web.reactive.server.WebTestClient big() {
        return client().mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();
    }

    @Test
    void theRepositoryDocumentIsServedAsJsonToAnyoneAndRevalidatesByEtag() throws Exception {
        var result = big().get().uri("/api/openapi.json").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, cc -> assertThat(cc).contains("public").contains("max-age"))
                .expectBody(String.class).returnResult();
        JsonNode served = new ObjectMapper().readTree(result.getResponseBody());
        // The source of truth in the repository, read as the tests' working directory sees it (the module).
        JsonNode source = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docs/api/openapi.yaml")));
        assertThat(served).isEqualTo(source);
        assertThat(served.path("openapi").asText()).startsWith("3.1");
        List<String> paths = new ArrayList<>();
        served.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/bookings", "/api/callbacks", "/api/openapi.json", "/.well-known/jwks.json",
                "/api/admin/privacy/erasure", "/api/newsletter/confirm");

        String etag = result.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();
        big().get().uri("/api/openapi.json").header(HttpHeaders.IF_NONE_MATCH, etag)
                .exchange().expectStatus().isNotModified();
    }

    @Test
    void theReferencePageUsesTheBundledViewerAndNoOtherOrigin() {
        String page = big().get().uri("/api.html").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("/vendor/swagger-ui/swagger-ui-bundle.js").contains("/js/api-docs.js");
        assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//");
        big().get().uri("/vendor/swagger-ui/swagger-ui-bundle.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).contains("SwaggerUIBundle"));
        big().get().uri("/vendor/swagger-ui/swagger-ui.css").exchange().expectStatus().isOk();
        String home = big().get().uri("/index.html").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(home).contains("href=\"api.html\"");
    }
}
