package clinic.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers, used only when a Docker engine actually answers. */
final class Docker {
    private static Boolean available;

    private Docker() {}

    static synchronized boolean available() {
        if (available != null) return available;
        if ("false".equalsIgnoreCase(System.getenv("CLINIC_TEST_DOCKER"))) return available = false;
        // Skip the probe entirely where no engine can be: it costs seconds on every test JVM.
        boolean socket = Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null;
        if (!socket) return available = false;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            available = false;
        }
        return available;
    }

    static String kafka() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:3.9.1"));
        kafka.start();
        return kafka.getBootstrapServers();
    }

    static TestInfra.Pg postgres() {
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>(DockerImageName.parse("postgres:15"))
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        pg.start();
        return new TestInfra.Pg(pg.getHost(), pg.getMappedPort(5432), pg.getUsername(), pg.getPassword());
    }
}
