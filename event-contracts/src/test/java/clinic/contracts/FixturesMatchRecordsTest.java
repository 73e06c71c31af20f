package clinic.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingRescheduled;
import clinic.contracts.callback.CallbackAttempted;
import clinic.contracts.catalogue.ClosureChanged;
import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.TherapistChanged;
import clinic.contracts.catalogue.TreatmentChanged;
import clinic.contracts.callback.CallbackClaimed;
import clinic.contracts.callback.CallbackReleased;
import clinic.contracts.callback.CallbackCompleted;
import clinic.contracts.callback.CallbackRequested;
import clinic.contracts.callback.CallbackSlaBreached;
import clinic.contracts.notification.NotificationFailed;
import clinic.contracts.notification.NotificationSent;
import clinic.contracts.offer.OfferEnded;
import clinic.contracts.offer.OfferExpired;
import clinic.contracts.offer.OfferLaunched;
import clinic.contracts.offer.PromoRedeemed;
import clinic.contracts.offer.PromoReleased;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden fixture reads into its record without unknown or missing fields, and the record
 * writes back the same JSON: a field renamed on one side fails here before it fails a consumer.
 */
class FixturesMatchRecordsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Consumers read with the kit's strict rules (clinic.kit.web.StrictJson): no scalar coercion.
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    static {
        MAPPER.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    }

    static Stream<Map.Entry<String, Class<?>>> types() {
        return Map.<String, Class<?>>ofEntries(
                Map.entry("booking.confirmed.v1", BookingConfirmed.class),
                Map.entry("booking.cancelled.v1", BookingCancelled.class),
                Map.entry("booking.rescheduled.v1", BookingRescheduled.class),
                Map.entry("booking.attended.v1", clinic.contracts.booking.BookingAttended.class),
                Map.entry("booking.no_show.v1", clinic.contracts.booking.BookingNoShow.class),
                Map.entry("booking.confirmed.v2", clinic.contracts.booking.BookingConfirmedV2.class),
                Map.entry("booking.cancelled.v2", clinic.contracts.booking.BookingCancelledV2.class),
                Map.entry("booking.rescheduled.v2", clinic.contracts.booking.BookingRescheduledV2.class),
                Map.entry("callback.requested.v2", clinic.contracts.callback.CallbackRequestedV2.class),
                Map.entry("callback.attempted.v2", clinic.contracts.callback.CallbackAttemptedV2.class),
                Map.entry("callback.completed.v2", clinic.contracts.callback.CallbackCompletedV2.class),
                Map.entry("offer.launched.v1", OfferLaunched.class),
                Map.entry("offer.expired.v1", OfferExpired.class),
                Map.entry("offer.ended.v1", OfferEnded.class),
                Map.entry("promo.redeemed.v1", PromoRedeemed.class),
                Map.entry("promo.released.v1", PromoReleased.class),
                Map.entry("callback.requested.v1", CallbackRequested.class),
                Map.entry("callback.claimed.v1", CallbackClaimed.class),
                Map.entry("callback.released.v1", CallbackReleased.class),
                Map.entry("callback.attempted.v1", CallbackAttempted.class),
                Map.entry("callback.completed.v1", CallbackCompleted.class),
                Map.entry("callback.sla_breached.v1", CallbackSlaBreached.class),
                Map.entry("notification.sent.v1", NotificationSent.class),
                Map.entry("notification.failed.v1", NotificationFailed.class),
                Map.entry("newsletter.confirmed.v1", clinic.contracts.notification.NewsletterConfirmed.class),
                Map.entry("location.changed.v1", LocationChanged.class),
                Map.entry("treatment.changed.v1", TreatmentChanged.class),
                Map.entry("therapist.changed.v1", TherapistChanged.class),
                Map.entry("closure.changed.v1", ClosureChanged.class),
                Map.entry("privacy.erasure_requested.v1", clinic.contracts.privacy.ErasureRequested.class),
                Map.entry("privacy.erasure_completed.v1", clinic.contracts.privacy.ErasureCompleted.class)).entrySet().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void fixtureRoundTripsThroughItsRecord(Map.Entry<String, Class<?>> type) throws Exception {
        String json = Fixtures.json(type.getKey());
        Object event = MAPPER.readValue(json, type.getValue());
        // Through text, so numbers compare by value rather than by Java type (int vs long nodes).
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(event));
        JsonNode expected = MAPPER.readTree(json);
        // Nulls written for absent optional fields are the same as absence.
        ((com.fasterxml.jackson.databind.node.ObjectNode) written).properties()
                .removeIf(e -> e.getValue().isNull() && !expected.has(e.getKey()));
        assertThat(written).isEqualTo(expected);
    }
}
