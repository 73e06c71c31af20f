package clinic.notification.dispatch;

import clinic.notification.config.DispatchProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * SMTP connections kept open between mails (issue 22). {@code JavaMailSender.send} connects, says
 * EHLO (and STARTTLS and AUTH when configured), sends one mail and says QUIT, for every mail: a
 * TCP connection and several round trips on both sides before each mail, in the slowest step of
 * booking → confirmation at 100 bookings/s (docs/benchmarks.md).
 *
 * <p>A mail borrows an idle connection (or opens one), sends, and gives it back. The dispatcher's
 * sends run on Reactor's shared elastic threads, which come and go, so connections are not tied to
 * threads: there is at most one in use per send in flight ({@code concurrency}) and at most that
 * many kept idle. The most recently used is taken first, so when traffic falls the extra ones go
 * unused and are closed by the idle timeout. A connection is closed (QUIT) after
 * {@code connectionMaxMessages} mails, after {@code connectionIdleTimeout} unused (servers drop
 * idle clients, some after a few seconds), after any failure on it (its state is then unknown),
 * and at shutdown.
 *
 * <p>A mail counts as sent only when {@code sendMessage} returned, that is when the server
 * answered 250 to the end of its data. If a kept connection fails before the server accepted
 * {@code MAIL FROM} in a way that says the connection is gone (an I/O error, end of stream, 421),
 * the server dropped it while idle and holds nothing of this mail: it is sent once more on a new
 * connection. Every other failure is thrown to the dispatcher, which schedules the next attempt
 * as before.
 *
 * <p>Settings are the JavaMailSenderImpl's (host, port, credentials, session properties: timeouts,
 * STARTTLS, the shared write-timeout scheduler), so spring.mail in application.yml stays the one
 * place for them.
 */
