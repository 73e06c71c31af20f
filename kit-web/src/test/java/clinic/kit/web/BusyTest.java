package clinic.kit.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

class BusyTest {
    @Test
    void aBusyRefusalIsA503ProblemThatSaysWhenToTryAgain() {
        var response = new ProblemHandling.Advice().handle(new Busy("Too many at once; nothing was changed", 2));
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().getProperties()).containsEntry("code", "service_unavailable");
        assertThat(response.getBody().getTitle()).isEqualTo("Busy");
    }

    @Test
    void otherProblemsCarryNoRetryAfter() {
        var response = new ProblemHandling.Advice().handle(ClinicException.notFound("Booking"));
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
    }
}
