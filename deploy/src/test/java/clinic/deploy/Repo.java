package clinic.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Where things are in the repository, and what the service modules read from the environment. */
final class Repo {

    /** The repository root: this module's parent folder (Maven runs the tests in deploy/). */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final List<String> OVERLAYS = List.of("local", "production");

    /** Environment placeholders as Spring resolves them: ${NAME} or ${NAME:default}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private Repo() {}

    static Path overlay(String name) {
        return K8S.resolve("overlays").resolve(name);
    }

    /** Every service module: the gateway and each *-service folder with a pom.xml. */
    static List<String> serviceModules() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> d.getFileName().toString())
                    .filter(n -> n.equals("gateway") || n.endsWith("-service"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment variables a module reads: the placeholders of its application*.yml/properties,
     * those of the kit modules' defaults it runs with, and the two every JVM and Spring
     * Boot application reads (SPRING_PROFILES_ACTIVE, JAVA_TOOL_OPTIONS).
     */
    static TreeSet<String> envVarsRead(String module) {
        TreeSet<String> names = new TreeSet<>(List.of("SPRING_PROFILES_ACTIVE", "JAVA_TOOL_OPTIONS"));
        names.addAll(placeholders(ROOT.resolve(module).resolve("src/main/resources")));
        for (String kit : kitModulesOf(module)) names.addAll(placeholders(ROOT.resolve(kit).resolve("src/main/resources")));
        return names;
    }

    /**
     * The kit modules a module runs with, each bringing its own defaults file: the one its pom names
     * and those that one depends on (kit-messaging on kit-data, kit-data on kit-web).
     */
    static List<String> kitModulesOf(String module) {
        String pom = read(ROOT.resolve(module).resolve("pom.xml"));
        if (pom.contains("<artifactId>kit-messaging</artifactId>")) return List.of("kit-web", "kit-data", "kit-messaging");
        if (pom.contains("<artifactId>kit-data</artifactId>")) return List.of("kit-web", "kit-data");
        if (pom.contains("<artifactId>kit-web</artifactId>")) return List.of("kit-web");
        return List.of();
    }

    private static TreeSet<String> placeholders(Path resources) {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(resources)) return names;
        try (Stream<Path> files = Files.list(resources)) {
            files.filter(f -> f.getFileName().toString().matches("(application|clinic-kit-defaults).*\\.(ya?ml|properties)"))
                    .forEach(f -> {
                        Matcher m = PLACEHOLDER.matcher(read(f));
                        while (m.find()) names.add(m.group(1));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
