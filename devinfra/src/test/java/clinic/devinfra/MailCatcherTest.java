package clinic.devinfra;

import static clinic.devinfra.InfraProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailCatcherTest {

    @Test
    void keepsTheNewestMessagesAndDropsTheMailboxesLeftEmpty() throws Exception {
        int smtp = freePort(), api = freePort();
        try (MailCatcher catcher = new MailCatcher(smtp, api, 3, 3600)) {
            ServerSetup setup = new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            for (int i = 1; i <= 5; i++) {
                GreenMailUtil.sendTextEmail("c" + i + "@example.com", "clinic@example.com", "mail " + i, "body " + i, setup);
                Thread.sleep(5); // distinct received times, so "oldest" is well defined
            }
            // Two to the same address: its mailbox must survive while it still holds a kept message.
            GreenMailUtil.sendTextEmail("c5@example.com", "clinic@example.com", "mail 6", "body 6", setup);

            assertThat(catcher.trim()).isEqualTo(3);

            assertThat(subjects(api, null)).containsExactlyInAnyOrder("mail 4", "mail 5", "mail 6");
            assertThat(subjects(api, "c5@example.com")).containsExactlyInAnyOrder("mail 5", "mail 6");
            assertThat(catcher.greenMail().getUserManager().hasUser("c1@example.com")).isFalse();
            assertThat(catcher.greenMail().getUserManager().hasUser("c4@example.com")).isTrue();
            assertThat(catcher.trim()).isZero();
        }
    }

    @Test
    void clearingRemovesTheMessagesAndTheirMailboxes() throws Exception {
        int smtp = freePort(), api = freePort();
        try (MailCatcher catcher = new MailCatcher(smtp, api, 100, 3600)) {
            ServerSetup setup = new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            GreenMailUtil.sendTextEmail("a@example.com", "clinic@example.com", "one", "body", setup);
            GreenMailUtil.sendTextEmail("b@example.com", "clinic@example.com", "two", "body", setup);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api + "/messages")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(subjects(api, null)).isEmpty();
            assertThat(catcher.greenMail().getUserManager().listUser()).isEmpty();
            // and it still takes mail afterwards
            GreenMailUtil.sendTextEmail("a@example.com", "clinic@example.com", "three", "body", setup);
            assertThat(subjects(api, "a@example.com")).containsExactly("three");
        }
    }

    private static List<String> subjects(int api, String to) throws Exception {
        String uri = "http://127.0.0.1:" + api + "/messages?summary=true" + (to == null ? "" : "&to=" + to);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode m : new ObjectMapper().readTree(r.body())) out.add(m.get("subject").asText());
        return out;
    }

    @Test
    void aDroppedConnectionIsOneLineAndAnythingElseKeepsItsTrace() {
        Thread t = new Thread(() -> {}, "smtp:127.0.0.1:2525<-/127.0.0.1:43262");
        String dropped = MailCatcher.describeUncaught(t, new IllegalStateException("Unexpected error handling connection",
                new java.net.SocketException("Connection reset")));
        assertThat(dropped).isEqualTo("smtp: a client closed its connection without QUIT (smtp:127.0.0.1:2525<-/127.0.0.1:43262: Connection reset)");
        String other = MailCatcher.describeUncaught(t, new IllegalStateException("store broken"));
        assertThat(other).contains("failed: java.lang.IllegalStateException: store broken").contains("\tat ");
    }
}
