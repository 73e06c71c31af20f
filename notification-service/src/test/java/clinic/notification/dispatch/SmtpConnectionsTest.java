package clinic.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import clinic.notification.SmtpProxy;
import clinic.notification.config.DispatchProperties;
import clinic.notification.config.NotificationProperties;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Kept SMTP connections against a real SMTP server (GreenMail) behind a proxy that counts the
 * connections and can drop them, answer 421, refuse a recipient or cut a message off. Every mail
 * the server got is counted by Message-ID: none lost, none twice.
 */
class SmtpConnectionsTest {
    private static final NotificationProperties MAIL = new NotificationProperties("http://localhost:8080",
            "Clinic <hello@clinic.test>", ZoneId.of("Europe/London"), Duration.ofHours(24), Duration.ofSeconds(15),
            Map.of(), "clinic.test", "callbacks@clinic.test", "Peak Motion Clinic");

    private GreenMail server;
    private SmtpProxy proxy;
    private SmtpConnections connections;
    private MailGateway gateway;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private void start(int concurrency, int maxMessages, Duration idleTimeout) throws Exception {
        server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        proxy = SmtpProxy.to(server.getSmtp().getPort());
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(proxy.port());
        sender.setUsername("");
        sender.setPassword("");
        // As application.yml: with a write timeout, so the shared write-timeout scheduler is in play.
        sender.getJavaMailProperties().put("mail.smtp.connectiontimeout", "5000");
        sender.getJavaMailProperties().put("mail.smtp.timeout", "10000");
        sender.getJavaMailProperties().put("mail.smtp.writetimeout", "10000");
        connections = new SmtpConnections(sender, new DispatchProperties(true, Duration.ofMillis(500), 20,
                concurrency, Duration.ofMinutes(2), maxMessages, idleTimeout), meters);
        connections.start();
        gateway = new MailGateway(connections, MAIL);
    }

    @AfterEach
    void stop() {
        if (connections != null) connections.stop();
        if (proxy != null) proxy.close();
        if (server != null) server.stop();
    }

    @Test
    void manyMailsFromParallelSendersShareAFewConnections() throws Exception {
        start(4, 100, Duration.ofSeconds(10));
        List<Claimed> mails = new ArrayList<>();
        for (int i = 0; i < 100; i++) mails.add(claimed("many-" + i));

        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (Claimed n : mails) {
                tasks.add(() -> {
                    gateway.send(n);
                    return null;
                });
            }
            for (Future<Void> f : senders.invokeAll(tasks)) f.get();
        } finally {
            senders.shutdownNow();
        }

