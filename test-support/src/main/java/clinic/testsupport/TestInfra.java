package clinic.testsupport;

import clinic.devinfra.InfraProcess;
import clinic.devinfra.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One broker and one PostgreSQL server per test JVM, shared by all test classes of a module. */
public final class TestInfra {
    private static final AtomicInteger DB_COUNTER = new AtomicInteger();

    private static String kafkaBootstrap;
    private static Pg postgres;

    private TestInfra() {}

    /** Where PostgreSQL is: host, port, credentials. */
    public record Pg(String host, int port, String user, String password) {
        public String jdbcUrl(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        public String r2dbcUrl(String db) {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + db;
        }

        public Connection connect(String db) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(db), user, password);
        }
    }

    public static synchronized String kafkaBootstrap() {
        if (kafkaBootstrap != null) return kafkaBootstrap;
        String env = System.getenv("CLINIC_TEST_KAFKA");
        if (env != null && !env.isBlank()) {
            kafkaBootstrap = env;
        } else if (Docker.available()) {
            kafkaBootstrap = Docker.kafka();
        } else {
            try {
                Path dir = Files.createTempDirectory("clinic-test-kafka");
                InfraProcess broker = InfraProcess.kafka(dir, InfraProcess.freePort(), InfraProcess.freePort());
                broker.start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::kill));
                kafkaBootstrap = "127.0.0.1:" + broker.port();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test Kafka broker", e);
            }
        }
        return kafkaBootstrap;
    }

    public static synchronized Pg postgres() {
        if (postgres != null) return postgres;
        String env = System.getenv("CLINIC_TEST_DB_URL");
        if (env != null && !env.isBlank()) {
            // postgresql://user:password@host:port
            URI uri = URI.create(env.replaceFirst("^jdbc:", ""));
            String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres", "postgres"}
                    : uri.getUserInfo().split(":", 2);
            postgres = new Pg(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : "");
        } else if (Docker.available()) {
            postgres = Docker.postgres();
        } else {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is ending anyway
                    }
                }));
                postgres = new Pg("127.0.0.1", pg.getPort(), "postgres", "postgres");
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }

    /** A new, empty database with a unique name starting with {@code prefix}. */
    public static String newDatabase(String prefix) {
        Pg pg = postgres();
        String name = (prefix + "_" + DB_COUNTER.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 8)).replaceAll("[^a-z0-9_]", "_");
        try {
            if (pg.user().equals("postgres") && pg.host().equals("127.0.0.1")) {
                PostgresServer.ensureDatabases(pg.host(), pg.port(), name);
            } else {
                try (Connection c = pg.connect("postgres")) {
                    c.createStatement().execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return name;
    }

    /**
     * Points a Spring Boot test at a fresh database and the shared broker:
     * {@code @DynamicPropertySource static void infra(DynamicPropertyRegistry r) { TestInfra.register(r, "booking"); }}
     *
     * @return the database's name, for assertions in SQL
     */
    public static String register(DynamicPropertyRegistry registry, String dbPrefix) {
        Pg pg = postgres();
        String db = newDatabase(dbPrefix);
        registry.add("spring.r2dbc.url", () -> pg.r2dbcUrl(db));
        registry.add("spring.r2dbc.username", pg::user);
        registry.add("spring.r2dbc.password", pg::password);
        registry.add("spring.flyway.url", () -> pg.jdbcUrl(db));
        registry.add("spring.flyway.user", pg::user);
        registry.add("spring.flyway.password", pg::password);
        registry.add("spring.kafka.bootstrap-servers", TestInfra::kafkaBootstrap);
        // The services under test trust the test JVM's issuer key (TestTokens) and nothing else.
        registry.add("clinic.security.jwks", TestTokens::publicJwks);
        return db;
    }
}
