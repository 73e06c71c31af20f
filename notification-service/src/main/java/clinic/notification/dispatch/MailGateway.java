package clinic.notification.dispatch;

import clinic.notification.config.NotificationProperties;
import jakarta.activation.FileTypeMap;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Turns a claimed notification into a MIME message and hands it to the SMTP server (blocking), over
 * a connection kept open between mails ({@link SmtpConnections}).
 */
@Component
class MailGateway {
    static final String HEADER_ID = "X-Clinic-Notification-Id";
    static final String HEADER_TEMPLATE = "X-Clinic-Template";

    private final SmtpConnections connections;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final Session session = Session.getInstance(new Properties());

    /**
     * Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader in the constructor of every
     * MimeBodyPart and Multipart, scanning the jar's service files each time (jakartaee/mail-api
     * #699, #861; fixed only in 2.2). Under load that was 17 % of this service's CPU: a mail with an
     * .ics makes five of them. Named as a system property, the implementation is instantiated
     * directly. Set only if that class is there, so a mail library without it falls back to the
     * lookup rather than failing every mail; MailBuildingTest notices if it is gone.
     */
    static final String STREAM_PROVIDER = streamProvider("org.eclipse.angus.mail.util.MailStreamProvider");

    /**
     * The file-name → MIME type table. MimeMessageHelper reads it from the mail library's mime.types
     * file for every message not made by a JavaMailSender: a third of this service's cost per mail.
     * Read once; it never changes.
     */
    static final FileTypeMap FILE_TYPES = fileTypes();

    /**
     * With mail.smtp.writetimeout set, Angus Mail makes a ScheduledThreadPoolExecutor (a new
     * thread) for every SMTP connection unless it is given one: the profile of the benchmark
     * showed one thread started per mail sent. One shared daemon thread serves every connection
     * (set on the session by {@link SmtpConnections}).
     */
    static final WriteTimeouts WRITE_TIMEOUTS = writeTimeouts();

    /** The shared scheduler; counts what it is given (cancelled timeouts leave no other trace). */
    static final class WriteTimeouts extends ScheduledThreadPoolExecutor {
        final AtomicLong scheduled = new AtomicLong();

        WriteTimeouts() {
            super(1, r -> {
                Thread t = new Thread(r, "smtp-write-timeouts");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
            scheduled.incrementAndGet();
            return task;
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
            scheduled.incrementAndGet();
            return task;
        }
    }

    private static WriteTimeouts writeTimeouts() {
        var executor = new WriteTimeouts();
        // Every write schedules a timeout and cancels it when done: drop cancelled ones at once
        // rather than keep them queued for their whole delay.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    MailGateway(SmtpConnections connections, NotificationProperties props) throws AddressException {
        this.connections = connections;
        this.from = new InternetAddress(props.mailFrom(), true);
        String address = from.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1);
    }

    /** The configured address under the clinic's name when the mail has one. */
    private InternetAddress sender(String name) {
        if (name == null || name.isBlank()) return from;
        try {
            return new InternetAddress(from.getAddress(), name, StandardCharsets.UTF_8.name());
        } catch (java.io.UnsupportedEncodingException e) {
            return from;
        }
    }

    private static String streamProvider(String implementation) {
        String property = jakarta.mail.util.StreamProvider.class.getName();
        String set = System.getProperty(property);
        if (set != null) return set;
        try {
            Class.forName(implementation, false, MailGateway.class.getClassLoader())
                    .asSubclass(jakarta.mail.util.StreamProvider.class);
        } catch (ClassNotFoundException | ClassCastException e) {
            return null;
        }
        System.setProperty(property, implementation);
        return implementation;
    }

    private static FileTypeMap fileTypes() {
        var types = new ConfigurableMimeFileTypeMap();
        types.afterPropertiesSet();
        return types;
    }

    /** A helper for {@code message} that reuses {@link #FILE_TYPES} instead of reading them again. */
    static MimeMessageHelper helper(MimeMessage message) throws MessagingException {
        return new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED,
                StandardCharsets.UTF_8.name()) {
            @Override
            protected FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
                return FILE_TYPES;
            }
        };
    }

    void send(Claimed n) throws MessagingException {
        // A retried notification keeps its Message-ID, so a receiver that saw the first attempt
        // arrive (the server took it but the reply was lost) can recognise the duplicate.
        String messageId = "<" + n.id() + "@" + messageIdDomain + ">";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        MimeMessageHelper mail = helper(message);
        mail.setFrom(sender(n.senderName()));
        mail.setTo(new InternetAddress(n.recipient(), true));
        mail.setSubject(n.subject());
        if (n.html() != null) {
            mail.setText(n.text(), n.html());
        } else {
            mail.setText(n.text(), false);
        }
        if (n.attachment() != null) {
            mail.addAttachment(n.attachmentName(),
                    new ByteArrayResource(n.attachment().getBytes(StandardCharsets.UTF_8)), n.attachmentType());
        }
        message.setHeader(HEADER_ID, n.id().toString());
        message.setHeader(HEADER_TEMPLATE, n.template());
        if (n.unsubscribeUrl() != null) {
            message.setHeader("List-Unsubscribe", "<" + n.unsubscribeUrl() + ">");
            message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        connections.send(message);
    }
}