        // At most one connection per sender; the server saw each mail once, with its notification's Message-ID.
        assertThat(proxy.connections()).isBetween(1, 4);
        assertThat(opened()).isEqualTo(proxy.connections());
        assertThat(accepted()).isEqualTo(100);
        assertDeliveredOnce(mails);
    }

    @Test
    void aConnectionCarriesAtMostItsMaximumThenSaysQuit() throws Exception {
        start(1, 10, Duration.ofSeconds(10));
        List<Claimed> mails = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Claimed n = claimed("limit-" + i);
            mails.add(n);
            gateway.send(n);
        }

        assertThat(proxy.connections()).isEqualTo(3);
        assertThat(closed("max_messages")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.quits() == 2);
        assertDeliveredOnce(mails);
    }

    @Test
    void anIdleConnectionIsClosedWithQuitAndTheNextMailOpensANewOne() throws Exception {
        start(2, 100, Duration.ofMillis(200));
        Claimed first = claimed("idle-1");
        gateway.send(first);

        // Closed by its idle timeout with no mail coming to notice: the server saw a QUIT.
        await().atMost(Duration.ofSeconds(5)).until(() -> closed("idle") == 1 && proxy.quits() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.open() == 0);
        assertThat(meters.get("clinic.mail.connections.open").gauge().value()).isZero();

        Claimed second = claimed("idle-2");
        gateway.send(second);
        assertThat(proxy.connections()).isEqualTo(2);
        assertDeliveredOnce(List.of(first, second));
    }

    @Test
    void aConnectionTheServerDroppedIsReplacedAndTheMailDeliveredOnce() throws Exception {
        start(1, 100, Duration.ofSeconds(10));
        Claimed first = claimed("drop-1");
        gateway.send(first);
        proxy.dropAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.open() == 0);

        Claimed second = claimed("drop-2");
        gateway.send(second); // no exception: sent again at once on a new connection

        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(closed("dropped")).isEqualTo(1);
        assertThat(accepted()).isEqualTo(2);
        assertDeliveredOnce(List.of(first, second));
    }

    @Test
    void a421OnAKeptConnectionIsAnsweredByANewConnection() throws Exception {
        start(1, 100, Duration.ofSeconds(10));
        Claimed first = claimed("busy-1");
        gateway.send(first);
        proxy.answer421OnNextReusedMailFrom();

        Claimed second = claimed("busy-2");
        gateway.send(second);

        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(closed("dropped")).isEqualTo(1);
        assertDeliveredOnce(List.of(first, second));
    }

    @Test
    void aRefusedRecipientIsReportedAndItsConnectionIsNotUsedAgain() throws Exception {
        start(1, 100, Duration.ofSeconds(10));
        Claimed first = claimed("before-refusal");
        gateway.send(first);

        Claimed refused = claimed(SmtpProxy.REFUSED);
        assertThatThrownBy(() -> gateway.send(refused)).isInstanceOf(MessagingException.class);
        // Reported, not tried again on another connection: the retry schedule decides.
        assertThat(proxy.refusals()).isEqualTo(1);
        assertThat(closed("error")).isEqualTo(1);
        assertThat(closed("dropped")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.quits() == 1 && proxy.open() == 0);

        Claimed after = claimed("after-refusal");
        gateway.send(after);
        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(accepted()).isEqualTo(2);
        assertDeliveredOnce(List.of(first, after));
        assertThat(received(refused)).isEmpty();
    }

    @Test
    void aConnectionLostAtTheEndOfTheDataIsReportedNotResentAtOnce() throws Exception {
        start(1, 100, Duration.ofSeconds(10));
        Claimed first = claimed("cut-1");
        gateway.send(first);
        proxy.cutNextAtEndOfData();

        Claimed cut = claimed("cut-2");
        // Past MAIL FROM the server may already hold the message: the retry schedule takes it from here.
        assertThatThrownBy(() -> gateway.send(cut)).isInstanceOf(MessagingException.class);
        assertThat(proxy.connections()).isEqualTo(1);
        assertThat(closed("error")).isEqualTo(1);
        assertThat(accepted()).isEqualTo(1);
        assertThat(received(cut)).isEmpty();

        // The next attempt goes on a new connection, with the same Message-ID.
        gateway.send(cut);
        assertThat(proxy.connections()).isEqualTo(2);
        assertDeliveredOnce(List.of(first, cut));
    }

    @Test
    void whileTheServerIsDownAMailFailsAndIsDeliveredOnceItIsBack() throws Exception {
        start(1, 100, Duration.ofSeconds(10));
        Claimed first = claimed("down-1");
        gateway.send(first);
        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.open() == 0);

        Claimed second = claimed("down-2");
        assertThatThrownBy(() -> gateway.send(second)).isInstanceOf(MessagingException.class);
        assertThat(closed("dropped")).isEqualTo(1);
        assertThat(accepted()).isEqualTo(1);
        assertThat(meters.get("clinic.mail.connections.open").gauge().value()).isZero();

        server.start();
        gateway.send(second);
        assertThat(accepted()).isEqualTo(2);
        // Whether the restarted server still lists the first mail is GreenMail's affair; the second arrived once.
        assertThat(received(second)).hasSize(1);
        assertThat(received(second).get(0).getMessageID()).isEqualTo("<" + second.id() + "@clinic.test>");
    }

    @Test
    void stoppingSaysQuitOnEveryKeptConnection() throws Exception {
        start(4, 100, Duration.ofSeconds(10));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Claimed> mails = new ArrayList<>();
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Claimed n = claimed("stop-" + i);
                mails.add(n);
                tasks.add(() -> {
                    gateway.send(n);
                    return null;
                });
            }
            for (Future<Void> f : senders.invokeAll(tasks)) f.get();
        } finally {
            senders.shutdownNow();
        }
        assertThat(proxy.open()).isPositive();

        connections.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.quits() == proxy.connections() && proxy.open() == 0);
        assertThat(closed("shutdown")).isEqualTo(proxy.connections());
        assertDeliveredOnce(mails);
    }

    // ---- helpers ----

    private static Claimed claimed(String who) {
        String email = who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return new Claimed(UUID.randomUUID(), UUID.randomUUID().toString(), "booking.confirmed.v2",
                "booking-confirmed", "EMAIL", email, false, "Your booking", "See you soon.", "<p>See you soon.</p>",
                null, null, null, null, 1, Instant.now(), null, null, null);
    }

    private void assertDeliveredOnce(List<Claimed> mails) {
        assertThat(server.getReceivedMessages()).hasSize(mails.size());
        for (Claimed n : mails) {
            List<MimeMessage> got = received(n);
            assertThat(got).as(n.recipient()).hasSize(1);
            try {
                assertThat(got.get(0).getMessageID()).isEqualTo("<" + n.id() + "@clinic.test>");
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private List<MimeMessage> received(Claimed n) {
        return Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(n.recipient());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private double opened() {
        return meters.get("clinic.mail.connections.opened").counter().count();
    }

    private double accepted() {
        return meters.get("clinic.mail.messages.accepted").counter().count();
    }

    private double closed(String reason) {
        return meters.get("clinic.mail.connections.closed").tag("reason", reason).counter().count();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
