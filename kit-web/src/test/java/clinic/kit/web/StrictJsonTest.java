package clinic.kit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.autoconfigure.web.reactive.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The kit's JSON reading through Boot's own ObjectMapper and WebFlux codecs, as in every service:
 * each field only from its own JSON type, and a wrong type answered 400 {@code validation_failed}
 * naming the field (malformed JSON stays {@code malformed_request}).
 */
// Reading JSON only: the slice leaves out Spring Security (on the kit's class path since the resource
// server), whose defaults would refuse the POST before any reading happens.
@WebFluxTest(controllers = StrictJsonTest.Echo.class, excludeAutoConfiguration = {
        org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration.class,
        org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration.class})
@ContextConfiguration(classes = StrictJsonTest.Slice.class)
class StrictJsonTest {

    record Form(String name, LocalDate date, Instant at, LocalTime from, boolean consent, Boolean optIn,
                int minutes, Integer count, long big, DayOfWeek day, Nested nested, List<String> tags) {}

    record Nested(String id) {}

    @RestController
    static class Echo {
        @PostMapping("/strict")
        Mono<Form> echo(@RequestBody Form form) {
            return Mono.just(form);
        }
    }

    @SpringBootConfiguration
    @Import(Echo.class)
    static class Slice {
        @Bean
        StrictJson strictJson() {
            return new StrictJson();
        }

        @Bean
        NoNulStrings noNulStrings() {
            return new NoNulStrings();
        }

        @Bean
        ProblemHandling.Advice problemAdvice() {
            return new ProblemHandling.Advice();
        }
    }

    @Autowired WebTestClient client;
    @Autowired ObjectMapper mapper;

    private static final String VALID = """
            {"name":"Sam","date":"2027-02-10","at":"2027-02-10T09:00:00Z","from":"09:30","consent":true,
             "optIn":false,"minutes":45,"count":3,"big":9000000000,"day":"TUESDAY","nested":{"id":"n-1"},"tags":["a"]}""";

    @Test
    void wellTypedJsonIsReadAsSent() {
        client.post().uri("/strict").contentType(MediaType.APPLICATION_JSON).bodyValue(VALID)
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Sam")
                .jsonPath("$.date").isEqualTo("2027-02-10")
                .jsonPath("$.at").isEqualTo("2027-02-10T09:00:00Z")
                .jsonPath("$.from").isEqualTo("09:30:00")
                .jsonPath("$.consent").isEqualTo(true)
                .jsonPath("$.minutes").isEqualTo(45)
                .jsonPath("$.big").isEqualTo(9000000000L)
                .jsonPath("$.day").isEqualTo("TUESDAY")
                .jsonPath("$.nested.id").isEqualTo("n-1");
        // Integer to floating point stays allowed (JSON has one number type); nulls of objects are nulls.
        client.post().uri("/strict").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(VALID.replace("\"optIn\":false", "\"optIn\":null").replace("\"count\":3", "\"count\":null"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.optIn").doesNotExist().jsonPath("$.count").doesNotExist();
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                // strings from numbers or booleans: "id": 42 created the id "42"
                Arguments.of("name", "42"), Arguments.of("name", "4.2"), Arguments.of("name", "true"),
                Arguments.of("name", "{\"x\":1}"), Arguments.of("name", "[\"Sam\"]"),
                Arguments.of("nested.id", "7"),
                // dates and times from numbers or arrays: "date": 42 was 1970-02-12
                Arguments.of("date", "42"), Arguments.of("date", "[2027,2,10]"), Arguments.of("date", "true"),
                Arguments.of("at", "1800000000"), Arguments.of("at", "1.8E9"),
                Arguments.of("from", "[9,30]"), Arguments.of("from", "930"),
                // booleans from text or numbers: "consent": 42 (or "true") was consent
                Arguments.of("consent", "\"true\""), Arguments.of("consent", "1"), Arguments.of("consent", "0"),
                Arguments.of("optIn", "\"false\""), Arguments.of("optIn", "1"),
                // numbers from text, fractions, empty text
                Arguments.of("minutes", "\"45\""), Arguments.of("minutes", "1.5"), Arguments.of("minutes", "\"\""),
                Arguments.of("minutes", "true"), Arguments.of("minutes", "null"),
                Arguments.of("count", "\"3\""), Arguments.of("count", "2.5"), Arguments.of("big", "\"9000000000\""),
                // enums by name only, never by ordinal
                Arguments.of("day", "1"), Arguments.of("day", "\"1\""),
                Arguments.of("tags", "\"a\""), Arguments.of("tags", "[1]"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void aWrongTypedFieldIsAValidationProblemNamingTheField(String field, String json) throws Exception {
        client.post().uri("/strict").contentType(MediaType.APPLICATION_JSON).bodyValue(withField(field, json))
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations.length()").isEqualTo(1)
                .jsonPath("$.violations[0].field").value(f -> assertThat((String) f).startsWith(field))
                .jsonPath("$.violations[0].message").isEqualTo("has the wrong type or format")
                // Never a class name or Jackson's own text.
                .jsonPath("$.detail").value(d -> assertThat((String) d).doesNotContain("java.").doesNotContain("Cannot"));
    }

    /** The control: without these rules Jackson reads each of these as a value (so the cases above test something). */
    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("coercedByDefault")
    void jacksonsDefaultsWouldHaveReadThem(String field, String json) throws Exception {
        ObjectMapper defaults = org.springframework.http.converter.json.Jackson2ObjectMapperBuilder.json().build();
        assertThat(defaults.readValue(withField(field, json), Form.class)).isNotNull();
    }

    static Stream<Arguments> coercedByDefault() {
        return Stream.of(Arguments.of("name", "42"), Arguments.of("name", "true"), Arguments.of("nested.id", "7"),
                Arguments.of("date", "42"), Arguments.of("date", "[2027,2,10]"), Arguments.of("at", "1800000000"),
                Arguments.of("from", "[9,30]"), Arguments.of("consent", "\"true\""), Arguments.of("consent", "1"),
                Arguments.of("minutes", "\"45\""), Arguments.of("minutes", "1.5"), Arguments.of("day", "1"),
                Arguments.of("day", "\"1\""));
    }

    @Test
    void malformedJsonIsStillMalformed() {
        for (String body : List.of("{\"name\":", "not json", "[" + VALID + "]", "null", "42")) {
            client.post().uri("/strict").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        }
    }

    @Test
    void theBootMapperItselfIsStrictForEventsToo() throws Exception {
        // Events are read with this same mapper (InboundEvent.payloadAs): what the platform writes reads back.
        Form form = mapper.readValue(VALID, Form.class);
        assertThat(mapper.readValue(mapper.writeValueAsString(form), Form.class)).isEqualTo(form);
        Map<String, Object> asMap = mapper.readValue(mapper.writeValueAsString(form), Map.class);
        assertThat(asMap.get("date")).isEqualTo("2027-02-10");
        assertThat(asMap.get("at")).isEqualTo("2027-02-10T09:00:00Z");
    }

    private String withField(String dotted, String json) throws Exception {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(VALID);
        String[] parts = dotted.split("\\.");
        var node = root;
        for (int i = 0; i < parts.length - 1; i++) node = (com.fasterxml.jackson.databind.node.ObjectNode) node.get(parts[i]);
        node.set(parts[parts.length - 1], mapper.readTree(json));
        return mapper.writeValueAsString(root);
    }
}
