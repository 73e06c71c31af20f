package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JVM region that can grow is capped (heap, direct buffers, metaspace, code cache), and the caps
 * plus a quarter of headroom (thread stacks, GC structures, malloc arenas) fit the container limit,
 * which in turn holds what docs/benchmarks.md measured the service using, with the same headroom.
 * An uncapped region, or a limit below the measured figure, is an OOM kill waiting for load.
 */
class MemoryBudgetTest {

    static final double HEADROOM = 0.25;
    private static final Pattern SIZE = Pattern.compile("-(Xmx|XX:MaxDirectMemorySize=|XX:MaxMetaspaceSize=|XX:ReservedCodeCacheSize=)(\\d+)([kKmMgG])");
    private static final Pattern XMS = Pattern.compile("-Xms(\\d+)([kKmMgG])");
    private static final Pattern MEASURED = Pattern.compile("(?m)^\\|\\s*([a-z-]+)\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*\\d+\\s*\\|$");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    /** JAVA_TOOL_OPTIONS' caps in bytes, by flag (Xmx, XX:MaxDirectMemorySize=, ...). */
    static Map<String, Long> caps(String options) {
        Map<String, Long> caps = new TreeMap<>();
        Matcher m = SIZE.matcher(options);
        while (m.find()) caps.put(m.group(1), bytes(m.group(2), m.group(3)));
        return caps;
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit.toLowerCase()) {
            case "k" -> n * 1024;
            case "m" -> n * 1024 * 1024;
            default -> n * 1024 * 1024 * 1024;
        };
    }

    /** docs/benchmarks.md, "Resources": memory (PSS, MiB) per part of the platform. */
    static Map<String, Long> measuredMiB() {
        Map<String, Long> measured = new TreeMap<>();
        Matcher m = MEASURED.matcher(Repo.read(Repo.ROOT.resolve("docs/benchmarks.md")));
        while (m.find()) measured.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
        return measured;
    }

    @Test
    void theBenchmarksFiguresAreReadable() {
        assertThat(measuredMiB()).containsEntry("booking-service", 506L).containsKeys(Repo.serviceModules().toArray(String[]::new));
        assertThat(caps("-Xms64m -Xmx1g -XX:MaxDirectMemorySize=64m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m"))
                .containsEntry("Xmx", 1L << 30).containsEntry("XX:MaxDirectMemorySize=", 64L << 20).hasSize(4);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void heapDirectMetaspaceAndCodeCacheWithHeadroomFitTheLimit(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, Long> measured = measuredMiB();
        List<String> problems = new ArrayList<>();
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            Container c = Overlay.container(d);
            String options = overlay.environment(d).get("JAVA_TOOL_OPTIONS");
            Map<String, Long> caps = caps(options);
            if (caps.size() != 4) {
                problems.add(module + ": JAVA_TOOL_OPTIONS must cap heap, direct memory, metaspace and code cache: " + options);
                continue;
            }
            long used = caps.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Quantity> limits = c.getResources().getLimits();
            long limit = limits.get("memory").getNumericalAmount().longValueExact();
            if (used > limit * (1 - HEADROOM)) {
                problems.add(module + ": caps " + (used >> 20) + " MiB + " + (int) (HEADROOM * 100) + "% headroom exceed the limit of "
                        + (limit >> 20) + " MiB");
            }
            Matcher xms = XMS.matcher(options);
            if (xms.find() && bytes(xms.group(1), xms.group(2)) > caps.get("Xmx")) problems.add(module + ": -Xms above -Xmx");
            // The benchmark ran these services with a 256 MiB heap; less would be a guess nobody measured.
            if (caps.get("Xmx") < 256L << 20) problems.add(module + ": heap below the benchmark's 256 MiB");
            Long pss = measured.get(module);
            if (pss == null) problems.add(module + ": no memory figure in docs/benchmarks.md");
            else if ((pss << 20) > limit * (1 - HEADROOM)) {
                problems.add(module + ": measured " + pss + " MiB does not fit " + (limit >> 20) + " MiB with headroom");
            }
            if (overlay.isProduction()) {
                long request = c.getResources().getRequests().get("memory").getNumericalAmount().longValueExact();
                if (request != limit) problems.add(module + ": memory request " + (request >> 20) + " MiB != limit " + (limit >> 20) + " MiB");
            }
        }
        assertThat(problems).as("memory in %s", name).isEmpty();
    }
}
