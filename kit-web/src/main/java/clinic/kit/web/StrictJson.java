package clinic.kit.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Every service's (and the gateway's) JSON is read as the document types it: a field is taken only
 * from its own JSON type. Jackson's defaults coerce scalars, so {@code "id": 42} became the id
 * {@code "42"}, {@code "consent": 42} or {@code "true"} a consent, {@code "date": 42} the 42nd day
 * after 1970-01-01 (a closure on 1970-02-12, found by the API fuzz), {@code 1.5} minutes one minute
 * and {@code "dayOfWeek": 1} TUESDAY. Here:
 * <ul>
 *   <li>numbers and booleans only from JSON numbers and booleans (no {@code "30"}, {@code "true"},
 *       {@code ""}; no fraction truncated to an integer);</li>
 *   <li>strings only from JSON strings (no number or boolean turned into its text);</li>
 *   <li>enums only by name (no ordinal, quoted or not);</li>
 *   <li>{@code java.time} values only from text (no epoch numbers, no {@code [2027, 2, 10]} arrays).</li>
 * </ul>
 * A value of the wrong type fails reading with its JSON path, which {@link ProblemMapper} answers as
 * 400 {@code validation_failed} naming the field. Events are read with the same mapper; the platform
 * writes them well-typed (dates as text, {@code write-dates-as-timestamps=false}), and their golden
 * fixtures are read with these rules in event-contracts.
 */
public final class StrictJson implements Jackson2ObjectMapperBuilderCustomizer {

    @Override
    public void customize(Jackson2ObjectMapperBuilder builder) {
        builder.featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS, DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        builder.featuresToEnable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        builder.postConfigurer(StrictJson::apply);
    }

    /** The same rules on a mapper built by hand (tests, tools): one definition. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // ALLOW_COERCION_OF_SCALARS covers numbers, booleans and dates, not text: a String field
        // still took 42 or true as "42" or "true" without this.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new TextOnlyTime());
        return mapper;
    }

    /** java.time values from JSON strings only: the JSR-310 readers also take epoch numbers and arrays. */
    static final class TextOnlyTime extends SimpleModule {
        TextOnlyTime() {
            super("clinic-text-only-time");
            setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc,
                                                              JsonDeserializer<?> deserializer) {
                    Class<?> type = desc.getBeanClass();
                    boolean time = "java.time".equals(type.getPackageName()) && !type.isEnum();
                    return time ? new TextOnly(deserializer) : deserializer;
                }
            });
        }
    }

    private static final class TextOnly extends DelegatingDeserializer {
        TextOnly(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new TextOnly(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.handleUnexpectedToken(handledType(), p.currentToken(), p,
                        "a date or time must be JSON text (ISO-8601)");
            }
            return super.deserialize(p, ctxt);
        }
    }
}
