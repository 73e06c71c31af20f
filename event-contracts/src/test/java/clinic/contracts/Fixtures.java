package clinic.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Golden JSON of each event type, {@code fixtures/<type>.json}. Producers test that they write
 * this shape; consumers test that they read it. Shipped in this module's test-jar.
 */
public final class Fixtures {
    private Fixtures() {}

    public static String json(String type) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + type + ".json")) {
            if (in == null) throw new IllegalArgumentException("no fixture for " + type);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
