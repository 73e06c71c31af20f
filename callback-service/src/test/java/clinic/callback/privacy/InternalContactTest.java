package clinic.callback.privacy;

import clinic.callback.CallbackTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * The caller's contact for notification-service, now that callback events carry ids only
 * (docs/adr/0007): only a service token issued for callback-service opens it.
 */
class InternalContactTest extends CallbackTestBase {

    /** notification-service's client-credentials token for calls to callback-service. */
    private static String notificationService() {
        return "Bearer " + TOKENS.service("notification-service", "callback-service", java.time.Duration.ofMinutes(5));
    }

    @Test
    void servicesGetTheContactUsersDoNotAndAnErasedRequestHasNone() {
        String phone = newPhone();
        UUID id = requestCallback(phone);
        String e164 = "+44" + phone.substring(1).replace(" ", "");

        web.get().uri("/internal/callbacks/" + id + "/contact")
                .header(HttpHeaders.AUTHORIZATION, notificationService())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.callbackId").isEqualTo(id.toString())
                .jsonPath("$.name").isEqualTo("Jo Smith")
                .jsonPath("$.phone").isEqualTo(e164)
                .jsonPath("$.email").isEqualTo("jo@example.com")
                .jsonPath("$.message").isEqualTo("Knee pain after running, is physio right for me?")
                .jsonPath("$.locationId").isEqualTo("doncaster")
                .jsonPath("$.erased").isEqualTo(false);
        web.get().uri("/internal/callbacks/" + id + "/contact").exchange().expectStatus().isUnauthorized();
        web.get().uri("/internal/callbacks/" + id + "/contact").header(HttpHeaders.AUTHORIZATION, staff("ann@clinic.test"))
                .exchange().expectStatus().isForbidden();
        // a service token for another service (booking-service's, say) opens nothing here
        web.get().uri("/internal/callbacks/" + id + "/contact").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + TOKENS.service("notification-service", "booking-service", java.time.Duration.ofMinutes(5)))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/internal/callbacks/" + UUID.randomUUID() + "/contact")
                .header(HttpHeaders.AUTHORIZATION, notificationService())
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");

        sql("update callback_request set name = null, phone = null, email = null, message = null, erased_at = now() "
                + "where id = ?", id);
        web.get().uri("/internal/callbacks/" + id + "/contact")
                .header(HttpHeaders.AUTHORIZATION, notificationService())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.erased").isEqualTo(true)
                .jsonPath("$.phone").doesNotExist()
                .jsonPath("$.name").doesNotExist();
    }
}
