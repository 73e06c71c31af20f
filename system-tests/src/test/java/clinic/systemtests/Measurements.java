package clinic.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Figures the system tests observe (latencies, counts), appended to
 * target/measurements.txt. They are reported, never asserted: timing goals live in bench/.
 */
public final class Measurements {
    private Measurements() {}

    public static synchronized void record(String what, Object value) {
        String line = Instant.now() + "  " + what + ": " + value + System.lineSeparator();
        System.out.print("measured " + line);
        try {
            Path file = Path.of("target", "measurements.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write measurement: " + e);
        }
    }
}
