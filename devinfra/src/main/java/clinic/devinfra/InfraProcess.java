package clinic.devinfra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One infrastructure part in a child JVM on this machine's classpath. Tests use it to run a real
 * broker they can stop and start again (fault tests), and it dies with the test JVM.
 */
public final class InfraProcess implements AutoCloseable {
    private final List<String> command;
    private final int readyPort;
    private final Path log;
    private Process process;

    private InfraProcess(List<String> command, int readyPort, Path log) {
        this.command = command;
        this.readyPort = readyPort;
        this.log = log;
    }

    public int port() {
        return readyPort;
    }

    public static InfraProcess kafka(Path dir, int port, int controllerPort) {
        return of("kafka", port, dir.resolve("broker.log"),
                "--dir", dir.toString(), "--port", String.valueOf(port),
                "--controller-port", String.valueOf(controllerPort));
    }

    private static InfraProcess of(String part, int readyPort, Path log, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add(part);
        cmd.addAll(List.of(args));
        cmd.add("--watch-stdin");
        return new InfraProcess(cmd, readyPort, log);
    }

    public synchronized InfraProcess start() throws IOException {
        if (process != null && process.isAlive()) return this;
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitPort(readyPort, Duration.ofSeconds(60));
        return this;
    }

    /** Stops the part abruptly (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the part cleanly (SIGTERM) and waits for it. */
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort(int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("infrastructure process exited early, see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IOException("port " + port + " not open after " + timeout + ", see " + log);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
