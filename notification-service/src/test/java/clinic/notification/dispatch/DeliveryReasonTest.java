package clinic.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;

/** The reason of a failed attempt is logged and stored: the server's words stay, addresses go. */
class DeliveryReasonTest {

    @Test
    void aRefusedRecipientKeepsTheServersReplyButNotTheAddress() throws Exception {
        var refused = new SMTPAddressFailedException(new InternetAddress("jo.bloggs@example.com"), "RCPT TO", 550,
                "550 5.1.1 <jo.bloggs@example.com>: Recipient address rejected: User unknown");
        var e = new SendFailedException("Invalid Addresses", refused);

        String reason = Dispatcher.reason(e);

        assertThat(reason).contains("SendFailedException: Invalid Addresses")
                .contains("550 5.1.1")
                .contains("Recipient address rejected")
                .doesNotContain("jo.bloggs")
                .doesNotContain("example.com");
    }

    @Test
    void aReasonWithoutAnAddressIsUnchangedAndCut() {
        assertThat(Dispatcher.reason(new IllegalStateException("Not connected"))).isEqualTo("IllegalStateException: Not connected");
        assertThat(Dispatcher.reason(new IllegalStateException("x".repeat(900)))).hasSize(500);
    }
}
