package clinic.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Embedded PostgreSQL (zonky's binaries from Maven Central). The data directory is kept between
 * runs; {@code clinic reset} deletes it.
 */
public final class PostgresServer {
    private PostgresServer() {}

    public static EmbeddedPostgres start(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dir.toAbsolutePath().toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
    }

    /** Creates each database unless it exists; owner is the default superuser {@code postgres}. */
    public static void ensureDatabases(String host, int port, String... names) throws SQLException {
        ensureDatabases(host, port, "postgres", "postgres", names);
    }

    public static void ensureDatabases(String host, int port, String user, String password, String... names)
            throws SQLException {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            for (String name : names) {
                if (name.isBlank()) continue;
                if (!name.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("bad database name: " + name);
                }
                try (var rs = c.createStatement().executeQuery(
                        "select 1 from pg_database where datname = '" + name + "'")) {
                    if (rs.next()) continue;
                }
                c.createStatement().execute("create database " + name);
            }
        }
    }

    static void runInThisProcess(Path dir, int port, String[] databases) throws Exception {
        EmbeddedPostgres pg = start(dir, port);
        ensureDatabases("127.0.0.1", port, databases);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("postgres: stop failed: " + e.getMessage());
            }
        }));
        System.out.println("postgres: ready on 127.0.0.1:" + port + " (data " + dir.toAbsolutePath() + ")");
        Thread.currentThread().join();
    }
}
