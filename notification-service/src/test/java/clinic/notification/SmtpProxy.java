package clinic.notification;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the test's real SMTP server (GreenMail). It sees what GreenMail does not
 * report, how many connections clients opened and how many said QUIT, and it misbehaves the way
 * real servers and networks do, on request: drop every open connection (a server closing idle
 * clients), answer the next MAIL FROM on an already used connection with 421 and hang up, refuse
 * recipients whose address contains {@value #REFUSED} with 550, or cut the connection at the end
 * of a message's data before the server gets it.
 *
 * <p>Client commands are read line by line (SMTP without pipelining: the client waits for each
 * answer), the server's answers are copied as they come.
 */
public final class SmtpProxy implements AutoCloseable {
    /** A recipient address containing this is refused with 550 at RCPT TO. */
    public static final String REFUSED = "refused";

    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger quits = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Set<Link> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean answer421 = new AtomicBoolean();
    private final AtomicBoolean cutAtEndOfData = new AtomicBoolean();

    private SmtpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "smtp-proxy-accept-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy on a free local port forwarding to 127.0.0.1:{@code upstreamPort}. */
    public static SmtpProxy to(int upstreamPort) {
        try {
            return new SmtpProxy(upstreamPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections clients have opened so far. */
    public int connections() {
        return connections.get();
    }

    /** QUIT commands clients have sent so far. */
    public int quits() {
        return quits.get();
    }

    /** RCPT TO commands answered 550 so far. */
    public int refusals() {
        return refusals.get();
    }

    /** Connections open now. */
    public int open() {
        return live.size();
    }

    /** Closes every open connection on both sides, as a server does with clients idle too long. */
    public void dropAll() {
        for (Link l : live) l.close();
    }

    /** The next MAIL FROM on a connection that already carried a message gets 421 and the connection closes. */
    public void answer421OnNextReusedMailFrom() {
        answer421.set(true);
    }

    /** The next message's final "." never reaches the server: the connection is cut instead. */
    public void cutNextAtEndOfData() {
        cutAtEndOfData.set(true);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropAll();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Socket upstream;
            try {
                upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            } catch (IOException e) {
                // The server is down: the client sees the connection end before any greeting.
                closeQuietly(client);
                continue;
            }
            Link link = new Link(client, upstream);
            live.add(link);
            start("smtp-proxy-down", link::copyAnswers);
            start("smtp-proxy-up", link::relayCommands);
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final Object clientWrite = new Object();
        private int mailFroms;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            live.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        void copyAnswers() {
            byte[] buf = new byte[8192];
            try (InputStream in = upstream.getInputStream()) {
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (clientWrite) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // either side went away
            } finally {
                close();
            }
        }

        void relayCommands() {
            boolean data = false;
            try (InputStream in = new BufferedInputStream(client.getInputStream())) {
                OutputStream out = upstream.getOutputStream();
                byte[] line;
                while ((line = readLine(in)) != null) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).trim();
                    String command = text.toUpperCase(Locale.ROOT);
                    if (data) {
                        if (text.equals(".")) {
                            data = false;
                            if (cutAtEndOfData.compareAndSet(true, false)) return;
                        }
                    } else if (command.startsWith("MAIL FROM:")) {
                        mailFroms++;
                        if (mailFroms > 1 && answer421.compareAndSet(true, false)) {
                            answer("421 4.4.2 proxy: closing idle connection");
                            return;
                        }
                    } else if (command.startsWith("RCPT TO:") && text.toLowerCase(Locale.ROOT).contains(REFUSED)) {
                        refusals.incrementAndGet();
                        answer("550 5.1.1 proxy: mailbox unavailable");
                        continue;
                    } else if (command.equals("DATA")) {
                        data = true;
                    } else if (command.equals("QUIT")) {
                        quits.incrementAndGet();
                    }
                    out.write(line);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side went away
            } finally {
                close();
            }
        }

        private void answer(String reply) throws IOException {
            synchronized (clientWrite) {
                OutputStream out = client.getOutputStream();
                out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }

    /** One line including its CRLF, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') return line.toByteArray();
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
