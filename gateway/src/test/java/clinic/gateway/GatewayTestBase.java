package clinic.gateway;

import clinic.gateway.issuer.IssuerProperties;
import clinic.gateway.issuer.SigningKeys;
import clinic.gateway.issuer.TokenIssuer;
import clinic.kit.security.SecurityProperties;
import clinic.testsupport.TestInfra;
import clinic.testsupport.TestTokens;
import clinic.testsupport.OtlpReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import clinic.gateway.ratelimit.Ticker;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * One gateway for all test classes (one cached Spring context), routed to in-test stand-ins of
 * the five services. The notification stand-in can be stopped; analytics has a second,
 * dead instance next to the live one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(GatewayTestBase.ManualTime.class)
abstract class GatewayTestBase {
    /**
     * The rate limiters' clock (wall time, as the buckets in the database are shared by instances): it
     * stands still unless a test moves it, so no test depends on machine speed.
     */
    static final AtomicLong NOW_NANOS = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    @TestConfiguration(proxyBeanMethods = false)
    static class ManualTime {
        @Bean
        Ticker manualTicker() {
            return NOW_NANOS::get;
        }

        /** The web sessions' clock: real time plus {@link #SESSION_SHIFT}, so a test can pass an idle timeout at once. */
        @Bean
        clinic.gateway.session.SessionTime shiftedSessionTime() {
            return () -> Instant.now().plus(SESSION_SHIFT.get());
        }
    }

    /** How far ahead of real time the web sessions think it is (SessionTest moves it, and puts it back). */
    static final java.util.concurrent.atomic.AtomicReference<Duration> SESSION_SHIFT =
            new java.util.concurrent.atomic.AtomicReference<>(Duration.ZERO);

    /** The HS256 key every service once shared (before the issuer): its tokens must be refused now. */
    static final String OLD_SHARED_SECRET = "local-development-signing-key-do-not-use-in-production";
    static final String ISSUER = "clinic-gateway";
    static final String PASSWORD = "test-password";

    static final Downstream BOOKING = new Downstream("booking");
    static final Downstream OFFER = new Downstream("offer");
    static final Downstream CALLBACK = new Downstream("callback");
    static final Downstream NOTIFICATION = new Downstream("notification");
    static final Downstream ANALYTICS = new Downstream("analytics");
    static final int DEAD_PORT = freePort();

    /** The SMTP server the gateway's invitation and reset mails go to. */
    static final clinic.devinfra.MailCatcher MAIL = startMail();

    /** Where the gateway exports its spans: tracing is on in these tests, as in a traced deployment. */
    static final OtlpReceiver TRACES = new OtlpReceiver();

    /** The gateway's own issuer, so tests get real tokens (set before each test). */
    static TokenIssuer issuer;
    static SigningKeys signingKeys;
    static IssuerProperties issuerProps;
    static SecurityProperties securityProps;

    @Autowired
    void issuer(TokenIssuer t, SigningKeys k, IssuerProperties p, SecurityProperties s) {
        issuer = t;
        signingKeys = k;
        issuerProps = p;
        securityProps = s;
    }

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry r) {
        TestInfra.register(r, "gateway");
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", () -> MAIL.greenMail().getSmtp().getPort());
        r.add("BOOKING_URL", BOOKING::url);
        r.add("OFFER_URL", OFFER::url);
        r.add("CALLBACK_URL", CALLBACK::url);
        r.add("NOTIFICATION_URL", NOTIFICATION::url);
        r.add("ANALYTICS_URL", () -> "http://127.0.0.1:" + DEAD_PORT + "," + ANALYTICS.url());
        r.add("CLINIC_DOWNSTREAM_TIMEOUT", () -> "2s");
        r.add("CLINIC_AUDIT_TIMEOUT", () -> "3s");
        r.add("clinic.tracing.otlp-endpoint", TRACES::endpoint);
    }

    @Autowired
    WebTestClient webTestClient;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    /** 429s given so far under one limit (public_writes, login, login_lockout). */
    double rateLimited(String limit) {
        return meters.get("clinic.gateway.rate.limited").tag("limit", limit).counter().count();
    }

    /** The plain client; generous timeout, because this machine's cores are shared with other builds. */
    WebTestClient raw;

    @BeforeEach
    void patientClient() {
        raw = webTestClient.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Value("${local.server.port}")
    int port;

    /** A client that looks like a new visitor on every request, so rate limits stay out of the way. */
    WebTestClient client() {
        return raw.mutate()
                .filter((request, next) -> next.exchange(ClientRequest.from(request)
                        .header("X-Forwarded-For", randomAddress()).build()))
                .build();
    }

    static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    /** A token from the gateway's own issuer (as sign-in gives). */
    static String token(String... roles) {
        return issuer.user("tester@clinic.test", Set.of(roles)).block(Duration.ofSeconds(30));
    }

    static String expiredToken(String... roles) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        return new TokenIssuer(signingKeys, issuerProps, securityProps, past).user("tester@clinic.test", Set.of(roles))
                .block(Duration.ofSeconds(30));
    }

    /** Signed by another key under the kid the issuer signs with now: a forged signature. */
    static String forgedToken(String... roles) {
        String kid = signingKeys.signing().block(Duration.ofSeconds(30)).kid();
        return TestTokens.untrusted(kid).issue("tester@clinic.test", Set.of(roles), Duration.ofMinutes(5));
    }

    /** Signed by a key the issuer never had. */
    static String unknownKidToken(String... roles) {
        return TestTokens.untrusted("k-unknown-" + System.nanoTime()).issue("tester@clinic.test", Set.of(roles),
                Duration.ofMinutes(5));
    }

    /** HS256 with the secret the platform used to share: the old way of minting ADMIN tokens. */
    static String oldSecretToken(String... roles) {
        return TestTokens.hs256(OLD_SHARED_SECRET, "tester@clinic.test", Set.of(roles));
    }

    /** A token that claims the right roles but carries no signature at all ({@code alg: none}). */
    static String unsignedToken(String... roles) {
        return TestTokens.unsigned("tester@clinic.test", Set.of(roles));
    }

    private static clinic.devinfra.MailCatcher startMail() {
        try {
            return new clinic.devinfra.MailCatcher(freePort(), freePort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of the newest mail to {@code to}, once one has come. */
    static String awaitMail(String to, int count) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            var all = java.util.Arrays.stream(MAIL.greenMail().getReceivedMessages()).filter(m -> {
                try {
                    return m.getAllRecipients()[0].toString().equals(to);
                } catch (jakarta.mail.MessagingException e) {
                    return false;
                }
            }).toList();
            return all.size() >= count ? (String) all.get(count - 1).getContent() : null;
        }, java.util.Objects::nonNull);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
