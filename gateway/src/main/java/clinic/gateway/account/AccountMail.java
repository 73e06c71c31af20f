package clinic.gateway.account;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Invitation and reset mails, sent by the gateway itself over SMTP. A link is a credential: sent
 * through notification-service it would sit in a Kafka topic and in that service's mail log; here
 * it exists only in the mail and, hashed, in the issuer's database. No address is logged.
 */
@Component
class AccountMail {
    private final JavaMailSender sender;
    private final AccountProperties props;

    AccountMail(JavaMailSender sender, AccountProperties props) {
        this.sender = sender;
        this.props = props;
    }

    Mono<Void> invitation(String to, String name, String token) {
        String link = link(token);
        return send(to, "You are invited to the Clinic staff area",
                "Hello " + name + ",\n\nyou have been given an account for the Clinic staff area. Choose your password here "
                        + "(the link works once, for " + props.inviteTtl().toHours() + " hours):\n\n" + link
                        + "\n\nIf you did not expect this, ignore this mail.\n");
    }

    Mono<Void> reset(String to, String name, String token) {
        String link = link(token);
        return send(to, "Reset your Clinic password",
                "Hello " + name + ",\n\nsomeone (we hope you) asked to reset your password. Choose a new one here "
                        + "(the link works once, for " + props.resetTtl().toMinutes() + " minutes):\n\n" + link
                        + "\n\nIf it was not you, ignore this mail: your password stays as it is.\n");
    }

    private String link(String token) {
        return props.publicBaseUrl().replaceAll("/+$", "") + "/set-password.html?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private Mono<Void> send(String to, String subject, String text) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                MimeMessage m = sender.createMimeMessage();
                MimeMessageHelper h = new MimeMessageHelper(m, false, "UTF-8");
                h.setFrom(new InternetAddress(props.mailFrom()));
                h.setTo(to);
                h.setSubject(subject);
                h.setText(text);
                sender.send(m);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException("cannot send the account mail", e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
