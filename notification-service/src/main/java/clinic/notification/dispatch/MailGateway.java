package clinic.notification.dispatch;

import clinic.notification.config.NotificationProperties;
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
        MimeMessageHelper mail = new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED,
                StandardCharsets.UTF_8.name());
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
