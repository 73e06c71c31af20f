package clinic.gateway.edge;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.io.IOException;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /} answers with the web front's {@code index.html} under the same caching rule as the
 * other static files (revalidate every time), which Boot's welcome page does not apply.
 */
@Configuration(proxyBeanMethods = false)
class WebFront {
    @Bean
    RouterFunction<ServerResponse> webFrontIndex() {
        Resource index = new ClassPathResource("static/index.html");
        return RouterFunctions.route(GET("/"), request -> {
            if (!index.exists()) return ServerResponse.notFound().build();
            Instant modified = lastModified(index);
            return request.checkNotModified(modified)
                    .switchIfEmpty(ServerResponse.ok()
                            .contentType(MediaType.TEXT_HTML)
                            .cacheControl(CacheControl.noCache())
                            .lastModified(modified)
                            .bodyValue(index));
        });
    }

    private static Instant lastModified(Resource resource) {
        try {
            // Whole seconds: that is all an HTTP date can carry back in If-Modified-Since.
            return Instant.ofEpochSecond(resource.lastModified() / 1000);
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
