package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.offer.OfferServiceTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

/** The local run's FEB10: there after start-up, once however often seeding runs, and quotable. */
@ActiveProfiles("local")
class LocalSeedTest extends OfferServiceTestBase {
    @Autowired FebruarySeed seed;

    @Test
    void feb10IsSeededOnceForTheFebruaryNotYetOverAndPricesAFebruarySportsMassage() {
        seed.seed();
        seed.seed();
        var rows = sql("select * from offer where code = 'FEB10'");
        assertThat(rows).hasSize(1);
        var feb10 = rows.get(0);
        var window = FebruarySeed.februaryNotYetOver(java.time.Instant.now(), java.time.ZoneId.of("Europe/London"));
        assertThat(((java.sql.Timestamp) feb10.get("starts_at")).toInstant()).isEqualTo(window.startsAt());
        assertThat(((java.sql.Timestamp) feb10.get("ends_at")).toInstant()).isEqualTo(window.endsAt());
        assertThat(feb10).containsEntry("percent_off", 10).containsEntry("treatment_category", "sports-massage")
                .containsEntry("announce", true).containsEntry("title", "10% off sports massage this February");
        assertThat(sqlLong("select cardinality(location_ids) from offer where code = 'FEB10'")).isZero();

        var open = web.get().uri("/api/offers").exchange().expectStatus().isOk().expectBodyList(JSON)
                .returnResult().getResponseBody();
        assertThat(open).extracting(o -> o.get("code")).contains("FEB10");

        String appointment = window.startsAt().plus(java.time.Duration.ofDays(9)).plus(java.time.Duration.ofHours(10)).toString();
        web.get().uri(u -> u.path("/api/offers/quote").queryParam("code", "feb10")
                        .queryParam("treatmentId", "sports-massage-60").queryParam("locationId", "sheffield")
                        .queryParam("startsAt", "{at}").queryParam("email", "{email}").build(appointment, "sam@example.com"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.discountPence").isEqualTo(550)
                .jsonPath("$.totalPence").isEqualTo(4950);
        assertThat(List.of("SCHEDULED", "LIVE")).contains((String) feb10.get("status"));
    }
}
