package clinic.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Building a mail reuses what the mail libraries would otherwise look up again for every message
 * (MailGateway: the StreamProvider of Jakarta Mail 2.1, the file-name → MIME type table). If an
 * upgrade renames the StreamProvider implementation, this says so instead of the per-message
 * lookup silently coming back.
 */
class MailBuildingTest {

    @Test
    void jakartaMailIsToldWhichStreamProviderToUse() {
        assertThat(MailGateway.STREAM_PROVIDER).isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
        assertThat(System.getProperty(StreamProvider.class.getName())).isEqualTo(MailGateway.STREAM_PROVIDER);
        assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(MailGateway.STREAM_PROVIDER);
    }

    @Test
    void everyMessageSharesOneFileTypeTable() throws Exception {
        Session session = Session.getInstance(new Properties());

        var first = MailGateway.helper(new MimeMessage(session));
        var second = MailGateway.helper(new MimeMessage(session));

        assertThat(first.getFileTypeMap()).isSameAs(MailGateway.FILE_TYPES).isSameAs(second.getFileTypeMap());
        assertThat(first.getFileTypeMap().getContentType("visit.pdf")).isEqualTo("application/pdf");
    }
}
