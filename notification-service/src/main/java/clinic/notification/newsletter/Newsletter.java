package clinic.notification.newsletter;

import clinic.contracts.notification.NewsletterConfirmed;
import clinic.contracts.notification.NotificationTopics;
import clinic.kit.outbox.Outbox;
import clinic.kit.web.ClinicException;
import clinic.notification.config.NotificationProperties;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Subscriptions. Each state change is one conditional statement, so double submissions and
 * concurrent clicks cannot double a subscription or reuse a confirmation token.
 */
@Service
public class Newsletter {
    static final String CONFIRM_TEMPLATE = "newsletter-confirm";
    static final String WELCOME_TEMPLATE = "newsletter-welcome";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Notifications notifications;
    private final NotificationProperties props;
    private final NewsletterProperties settings;
    private final Clock clock;
    private final Outbox outbox;

    Newsletter(DatabaseClient db, TransactionalOperator tx, Notifications notifications,
               NotificationProperties props, NewsletterProperties settings, Clock clock, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
        this.tx = tx;
        this.notifications = notifications;
        this.props = props;
        this.settings = settings;
        this.clock = clock;
    }

    /** What a confirmation did: the first use confirms, a later click on the same link changes nothing. */
    public enum Confirmation { CONFIRMED, ALREADY_CONFIRMED }

    /** A confirmed subscriber who may receive marketing mail. */
    public record Subscriber(UUID id, String email, String unsubscribeToken) {}

    /**
     * Starts a subscription (or restarts one that was unsubscribed, or one whose confirmation link
     * has expired) and queues the confirmation mail. Already confirmed, or pending with a link that
     * still works: nothing happens, and the caller cannot tell which.
     *
     * @param consentSource where consent was given: {@code web} or {@code callback}
     */
    public Mono<Void> subscribe(String email, String consentSource, String policyVersion) {
        String address = email.trim();
        String token = newToken();
        Instant now = now();
        var insert = db.sql("""
                        insert into subscriber (id, email, status, confirm_token_hash, unsubscribe_token, round,
                            consent_source, policy_version, consented_at)
                        values (:id, :email, 'PENDING', :hash, :unsub, 1, :source, :policy, :now)
                        on conflict ((lower(email))) do update set status = 'PENDING',
                            confirm_token_hash = excluded.confirm_token_hash, round = subscriber.round + 1,
                            consent_source = excluded.consent_source, policy_version = excluded.policy_version,
                            consented_at = excluded.consented_at, confirmed_at = null, unsubscribed_at = null
                        where subscriber.status = 'UNSUBSCRIBED'
                           or (subscriber.status = 'PENDING' and subscriber.consented_at <= :oldest)
                        returning id, round
                        """)
                .bind("id", UUID.randomUUID())
                .bind("oldest", oldestValid(now))
                .bind("email", address)
                .bind("hash", hash(token))
                .bind("unsub", newToken())
                .bind("source", consentSource)
                .bind("now", now);
        insert = policyVersion == null ? insert.bindNull("policy", String.class) : insert.bind("policy", policyVersion);
        Mono<Void> work = insert.map((row, meta) -> new Object[] {row.get("id", UUID.class), row.get("round", Integer.class)})
                .one()
                .flatMap(r -> notifications.email(
                        new Source("newsletter:" + r[0] + ":" + r[1], "newsletter.subscribed"),
                        CONFIRM_TEMPLATE, address,
                        // The page, not the API: opening it (as mail scanners do) confirms nothing; its button does.
                        Map.of("confirmUrl", props.publicBaseUrl() + "/newsletter-confirm.html?token=" + encode(token),
                                "validFor", validFor()),
                        null))
                .then();
        return tx.transactional(work);
    }

    /**
     * Confirms with the token of the mail. The first use confirms; the same link again answers
     * {@link Confirmation#ALREADY_CONFIRMED} (people click twice, mail clients prefetch), so the
     * token's hash is kept until an unsubscribe. Unknown: not found; older than the validity and
     * not yet used: {@link ConfirmationExpired}.
     */
    public Mono<Confirmation> confirm(String token) {
        if (token == null || token.isBlank()) return Mono.error(ClinicException.notFound("Token"));
        Instant now = now();
        String hash = hash(token);
        Mono<Confirmation> work = db.sql("""
                        update subscriber set status = 'CONFIRMED', confirmed_at = :now
                        where confirm_token_hash = :hash and status = 'PENDING' and consented_at > :oldest
                        returning id, email, round, unsubscribe_token
                        """)
                .bind("now", now).bind("hash", hash).bind("oldest", oldestValid(now))
                .map((row, meta) -> new Confirmed(row.get("id", UUID.class), row.get("email", String.class),
                        row.get("round", Integer.class), row.get("unsubscribe_token", String.class)))
                .one()
                .flatMap(s -> welcome(s).then(published(s, now)).thenReturn(Confirmation.CONFIRMED))
                .switchIfEmpty(Mono.defer(() -> whyNotConfirmed(hash)));
        return tx.transactional(work);
    }

