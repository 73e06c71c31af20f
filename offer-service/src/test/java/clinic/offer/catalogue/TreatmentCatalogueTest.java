package clinic.offer.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.offer.CatalogueStub;
import clinic.offer.config.OffersProperties;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** Reading booking-service's catalogue: prices and categories, and a clear failure when it is away. */
class TreatmentCatalogueTest {

    private static TreatmentCatalogue at(String url) {
        return new TreatmentCatalogue(WebClient.builder(), new OffersProperties(URI.create(url), Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofMinutes(10), ZoneId.of("Europe/London")));
    }

    @Test
    void readsPricesAndCategories() {
        var t = at(CatalogueStub.url()).find("sports-massage-45").block();
        assertThat(t).isNotNull();
        assertThat(t.pricePence()).isEqualTo(4550);
        assertThat(t.category()).isEqualTo("sports-massage");
        assertThat(at(CatalogueStub.url()).find("no-such-treatment").blockOptional()).isEmpty();
    }

    @Test
    void anUnreachableCatalogueIsCatalogueUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var catalogue = at("http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> catalogue.find("sports-massage-60").block())
                .isInstanceOf(CatalogueUnavailable.class)
                .satisfies(e -> assertThat(((CatalogueUnavailable) e).code()).isEqualTo("catalogue_unavailable"));
    }
}
