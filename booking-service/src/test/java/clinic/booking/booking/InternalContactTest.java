package clinic.booking.booking;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * notification-service's way to the customer now that events carry ids only (docs/adr/0007): the
 * contact by booking id and a manage link minted for the confirmation mail, for service tokens issued
 * for booking-service only.
 */
class InternalContactTest extends BookingTestBase {

    private static String serviceToken() {
        return TOKENS.service("notification-service", "booking-service", Duration.ofMinutes(5));
    }

    private JsonNode book(Instant at) {
        return post("/api/bookings", booking("sheffield", "sports-massage-60", "sheffield-amy", at))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private String idOf(String reference) {
        return db.sql("select id::text from booking where reference = :r").bind("r", reference)
                .map(r -> r.get(0, String.class)).one().block();
    }

    @Test
    void theContactIsGivenToServicesOnlyAndSaysWhenTheBookingWasAnonymised() {
        String reference = book(Instant.parse("2027-03-09T10:00:00Z")).get("reference").asText();
        String id = idOf(reference);

        http.get().uri("/internal/bookings/" + id + "/contact").headers(h -> h.setBearerAuth(serviceToken()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.reference").isEqualTo(reference)
                .jsonPath("$.status").isEqualTo("CONFIRMED")
                .jsonPath("$.name").isEqualTo("Sam Taylor")
                .jsonPath("$.email").isEqualTo("sam@example.com")
                .jsonPath("$.phone").isEqualTo("+447911123456")
                .jsonPath("$.erased").isEqualTo(false);
        http.get().uri("/internal/bookings/" + id + "/contact").exchange().expectStatus().isUnauthorized();
        http.get().uri("/internal/bookings/" + id + "/contact").headers(h -> h.setBearerAuth(staffToken()))
                .exchange().expectStatus().isForbidden();
        // a service token issued for another service (offer-service) opens nothing here
        http.get().uri("/internal/bookings/" + id + "/contact").headers(h -> h.setBearerAuth(
                        TOKENS.service("notification-service", "offer-service", Duration.ofMinutes(5))))
                .exchange().expectStatus().isForbidden();
        http.get().uri("/internal/bookings/00000000-0000-4000-8000-000000000000/contact")
                .headers(h -> h.setBearerAuth(serviceToken())).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
        http.get().uri("/internal/bookings/not-a-uuid/contact").headers(h -> h.setBearerAuth(serviceToken()))
                .exchange().expectStatus().isNotFound();

        db.sql("update booking set customer_name = null, customer_email = null, customer_phone = null, "
                + "anonymised_at = now() where id = '" + id + "'").then().block();
        http.get().uri("/internal/bookings/" + id + "/contact").headers(h -> h.setBearerAuth(serviceToken()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.erased").isEqualTo(true)
                .jsonPath("$.email").doesNotExist()
                .jsonPath("$.phone").doesNotExist();
        http.post().uri("/internal/bookings/" + id + "/manage-link").headers(h -> h.setBearerAuth(serviceToken()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.manageToken").doesNotExist();
    }

    @Test
    void theMailsManageLinkOpensTheBookingBesideTheCustomersOwnTokenAndOnlyTheLatestOneDoes() {
        JsonNode b = book(Instant.parse("2027-03-09T14:00:00Z"));
        String reference = b.get("reference").asText();
        String own = b.get("manageToken").asText();
        String id = idOf(reference);

        String first = http.post().uri("/internal/bookings/" + id + "/manage-link")
                .headers(h -> h.setBearerAuth(serviceToken())).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("manageToken").asText();
        assertThat(first).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(own);
        // stored only as a hash
        assertThat(sql("select count(*) from booking where id = '" + id
                + "' and mail_token_hash = sha256(convert_to('" + first + "', 'UTF8'))")).isEqualTo(1);
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", first).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.reference").isEqualTo(reference);

        // a retried mail gets a new link; the one that never went out stops working
        String second = http.post().uri("/internal/bookings/" + id + "/manage-link")
                .headers(h -> h.setBearerAuth(serviceToken())).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("manageToken").asText();
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", first).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", second).exchange().expectStatus().isOk();
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", own).exchange().expectStatus().isOk();
        http.post().uri("/internal/bookings/" + id + "/manage-link").headers(h -> h.setBearerAuth(staffToken()))
                .exchange().expectStatus().isForbidden();
    }
}