    /**
     * A short welcome once a subscription is confirmed, with the unsubscribe link, queued in the
     * same transaction as the confirmation: only the click that confirms sends it (a second click
     * finds nothing to update), once per subscription round.
     */
    private Mono<Void> welcome(Confirmed s) {
        return notifications.email(
                new Source("newsletter:" + s.id() + ":" + s.round() + ":welcome", "newsletter.confirmed"),
                WELCOME_TEMPLATE, s.email(),
                Map.of("unsubscribeUrl", unsubscribePageUrl(s.unsubscribeToken()), "clinicName", props.clinicName(),
                        Notifications.SENDER_NAME, props.clinicName()),
                null).then();
    }

    /**
     * The sign-up as an event for analytics, in the confirming transaction (so exactly the click that
     * confirms publishes it). The subscription id and the time only: never the address, which is
     * personal data and which no consumer needs to count sign-ups.
     */
    private Mono<Void> published(Confirmed s, Instant now) {
        return outbox.append(NotificationTopics.TOPIC, s.id().toString(), NotificationTopics.NEWSLETTER_CONFIRMED,
                new NewsletterConfirmed(s.id().toString(), now)).then();
    }

    private record Confirmed(UUID id, String email, int round, String unsubscribeToken) {}

    private Mono<Confirmation> whyNotConfirmed(String hash) {
        return db.sql("select status from subscriber where confirm_token_hash = :hash")
                .bind("hash", hash)
                .map((row, meta) -> row.get("status", String.class))
                .one()
                .flatMap(status -> switch (status) {
                    case "CONFIRMED" -> Mono.just(Confirmation.ALREADY_CONFIRMED);
                    case "PENDING" -> Mono.<Confirmation>error(new ConfirmationExpired());
                    default -> Mono.<Confirmation>error(ClinicException.notFound("Token"));
                })
                .switchIfEmpty(Mono.error(ClinicException.notFound("Token")));
    }

    /** "7 days" (or hours, for a validity under a day). */
    private String validFor() {
        java.time.Duration d = settings.confirmationValidity();
        long n = d.toDays() >= 1 ? d.toDays() : Math.max(1, d.toHours());
        String unit = d.toDays() >= 1 ? "day" : "hour";
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private Instant oldestValid(Instant now) {
        return now.minus(settings.confirmationValidity());
    }

    /** Idempotent: a second click on the same link still answers UNSUBSCRIBED. */
    public Mono<Void> unsubscribe(String token) {
        if (token == null || token.isBlank()) return Mono.error(ClinicException.notFound("Token"));
        return db.sql("""
                        update subscriber set status = 'UNSUBSCRIBED', confirm_token_hash = null,
                            unsubscribed_at = coalesce(unsubscribed_at, :now)
                        where unsubscribe_token = :token
                        """)
                .bind("now", now()).bind("token", token)
                .fetch().rowsUpdated()
                .flatMap(n -> n > 0 ? Mono.<Void>empty() : Mono.error(ClinicException.notFound("Token")));
    }

    public Flux<Subscriber> confirmedSubscribers() {
        return db.sql("select id, email, unsubscribe_token from subscriber where status = 'CONFIRMED' order by id")
                .map((row, meta) -> new Subscriber(row.get("id", UUID.class), row.get("email", String.class),
                        row.get("unsubscribe_token", String.class)))
                .all();
    }

    /** Checked again at send time: someone may unsubscribe between an announcement and its delivery. */
    public Mono<Boolean> isConfirmedSubscriber(String email) {
        return db.sql("select exists (select 1 from subscriber where lower(email) = lower(:email) "
                        + "and status = 'CONFIRMED') as ok")
                .bind("email", email)
                .map((row, meta) -> Boolean.TRUE.equals(row.get("ok", Boolean.class)))
                .one()
                .defaultIfEmpty(false);
    }

    /** For List-Unsubscribe: mail clients POST to it (RFC 8058 one-click), so it is the API itself. */
    public String unsubscribeUrl(String unsubscribeToken) {
        return props.publicBaseUrl() + "/api/newsletter/unsubscribe?token=" + encode(unsubscribeToken);
    }

    /** For the link in a mail's text: a page with a button, so following the link unsubscribes no one. */
    public String unsubscribePageUrl(String unsubscribeToken) {
        return props.publicBaseUrl() + "/newsletter-unsubscribe.html?token=" + encode(unsubscribeToken);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
