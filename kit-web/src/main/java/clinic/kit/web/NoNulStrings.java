package clinic.kit.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Rejects strings containing a NUL character while reading JSON: PostgreSQL cannot store one, and
 * catching it here names the offending field (400 {@code validation_failed}) instead of failing
 * deep inside a transaction.
 */
public final class NoNulStrings extends SimpleModule {
    public NoNulStrings() {
        super("clinic-no-nul-strings");
        addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && value.indexOf('\u0000') >= 0) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p,
                            "NUL characters are not allowed", value, String.class);
                }
                return value;
            }
        });
    }
}