@Component
class SmtpConnections implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnections.class);

    /** Why a connection was closed: the {@code reason} tag of clinic.mail.connections.closed. */
    enum Close {
        /** It had carried connectionMaxMessages mails. */
        MAX_MESSAGES,
        /** Unused for connectionIdleTimeout. */
        IDLE,
        /** Found dropped by the server when next used; the mail went again on a new connection. */
        DROPPED,
        /** A send on it failed (refused, timed out, lost mid-message): never reused after that. */
        ERROR,
        /** More came back at once than sends run in parallel. */
        SURPLUS,
        /** The service is stopping. */
        SHUTDOWN;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final class Connection {
        final TrackedTransport transport;
        int messages;
        long idleSince;

        Connection(TrackedTransport transport) {
            this.transport = transport;
        }
    }

    private final JavaMailSender sender;
    private final JavaMailSenderImpl impl;
    private final int maxMessages;
    private final long idleNanos;
    private final int maxIdle;

    private final Object lock = new Object();
    /** Idle connections, the most recently used first. Guarded by lock. */
    private final Deque<Connection> idle = new ArrayDeque<>();
    /** Guarded by lock: while false a connection is closed as soon as its mail is sent. */
    private boolean running;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private ScheduledThreadPoolExecutor sweeper;

    private final Counter opened;
    private final Counter accepted;
    private final Map<Close, Counter> closed = new EnumMap<>(Close.class);

    SmtpConnections(JavaMailSender sender, DispatchProperties props, MeterRegistry meters) {
        this.sender = sender;
        this.impl = sender instanceof JavaMailSenderImpl i ? i : null;
        if (impl != null) {
            // Before the session is first made: it reads its properties then (MailGateway.WRITE_TIMEOUTS).
            impl.getJavaMailProperties().put("mail.smtp.executor.writetimeout", MailGateway.WRITE_TIMEOUTS);
        }
        this.maxMessages = Math.max(1, props.connectionMaxMessages());
        this.idleNanos = props.connectionIdleTimeout().toNanos();
        this.maxIdle = Math.max(1, props.concurrency());
        opened = Counter.builder("clinic.mail.connections.opened")
                .description("SMTP connections opened (connect, EHLO, STARTTLS/AUTH when configured)")
                .register(meters);
        accepted = Counter.builder("clinic.mail.messages.accepted")
                .description("Mails the SMTP server accepted (250 after the data)").register(meters);
        for (Close reason : Close.values()) {
            closed.put(reason, Counter.builder("clinic.mail.connections.closed").tag("reason", reason.tag())
                    .description("SMTP connections closed, by reason").register(meters));
        }
        Gauge.builder("clinic.mail.connections.open", open, Set::size)
                .description("SMTP connections open now, in use or idle").register(meters);
    }

    /**
     * Sends the message; returns only once the server accepted it. Throws what the server or the
     * connection threw when it did not (then nothing of it was accepted, or it is unknown whether
     * the end of the data arrived: the dispatcher's next attempt keeps the Message-ID).
     */
    void send(MimeMessage message) throws MessagingException {
        if (impl == null) {
            sender.send(message);
            return;
        }
        // As JavaMailSender.send does; saveChanges also sets the Message-ID (MailGateway's override).
        if (message.getSentDate() == null) message.setSentDate(new Date());
        message.saveChanges();
        Address[] recipients = message.getAllRecipients();
        if (recipients == null) recipients = new Address[0];

        Connection kept = borrow();
        if (kept != null) {
            try {
                deliver(kept, message, recipients);
                return;
            } catch (MessagingException | RuntimeException e) {
                if (!droppedBeforeMail(kept, e)) {
                    close(kept, Close.ERROR);
                    throw e;
                }
                close(kept, Close.DROPPED);
                // Nothing personal: the exception's text could quote the server's reply to the address.
                log.info("SMTP connection dropped by the server after {} mail(s) ({}); sending on a new one",
                        kept.messages, e.getClass().getSimpleName());
            }
        }
        Connection fresh = connect();
        try {
            deliver(fresh, message, recipients);
        } catch (MessagingException | RuntimeException e) {
            close(fresh, Close.ERROR);
            throw e;
        }
    }

    private void deliver(Connection c, MimeMessage message, Address[] recipients) throws MessagingException {
        c.transport.sendMessage(message, recipients);
        // Accepted: nothing after this line may throw, or the mail would be reported failed and sent again.
        c.messages++;
        accepted.increment();
        release(c);
    }

    /**
     * Whether a kept connection failed because the server had dropped it: before the server
     * accepted MAIL FROM (so it holds nothing of this mail), with an I/O error, end of stream or
     * 421 ("closing connection"). A 4xx or 5xx answer from a live server is not a drop.
     */
    static boolean droppedBeforeMail(TrackedTransport transport, Exception e) {
        if (transport.mailFromAccepted()) return false;
        if (e instanceof IllegalStateException) return true; // "Not connected": it had closed itself
        if (e instanceof SMTPSendFailedException f && (f.getReturnCode() == 421 || f.getReturnCode() == -1)) {
            return true;
        }
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof IOException) return true;
        }
        return false;
    }

    private static boolean droppedBeforeMail(Connection c, Exception e) {
        return droppedBeforeMail(c.transport, e);
    }

    private Connection connect() throws MessagingException {
        Session session = impl.getSession();
        String protocol = impl.getProtocol();
        if (protocol == null) protocol = session.getProperty("mail.transport.protocol");
        if (protocol == null) protocol = JavaMailSenderImpl.DEFAULT_PROTOCOL;
        // Blank credentials mean none, as JavaMailSenderImpl reads them (SMTP_USERNAME defaults to "").
        String username = impl.getUsername();
        String password = impl.getPassword();
        if ("".equals(username)) {
            username = null;
            if ("".equals(password)) password = null;
        }
        TrackedTransport transport = new TrackedTransport(session, protocol);
        transport.connect(impl.getHost(), impl.getPort(), username, password);
        Connection c = new Connection(transport);
        open.add(c);
        opened.increment();
        return c;
    }

    /** The most recently used idle connection that has not idled too long, or null. */
    private Connection borrow() {
        List<Connection> stale = null;
        Connection found = null;
        synchronized (lock) {
            long now = System.nanoTime();
            Connection c;
            while ((c = idle.pollFirst()) != null) {
                if (now - c.idleSince < idleNanos) {
                    found = c;
                    break;
                }
                if (stale == null) stale = new ArrayList<>();
                stale.add(c);
            }
        }
        if (stale != null) stale.forEach(c -> close(c, Close.IDLE));
        return found;
    }

    private void release(Connection c) {
        Close reason = null;
        synchronized (lock) {
            if (!running) {
                reason = Close.SHUTDOWN;
            } else if (c.messages >= maxMessages) {
                reason = Close.MAX_MESSAGES;
            } else if (idle.size() >= maxIdle) {
                reason = Close.SURPLUS;
            } else {
                c.idleSince = System.nanoTime();
                idle.addFirst(c);
            }
        }
        if (reason != null) close(c, reason);
    }

    /** Closes the connections unused for the idle timeout (run by the sweeper, and by tests). */
    void closeIdle() {
        List<Connection> stale = new ArrayList<>();
        synchronized (lock) {
            long now = System.nanoTime();
            // The oldest are at the end.
            Iterator<Connection> it = idle.descendingIterator();
            while (it.hasNext()) {
                Connection c = it.next();
                if (now - c.idleSince < idleNanos) break;
                it.remove();
                stale.add(c);
            }
        }
        stale.forEach(c -> close(c, Close.IDLE));
    }

    /** QUIT, so the server sees a clean end; a connection already gone just goes. Never throws. */
    private void close(Connection c, Close reason) {
        open.remove(c);
        closed.get(reason).increment();
        try {
            c.transport.close();
        } catch (MessagingException | RuntimeException e) {
            log.debug("SMTP connection closed with an error ({}): {}", reason.tag(), e.toString());
        }
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (running) return;
            running = true;
            // Idle connections are closed by their timeout even when no mail comes to notice them.
            // A thread of its own: QUIT waits for the server's answer (up to the SMTP read timeout).
            sweeper = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "smtp-idle-close");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(10, Math.min(1000, Duration.ofNanos(idleNanos).toMillis() / 2));
            sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            closeIdle();
        } catch (RuntimeException e) {
            log.warn("closing idle SMTP connections failed: {}", e.toString());
        }
    }

    /** Closes the idle connections now; those in use close when their mail is done. */
    @Override
    public void stop() {
        List<Connection> toClose;
        ScheduledThreadPoolExecutor s;
        synchronized (lock) {
            running = false;
            toClose = new ArrayList<>(idle);
            idle.clear();
            s = sweeper;
            sweeper = null;
        }
        if (s != null) s.shutdownNow();
        toClose.forEach(c -> close(c, Close.SHUTDOWN));
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /** Started before and stopped after the Dispatcher (default phase), whose sends use these. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
