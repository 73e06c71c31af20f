package clinic.devinfra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point of one infrastructure process: {@code kafka}, {@code postgres} or {@code smtp}.
 * Options are {@code --name value}. With {@code --watch-stdin} the process exits when its parent
 * closes our standard input, so a test JVM that dies never leaves a broker behind.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Main kafka|postgres|smtp [--port N] [--dir DIR] ...");
            System.exit(2);
        }
        quietLogging();
        Map<String, String> opts = options(args);
        if (opts.containsKey("watch-stdin")) {
            ParentWatch.exitWhenStdinCloses();
        }
        switch (args[0]) {
            case "kafka" -> KafkaBroker.runInThisProcess(
                    Path.of(opts.getOrDefault("dir", "data/kafka")),
                    Integer.parseInt(opts.getOrDefault("port", "9092")),
                    Integer.parseInt(opts.getOrDefault("controller-port", "9093")));
            case "postgres" -> PostgresServer.runInThisProcess(
                    Path.of(opts.getOrDefault("dir", "data/postgres")),
                    Integer.parseInt(opts.getOrDefault("port", "15432")),
                    opts.getOrDefault("databases", "").isBlank()
                            ? new String[0] : opts.get("databases").split(","));
            case "createdb" -> {
                // postgresql://user:password@host:port of a server someone else runs (CLINIC_DB_URL)
                java.net.URI uri = java.net.URI.create(opts.get("url").replaceFirst("^jdbc:", ""));
                String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres", ""}
                        : uri.getUserInfo().split(":", 2);
                PostgresServer.ensureDatabases(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                        userInfo[0], userInfo.length > 1 ? userInfo[1] : "",
                        opts.getOrDefault("databases", "").split(","));
                System.out.println("postgres: databases ready at " + uri.getHost() + ":" + uri.getPort());
            }
            case "smtp" -> MailCatcher.runInThisProcess(
                    Integer.parseInt(opts.getOrDefault("port", "2525")),
                    Integer.parseInt(opts.getOrDefault("api-port", "8025")),
                    Integer.parseInt(opts.getOrDefault("keep", String.valueOf(MailCatcher.DEFAULT_KEEP))));
            default -> {
                System.err.println("unknown part: " + args[0]);
                System.exit(2);
            }
        }
    }

    /**
     * Logback logs everything at DEBUG without a configuration file; a broker at DEBUG writes
     * megabytes a minute. Set levels here rather than ship a logback.xml, which would also take
     * over the logging of every service test that has devinfra on its classpath.
     */
    private static void quietLogging() {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
        for (String noisy : new String[] {"kafka.request.logger", "state.change.logger", "org.apache.kafka.controller",
                "org.apache.kafka.image", "org.apache.kafka.metadata", "kafka.log", "org.apache.kafka.storage",
                "org.apache.kafka.raft", "kafka.coordinator", "org.apache.kafka.coordinator", "com.icegreen"}) {
            context.getLogger(noisy).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) continue;
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                opts.put(key, args[++i]);
            } else {
                opts.put(key, "true");
            }
        }
        return opts;
    }
}
