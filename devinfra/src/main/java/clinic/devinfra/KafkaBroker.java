package clinic.devinfra;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * A single-node KRaft broker (broker and controller in one process) run from Kafka's own jars.
 * The storage directory is formatted once; later starts reuse it, so events survive restarts.
 */
public final class KafkaBroker {
    private KafkaBroker() {}

    public static void runInThisProcess(Path dir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dir);
        Path logs = dir.resolve("logs").toAbsolutePath();
        Path config = dir.resolve("server.properties");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logs.toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        // Local runs keep events forever so analytics can rebuild from the beginning (docs/events.md).
        p.setProperty("log.retention.hours", "-1");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        // Two cores: keep the broker's thread pools small.
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("log.cleaner.threads", "1");
        // The cleaner (it compacts __consumer_offsets) allocates its whole dedupe map on the heap at
        // start: 128 MiB by default, nearly all of the broker's live heap and a third of its memory.
        // 16 MiB holds about 600,000 distinct keys, far more than a clinic's consumer groups commit.
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        try (var out = Files.newOutputStream(config)) {
            p.store(out, "written by clinic devinfra");
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                    new PrintStream(System.out));
        }
        System.out.println("kafka: starting on 127.0.0.1:" + port + " (data " + logs + ")");
        kafka.Kafka.main(new String[] {config.toString()});
    }

    /** A fresh random cluster id, for callers that format storage themselves. */
    static String newClusterId() {
        return UUID.randomUUID().toString();
    }
}
