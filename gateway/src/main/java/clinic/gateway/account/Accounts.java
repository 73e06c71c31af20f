package clinic.gateway.account;

import clinic.kit.security.AccessRules;
import clinic.kit.web.ClinicException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Accounts and their links. A link token is 256 random bits, mailed once and stored only as a
 * SHA-256; using it marks it used in the same statement that checks it (single use under races).
 */
@Service
public class Accounts {
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final AccountMail mail;
    private final AccountProperties props;
    private final DisabledAccounts disabled;
    private final Clock clock;
    /** Compared against when the account does not exist, so a wrong name costs what a wrong password costs. */
    private final String dummyHash;

    Accounts(DatabaseClient db, ReactiveTransactionManager tm, PasswordEncoder passwords, PasswordPolicy policy,
             AccountMail mail, AccountProperties props, DisabledAccounts disabled, Clock clock) {
        this.db = db;
        this.tx = TransactionalOperator.create(tm);
        this.passwords = passwords;
        this.policy = policy;
        this.mail = mail;
        this.props = props;
        this.disabled = disabled;
        this.clock = clock;
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    public static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    // ---- sign-in ----

    /** The account's roles (sorted) when the password is right and the account enabled; empty otherwise. */
    public Mono<Optional<List<String>>> authenticate(String email, String password) {
        return byEmail(normalise(email)).map(Optional::of).defaultIfEmpty(Optional.empty())
                .publishOn(Schedulers.boundedElastic()) // hashing takes ~100 ms of CPU: never on the event loop
                .map(found -> {
                    Account a = found.orElse(null);
                    String hash = a != null && a.passwordHash() != null ? a.passwordHash() : dummyHash;
                    // bcrypt reads 72 bytes only: a longer password is refused, not truncated (same cost).
                    boolean tooLong = password.getBytes(StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES;
                    boolean matches = passwords.matches(tooLong ? "" : password, hash) && !tooLong;
                    if (!matches || a == null || a.passwordHash() == null || a.disabled()) return Optional.empty();
                    return Optional.of(List.copyOf(new TreeSet<>(a.roles())));
                });
    }

    // ---- admin ----

    public Flux<Account> list() {
        return db.sql("select * from account order by email").map((r, m) -> read(r)).all();
    }

    public Mono<Account> invite(String email, String name, List<String> roles) {
        String normalised = normalise(email);
        checkRoles(roles);
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        String token = newToken();
        return tx.transactional(db.sql("insert into account (id, email, name, roles, created_at, updated_at) "
                                + "values (:id, :email, :name, :roles, :now, :now)")
                        .bind("id", id).bind("email", normalised).bind("name", name.trim())
                        .bind("roles", roles.stream().distinct().sorted().toArray(String[]::new))
                        .bind("now", at(now)).then()
                        .then(link(id, "INVITE", token, props.inviteTtl())))
                .onErrorMap(DataIntegrityViolationException.class, e -> new ClinicException(HttpStatus.CONFLICT,
                        "user_exists", "User exists", "There is already an account for that address"))
                .then(mail.invitation(normalised, name.trim(), token)
                        // No mail, no invitation: the account is taken back, so the admin can simply try again.
                        .onErrorResume(e -> {
                            log.warn("invitation mail not sent, account {} removed: {}", id, e.toString());
                            return db.sql("delete from account_link where account_id = :id").bind("id", id).then()
                                    .then(db.sql("delete from account where id = :id").bind("id", id).then())
                                    .then(Mono.error(new ClinicException(HttpStatus.SERVICE_UNAVAILABLE,
                                            "mail_unavailable", "Mail unavailable",
                                            "The invitation could not be mailed; nothing was saved. Try again shortly")));
                        }))
                .then(byId(id));
    }

    public Mono<Account> update(UUID id, String name, List<String> roles) {
        if (roles != null) checkRoles(roles);
        return byId(id).switchIfEmpty(Mono.error(ClinicException.notFound("User")))
                .flatMap(a -> db.sql("update account set name = :name, roles = :roles, updated_at = :now where id = :id")
                        .bind("name", name == null ? a.name() : name.trim())
                        .bind("roles", (roles == null ? a.roles() : roles).stream().distinct().sorted().toArray(String[]::new))
                        .bind("now", at(clock.instant())).bind("id", id).then())
                .then(byId(id));
    }

    /** Sign-in refused at once; tokens refused by the gateway within {@link AccountProperties#disabledRefresh()}. */
    public Mono<Account> disable(UUID id) {
        return byId(id).switchIfEmpty(Mono.error(ClinicException.notFound("User")))
                .flatMap(a -> a.disabled() ? Mono.just(a) : db.sql(
                                "update account set disabled_at = :now, updated_at = :now where id = :id")
                        .bind("now", at(clock.instant())).bind("id", id).then()
                        .then(byId(id)))
                .doOnNext(a -> disabled.markDisabled(a.email()))
                // Its web sessions end now, on every instance (they re-check the account within seconds anyway).
                .flatMap(a -> db.sql("delete from web_session where account_email = :email").bind("email", a.email())
                        .then().thenReturn(a));
    }

    // ---- links ----

    /** Mails a reset link when the account exists and is enabled; the caller learns nothing either way. */
    public Mono<Void> requestReset(String email) {
        String normalised = normalise(email);
        String token = newToken();
        return byEmail(normalised)
                .filter(a -> !a.disabled())
                .flatMap(a -> link(a.id(), "RESET", token, props.resetTtl()).then(mail.reset(a.email(), a.name(), token)))
                .onErrorResume(e -> {
                    // Failing here would tell the caller the address exists.
                    log.warn("password reset mail not sent: {}", e.toString());
                    return Mono.empty();
                });
    }

    /** Sets the password of the link's account and uses the link up; {@code invalid_token} for anything else. */
    public Mono<Void> setPassword(String token, String password) {
        policy.check(password);
        return Mono.fromCallable(() -> passwords.encode(password)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(hash -> tx.transactional(db.sql("update account_link set used_at = :now where token_hash = :hash "
                                + "and used_at is null and expires_at > :now returning account_id")
                        .bind("now", at(clock.instant())).bind("hash", sha256(token))
                        .map((r, m) -> r.get("account_id", UUID.class)).one()
                        .switchIfEmpty(Mono.error(invalidToken()))
                        .flatMap(id -> db.sql("update account set password_hash = :hash, updated_at = :now "
                                        + "where id = :id and disabled_at is null")
                                .bind("hash", hash).bind("now", at(clock.instant())).bind("id", id)
                                .fetch().rowsUpdated()
                                .flatMap(n -> n == 1 ? Mono.<Void>empty() : Mono.error(invalidToken())))));
    }

    // ---- start-up ----

    /** The local profile's demo users (and the tests'), with their configured hashes: created once, never changed. */
    public Mono<Void> ensure(String email, String name, List<String> roles, String passwordHash) {
        Instant now = clock.instant();
        return db.sql("insert into account (id, email, name, roles, password_hash, created_at, updated_at) "
                        + "values (:id, :email, :name, :roles, :hash, :now, :now) on conflict (email) do nothing")
                .bind("id", UUID.randomUUID()).bind("email", normalise(email)).bind("name", name)
                .bind("roles", roles.stream().sorted().toArray(String[]::new)).bind("hash", passwordHash)
                .bind("now", at(now)).then();
    }

    /** A production install's first admin: invited when no ADMIN account exists yet. */
    public Mono<Void> inviteFirstAdmin(String email) {
        return db.sql("select count(*) from account where 'ADMIN' = any(roles) and disabled_at is null")
                .map(r -> r.get(0, Long.class)).one()
                .flatMap(n -> n > 0 ? Mono.<Void>empty()
                        : invite(email, "Administrator", List.of(AccessRules.ADMIN))
                                .doOnNext(a -> log.info("first admin invited (account {})", a.id())).then());
    }

    // ---- helpers ----

    private Mono<Void> link(UUID account, String purpose, String token, Duration ttl) {
        return db.sql("insert into account_link (token_hash, account_id, purpose, expires_at) values (:h, :a, :p, :e)")
                .bind("h", sha256(token)).bind("a", account).bind("p", purpose)
                .bind("e", at(clock.instant().plus(ttl))).then();
    }

    Mono<Account> byId(UUID id) {
        return db.sql("select * from account where id = :id").bind("id", id).map((r, m) -> read(r)).one();
    }

    private Mono<Account> byEmail(String email) {
        return db.sql("select * from account where email = :email").bind("email", email).map((r, m) -> read(r)).one();
    }

    private static Account read(io.r2dbc.spi.Readable r) {
        OffsetDateTime disabledAt = r.get("disabled_at", OffsetDateTime.class);
        return new Account(r.get("id", UUID.class), r.get("email", String.class), r.get("name", String.class),
                Arrays.asList(r.get("roles", String[].class)), r.get("password_hash", String.class),
                disabledAt == null ? null : disabledAt.toInstant());
    }

    private static void checkRoles(List<String> roles) {
        if (roles == null || roles.isEmpty() || !AccessRules.USER_ROLES.containsAll(roles)) {
            throw ClinicException.invalid("roles", "must be one or more of " + new TreeSet<>(AccessRules.USER_ROLES));
        }
    }

    private static ClinicException invalidToken() {
        return new ClinicException(HttpStatus.BAD_REQUEST, "invalid_token", "Invalid link",
                "This link is unknown, used or expired: ask for a new one");
    }

    private static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
