package clinic.notification.dispatch;

import clinic.notification.config.NotificationProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Turns a claimed notification into a MIME message and hands it to the SMTP server (blocking). */
@Component
class MailGateway {
    static final String HEADER_ID = "X-Clinic-Notification-Id";
    static final String HEADER_TEMPLATE = "X-Clinic-Template";

    private final JavaMailSender sender;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final Session session = Session.getInstance(new Properties());

    MailGateway(JavaMailSender sender, NotificationProperties props) throws AddressException {
        this.sender = sender;
        this.from = new InternetAddress(props.mailFrom(), true);
        String address = from.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1);
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
        mail.setFrom(from);
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
        sender.send(message);
    }
}
