package clinic.gateway.issuer;

import clinic.kit.web.ClinicException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The issuer's keys, read from its database and held for {@link IssuerProperties#refresh()} so
 * every gateway instance signs with the same key and publishes the same set. The newest key whose
 * {@code signs_from} has come signs; every key not withdrawn is published. The first start makes
 * the first key (under an advisory lock, so two instances starting together make one).
 */
public class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    /** pg_advisory_xact_lock id for key changes: any constant of our own. */
    private static final long LOCK = 0x6b65797300L;

    /** One key; {@code key} holds the private half. */
    public record Key(String kid, ECKey key, Instant createdAt, Instant signsFrom, Instant withdrawnAt) {
        boolean withdrawn() {
            return withdrawnAt != null;
        }
    }

    /** What the API shows of a key. */
    public record KeyView(String kid, String status, Instant createdAt, Instant signsFrom, Instant withdrawnAt) {}

    /** The keys as read at one moment. */
    public record Ring(List<Key> keys, Instant readAt) {
        public JWKSet published() {
            List<JWK> out = new ArrayList<>();
            for (Key k : keys) if (!k.withdrawn()) out.add(k.key().toPublicJWK());
            return new JWKSet(out);
        }

        public Optional<Key> signing(Instant now) {
            return keys.stream().filter(k -> !k.withdrawn() && !k.signsFrom().isAfter(now))
                    .max(Comparator.comparing(Key::signsFrom).thenComparing(Key::createdAt));
        }
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KeyCipher cipher;
    private final IssuerProperties props;
    private final Clock clock;
    private volatile Mono<Ring> cached;
    private volatile Instant cachedAt = Instant.MIN;

    SigningKeys(DatabaseClient db, TransactionalOperator tx, KeyCipher cipher, IssuerProperties props, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.cipher = cipher;
        this.props = props;
        this.clock = clock;
    }

    /** The keys, from memory when read within the refresh interval. */
    public Mono<Ring> ring() {
        Instant now = clock.instant();
        Mono<Ring> c = cached;
        if (c != null && !cachedAt.plus(props.refresh()).isBefore(now)) return c;
        synchronized (this) {
            if (cached != null && !cachedAt.plus(props.refresh()).isBefore(now)) return cached;
            Mono<Ring> load = ensureOne().then(load())
                    .doOnError(e -> {
                        synchronized (this) {
                            cached = null; // a failed read is not remembered
                        }
                    })
                    .cache();
            cached = load;
            cachedAt = now;
            return load;
        }
    }

    /** The key that signs now; there is always one (the first is made at first use). */
    public Mono<Key> signing() {
        return ring().flatMap(r -> Mono.justOrEmpty(r.signing(clock.instant())))
                .switchIfEmpty(Mono.error(new IllegalStateException("no signing key")));
    }

    private synchronized void forget() {
        cached = null;
    }

    private Mono<Ring> load() {
        return db.sql("select kid, private_jwk, created_at, signs_from, withdrawn_at from signing_key order by created_at")
                .map((row, meta) -> {
                    String kid = row.get("kid", String.class);
                    ECKey key;
                    try {
                        key = ECKey.parse(cipher.decrypt(kid, row.get("private_jwk", byte[].class)));
                    } catch (ParseException e) {
                        throw new IllegalStateException("signing key " + kid + " is not a JWK", e);
                    }
                    OffsetDateTime withdrawn = row.get("withdrawn_at", OffsetDateTime.class);
                    return new Key(kid, key, row.get("created_at", OffsetDateTime.class).toInstant(),
                            row.get("signs_from", OffsetDateTime.class).toInstant(),
                            withdrawn == null ? null : withdrawn.toInstant());
                })
                .all().collectList()
                .map(keys -> new Ring(List.copyOf(keys), clock.instant()));
    }

    /** Makes the first key when there is none that can sign (a new install, or every key withdrawn). */
    private Mono<Void> ensureOne() {
        return db.sql("select count(*) from signing_key where withdrawn_at is null").map(r -> r.get(0, Long.class)).one()
                .flatMap(n -> n > 0 ? Mono.<Void>empty() : tx.transactional(lock()
                        .then(db.sql("select count(*) from signing_key where withdrawn_at is null")
                                .map(r -> r.get(0, Long.class)).one())
                        .flatMap(m -> m > 0 ? Mono.<Void>empty() : insert(clock.instant()).then())));
    }

    private Mono<Void> lock() {
        return db.sql("select pg_advisory_xact_lock(" + LOCK + ")").then();
    }

    private Mono<Key> insert(Instant signsFrom) {
        Instant now = clock.instant();
        String kid = "k-" + now.atOffset(ZoneOffset.UTC).toLocalDate() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("cannot make a signing key", e));
        }
        log.info("new signing key {} (signs from {})", kid, signsFrom);
        return db.sql("insert into signing_key (kid, public_jwk, private_jwk, created_at, signs_from) "
                        + "values (:kid, :pub, :priv, :created, :from)")
                .bind("kid", kid)
                .bind("pub", key.toPublicJWK().toJSONString())
                .bind("priv", cipher.encrypt(kid, key.toJSONString()))
                .bind("created", now.atOffset(ZoneOffset.UTC))
                .bind("from", signsFrom.atOffset(ZoneOffset.UTC))
                .then()
                .thenReturn(new Key(kid, key, now, signsFrom, null));
    }

    /**
     * Introduces a new key: published now, signing after {@link IssuerProperties#publishAhead()}.
     * Older keys stay published (their tokens keep working) until withdrawn.
     */
    public Mono<KeyView> rotate() {
        return tx.transactional(lock().then(Mono.defer(() -> insert(clock.instant().plus(props.publishAhead())))))
                .doOnSuccess(k -> forget())
                .map(k -> view(k, clock.instant()));
    }

    /**
     * Withdraws a key: taken out of the JWKS, so its tokens are refused (by the gateway at once, by
     * services once their JWKS cache expires). The key that signs now cannot be withdrawn: rotate first.
     */
    public Mono<KeyView> withdraw(String kid) {
        return tx.transactional(lock().then(load()).flatMap(ring -> {
                    Key key = ring.keys().stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
                    if (key == null) return Mono.error(ClinicException.notFound("Signing key"));
                    if (key.withdrawn()) return Mono.just(key);
                    Optional<Key> signing = ring.signing(clock.instant());
                    if (signing.isPresent() && signing.get().kid().equals(kid)) {
                        return Mono.error(new ClinicException(HttpStatus.CONFLICT, "key_in_use", "Key in use",
                                "This key signs new tokens: introduce a new key first and wait until it signs"));
                    }
                    Instant now = clock.instant();
                    return db.sql("update signing_key set withdrawn_at = :now where kid = :kid")
                            .bind("now", now.atOffset(ZoneOffset.UTC)).bind("kid", kid).then()
                            .thenReturn(new Key(key.kid(), key.key(), key.createdAt(), key.signsFrom(), now));
                }))
                .doOnSuccess(k -> {
                    forget();
                    log.info("signing key {} withdrawn", kid);
                })
                .map(k -> view(k, clock.instant()));
    }

    public Flux<KeyView> list() {
        return ring().flatMapMany(r -> {
            Instant now = clock.instant();
            String signing = r.signing(now).map(Key::kid).orElse(null);
            return Flux.fromIterable(r.keys()).sort(Comparator.comparing(Key::createdAt).reversed())
                    .map(k -> new KeyView(k.kid(), k.withdrawn() ? "WITHDRAWN" : k.kid().equals(signing) ? "SIGNING"
                            : k.signsFrom().isAfter(now) ? "PUBLISHED_NEXT" : "PUBLISHED",
                            k.createdAt(), k.signsFrom(), k.withdrawnAt()));
        });
    }

    private static KeyView view(Key k, Instant now) {
        String status = k.withdrawn() ? "WITHDRAWN" : k.signsFrom().isAfter(now) ? "PUBLISHED_NEXT" : "SIGNING";
        return new KeyView(k.kid(), status, k.createdAt(), k.signsFrom(), k.withdrawnAt());
    }

    Duration refresh() {
        return props.refresh();
    }
}
