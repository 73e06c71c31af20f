package clinic.systemtests.reliability;

import static clinic.systemtests.reliability.Support.count;
import static clinic.systemtests.reliability.Support.rows;
import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Measurements;
import clinic.systemtests.Platform;
import clinic.systemtests.reliability.Support.Result;
import clinic.systemtests.reliability.Support.Slot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, hostile input: a generated corpus over every public endpoint, through the gateway as
 * any outside client would send it — malformed JSON, wrong types, nulls, huge and unicode
 * strings, SQL and script injection text, negative and overflow numbers, impossible dates, local
 * times that do not exist on clock-change days, unknown ids, replayed idempotency keys. Zero 5xx,
 * every non-2xx a problem document with a code, and row counts that move by exactly what was
 * accepted. Script text that was accepted as data comes out escaped in the HTML of every mail.
 */
@Order(Integer.MAX_VALUE)
class HostileInputIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String MARK = "@@HOSTILE-VALUE@@";
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "\"><img src=x onerror=alert(1)>";
    static Platform p;

    @BeforeAll
    static void platform() throws Exception {
        p = Platform.get();
        Support.awaitHealthy(p, Duration.ofMinutes(3));
    }

    // ---------------------------------------------------------------- the corpus

    enum Kind { BOOKING, CALLBACK, NEWSLETTER, LOGIN, OTHER }

    /** One request; {@code expectStatus}/{@code expectCode} are set where the contract fixes the answer. */
    record Case(String label, String method, String path, byte[] body, String[] headers, Kind kind,
                Integer expectStatus, String expectCode) {
        String endpoint() {
            String bare = path.replaceAll("\\?.*", "");
            if (bare.startsWith("/api/bookings/")) {
                return bare.endsWith("/cancel") ? "/api/bookings/{ref}/cancel"
                        : bare.endsWith("/reschedule") ? "/api/bookings/{ref}/reschedule" : "/api/bookings/{ref}";
            }
            return bare;
        }
    }

    /** A JSON value as raw text, so anything (overflowing literals, escapes) can be sent as is. */
    record V(String label, String raw) {}

    static V str(String label, String s) {
        try {
            return new V(label, Platform.JSON.writeValueAsString(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final List<V> VALUES = List.of(
            new V("null", "null"), new V("empty", "\"\""), new V("blank", "\"   \""),
            new V("int", "123"), new V("negative", "-1"), new V("overflow-double", "1e400"),
            new V("overflow-integer", "-99999999999999999999999999"), new V("long-max+1", "9223372036854775808"),
            new V("boolean", "true"), new V("array", "[]"), new V("object", "{}"), new V("mixed-array", "[\"a\",1,null]"),
            str("sql-or", "' OR '1'='1' --"), str("sql-drop", "'; DROP TABLE booking; --"),
            str("script", SCRIPT), str("img-onerror", IMG),
            str("jndi", "${jndi:ldap://127.0.0.1/a}"), str("template", "{{7*7}}${7*7}#{7*7}"),
            str("path", "../../../../etc/passwd"), str("unicode", "Zoë Ørsted 🙂 東京 مرحبا"),
            str("bidi", "\u202Eevil\u202D"), new V("nul", "\"nul\\u0000byte\""),
            new V("lone-surrogate", "\"lone \\ud83d surrogate\""),
            str("5k", "a".repeat(5000)), str("60KB-unicode", "ü".repeat(30_000)), str("100KB", "x".repeat(100_000)));

    /** Query-string values (null: parameter left out); kept under the HTTP request-line limit. */
    static final List<String> QUERY_VALUES = java.util.Arrays.asList(
            null, "", "   ", "123", "-1", "1e400", "99999999999999999999", "true", "[]", "{}",
            "' OR '1'='1' --", "'; DROP TABLE booking; --", SCRIPT, IMG, "${jndi:ldap://127.0.0.1/a}",
            "{{7*7}}", "../../../../etc/passwd", "Zoë Ørsted 🙂 東京 مرحبا", "\u202Eevil", "nul\u0000byte",
            "a".repeat(1000));

    /** Instants that are impossible, offset-less, in a spring-forward gap, ambiguous, past, off-grid or overflowing. */
    static final List<String> DATE_TIMES = List.of(
            "2027-02-30T10:00:00Z", "2027-03-28T01:30:00", "2027-03-28T01:30:00+00:00",
            "2027-03-28T01:30:00[Europe/London]", "2027-03-28T01:30:00+01:00", "2026-10-25T01:30:00+01:00",
            "2020-01-01T10:00:00Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
            "2027-01-11T10:07:00Z");

    static final List<String> DATES = List.of("2027-02-30", "2027-03-28", "2026-10-25", "0000-01-01", "9999-12-31",
            "+999999999-12-31", "-999999999-01-01", "2027-13-01", "2027-3-5", "2027-03-28T01:30");

    static final List<byte[]> MALFORMED = List.of(
            b(""), b("{"), b("}"), b("{\"locationId\": "), b("[]"), b("null"), b("\"just a string\""), b("123"),
            b("{\"a\":1,}"), b("{'single':'quotes'}"), b("{\"a\":\"\\uZZZZ\"}"), b("{\"a\":1}{\"b\":2}"),
            b("[".repeat(5000)), b("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}"), b("<xml/>"),
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code base} with the field at a dotted path set to a raw JSON value, or removed when raw is null. */
    static byte[] mutate(ObjectNode base, String path, String raw) {
        ObjectNode copy = base.deepCopy();
        String[] parts = path.split("\\.");
        ObjectNode target = copy;
        for (int i = 0; i < parts.length - 1; i++) target = (ObjectNode) target.get(parts[i]);
        String field = parts[parts.length - 1];
        if (raw == null) target.remove(field);
        else target.put(field, MARK);
        try {
            String json = Platform.JSON.writeValueAsString(copy);
            return b(raw == null ? json : json.replace("\"" + MARK + "\"", raw));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode json(Object o) {
        return Platform.JSON.valueToTree(o);
    }

    // ---------------------------------------------------------------- the run

    private final List<Result> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> histogram = new TreeMap<>();
    private final Set<String> bookingRefs = new LinkedHashSet<>();
    private final Set<String> bookingKeys = new LinkedHashSet<>();
    private final Set<String> callbackIds = new LinkedHashSet<>();
    private final Set<String> honeypotIds = new LinkedHashSet<>();
    private final Set<String> callbackKeys = new LinkedHashSet<>();
    private final Set<String> subscribers = new LinkedHashSet<>();
    private long lastLogin;
    private int corpus;

    @Test
    void corpusOfHostileRequestsNeverHurtsThePlatform() throws Exception {
        Deque<Slot> slots = new ArrayDeque<>(Support.freeSlots(p, "sports-massage-30", Support.LOCATIONS,
                Support.workingDays(49, 55), 450));
        assertThat(slots).as("free slots for the booking cases").hasSizeGreaterThanOrEqualTo(330);
        LocalDate day = Support.weekday(49);
        String run = Support.runId();

        long bookingsBefore = count(p, "booking", "select count(*) from booking");
        long bookingKeysBefore = count(p, "booking", "select count(*) from idempotency_key");
        long callbacksBefore = count(p, "callback", "select count(*) from callback_request");
        long callbackKeysBefore = count(p, "callback", "select count(*) from idempotency_key");
        long subscribersBefore = count(p, "notification", "select count(*) from subscriber");

        // ---- POST /api/bookings
        List<String> bookingFields = List.of("locationId", "treatmentId", "therapistId", "startsAt", "customer",
                "customer.name", "customer.email", "customer.phone", "promoCode", "notes");
        for (String field : bookingFields) {
            run(new Case("booking " + field + " missing", "POST", "/api/bookings",
                    mutate(json(Support.booking(slots.pop(), Support.email("hostile"), null)), field, null),
                    new String[0], Kind.BOOKING, null, null));
            for (V v : VALUES) {
                run(new Case("booking " + field + "=" + v.label(), "POST", "/api/bookings",
                        mutate(json(Support.booking(slots.pop(), Support.email("hostile"), null)), field, v.raw()),
                        new String[0], Kind.BOOKING, null, null));
            }
        }
        for (String t : DATE_TIMES) {
            run(new Case("booking startsAt=" + t, "POST", "/api/bookings",
                    mutate(json(Support.booking(slots.pop(), Support.email("hostile"), null)), "startsAt", str("", t).raw()),
                    new String[0], Kind.BOOKING, null, null));
        }
        for (byte[] m : MALFORMED) run(new Case("booking malformed", "POST", "/api/bookings", m, new String[0], Kind.BOOKING, null, null));
        for (String type : new String[] {"text/plain", "application/xml", null}) {
            run(new Case("booking content-type " + type, "POST", "/api/bookings",
                    b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("hostile"), null))),
                    new String[] {"Content-Type", type}, Kind.BOOKING, null, null));
        }
        // Idempotency-Key: a replay answers as the first time; another body under the same key is refused.
        String key = "hostile-" + run;
        byte[] first = b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("idem"), null)));
        byte[] other = b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("idem"), null)));
        Result original = run(new Case("booking key first", "POST", "/api/bookings", first,
                new String[] {"Idempotency-Key", key}, Kind.BOOKING, 201, null));
        Result replay = run(new Case("booking key replay", "POST", "/api/bookings", first,
                new String[] {"Idempotency-Key", key}, Kind.BOOKING, 201, null));
        assertThat(replay.text("reference")).as("a replay returns the original booking")
                .isEqualTo(original.text("reference"));
        run(new Case("booking key reused", "POST", "/api/bookings", other, new String[] {"Idempotency-Key", key},
                Kind.BOOKING, 422, "idempotency_key_reused"));
        for (String badKey : new String[] {"k".repeat(300), "has space"}) {
            run(new Case("booking bad key", "POST", "/api/bookings",
                    b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("idem"), null))),
                    new String[] {"Idempotency-Key", badKey}, Kind.BOOKING, 400, null));
        }
        run(new Case("booking empty key", "POST", "/api/bookings",
                b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("idem"), null))),
                new String[] {"Idempotency-Key", ""}, Kind.BOOKING, null, null));
        run(new Case("booking injection-looking key", "POST", "/api/bookings",
                b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("idem"), null))),
                new String[] {"Idempotency-Key", "'OR'1'='1'--" + run}, Kind.BOOKING, null, null));

        // ---- POST /api/callbacks
        List<String> callbackFields = List.of("name", "phone", "email", "locationId", "preferredTime", "message",
                "consent", "consent.termsAndPrivacy", "consent.policyVersion", "marketingOptIn", "website");
        for (String field : callbackFields) {
            run(new Case("callback " + field + " missing", "POST", "/api/callbacks",
                    mutate(callbackBase(), field, null), new String[0], Kind.CALLBACK, null, null));
            for (V v : VALUES) {
                run(new Case("callback " + field + "=" + v.label(), "POST", "/api/callbacks",
                        mutate(callbackBase(), field, v.raw()), new String[0], Kind.CALLBACK, null, null));
            }
        }
        for (byte[] m : MALFORMED) run(new Case("callback malformed", "POST", "/api/callbacks", m, new String[0], Kind.CALLBACK, null, null));
        for (String type : new String[] {"text/plain", "application/xml", null}) {
            run(new Case("callback content-type " + type, "POST", "/api/callbacks",
                    b(Platform.JSON.writeValueAsString(callbackBase())), new String[] {"Content-Type", type},
                    Kind.CALLBACK, null, null));
        }
        String ckey = "hostile-cb-" + run;
        byte[] cFirst = b(Platform.JSON.writeValueAsString(callbackBase()));
        Result cOriginal = run(new Case("callback key first", "POST", "/api/callbacks", cFirst,
                new String[] {"Idempotency-Key", ckey}, Kind.CALLBACK, 202, null));
        Result cReplay = run(new Case("callback key replay", "POST", "/api/callbacks", cFirst,
                new String[] {"Idempotency-Key", ckey}, Kind.CALLBACK, 202, null));
        assertThat(cReplay.text("id")).as("a replay returns the original request").isEqualTo(cOriginal.text("id"));
        run(new Case("callback key reused", "POST", "/api/callbacks", b(Platform.JSON.writeValueAsString(callbackBase())),
                new String[] {"Idempotency-Key", ckey}, Kind.CALLBACK, 422, "idempotency_key_reused"));
        run(new Case("callback key too long", "POST", "/api/callbacks", b(Platform.JSON.writeValueAsString(callbackBase())),
                new String[] {"Idempotency-Key", "k".repeat(201)}, Kind.CALLBACK, 400, null));

        // ---- POST /api/newsletter/subscriptions
        for (String field : List.of("email", "consent")) {
            run(new Case("newsletter " + field + " missing", "POST", "/api/newsletter/subscriptions",
                    mutate(newsletterBase(), field, null), new String[0], Kind.NEWSLETTER, null, null));
            for (V v : VALUES) {
                run(new Case("newsletter " + field + "=" + v.label(), "POST", "/api/newsletter/subscriptions",
                        mutate(newsletterBase(), field, v.raw()), new String[0], Kind.NEWSLETTER, null, null));
            }
        }
        for (String odd : List.of("o'brien-" + run + "@example.com", "UPPER-" + run + "@EXAMPLE.COM",
                "plus+tag-" + run + "@example.com")) {
            run(new Case("newsletter odd but valid email", "POST", "/api/newsletter/subscriptions",
                    mutate(newsletterBase(), "email", str("", odd).raw()), new String[0], Kind.NEWSLETTER, null, null));
        }
        for (byte[] m : MALFORMED) run(new Case("newsletter malformed", "POST", "/api/newsletter/subscriptions", m, new String[0], Kind.NEWSLETTER, null, null));

        // ---- POST /api/auth/login (never a real user's name: ten failures would lock it out)
        for (String field : List.of("username", "password")) {
            run(new Case("login " + field + " missing", "POST", "/api/auth/login", mutate(loginBase(), field, null),
                    new String[0], Kind.LOGIN, null, null));
            for (V v : VALUES) {
                run(new Case("login " + field + "=" + v.label(), "POST", "/api/auth/login",
                        mutate(loginBase(), field, v.raw()), new String[0], Kind.LOGIN, null, null));
            }
        }
        for (byte[] m : MALFORMED) run(new Case("login malformed", "POST", "/api/auth/login", m, new String[0], Kind.LOGIN, null, null));

        // ---- GET /api/availability
        Map<String, String> availability = new LinkedHashMap<>();
        availability.put("locationId", "sheffield");
        availability.put("treatmentId", "sports-massage-30");
        availability.put("date", day.toString());
        availability.put("therapistId", "sheffield-amy");
        for (String param : availability.keySet()) {
            for (String q : QUERY_VALUES) {
                run(get("availability " + param, "/api/availability", availability, param, q));
            }
        }
        for (String d : DATES) run(get("availability date " + d, "/api/availability", availability, "date", d));

        // ---- GET /api/offers/quote
        Map<String, String> quote = new LinkedHashMap<>();
        quote.put("code", "FEB10");
        quote.put("treatmentId", "sports-massage-60");
        quote.put("locationId", "sheffield");
        quote.put("startsAt", "2027-02-10T10:00:00Z");
        quote.put("email", Support.email("quote"));
        for (String param : quote.keySet()) {
            for (String q : QUERY_VALUES) run(get("quote " + param, "/api/offers/quote", quote, param, q));
        }
        for (String t : DATE_TIMES) run(get("quote startsAt " + t, "/api/offers/quote", quote, "startsAt", t));

        // ---- unknown and hostile booking references
        List<String> refs = new ArrayList<>();
        for (String r : List.of("UNKNOWN1", "ABCDEFGH", "' OR '1'='1' --", SCRIPT, "Zoë東京", "a".repeat(1000), "-1",
                "99999999999999999999", "null")) {
            refs.add(enc(r));
        }
        refs.addAll(List.of("..%2Fstaff%2Fbookings", "%2e%2e", "x;jsessionid=1", "%00"));
        byte[] moveBody = b("{\"startsAt\":\"" + slots.peek().startsAt() + "\"}");
        for (String ref : refs) {
            run(new Case("get booking no token", "GET", "/api/bookings/" + ref, null, new String[0], Kind.OTHER, null, null));
            run(new Case("get booking bad token", "GET", "/api/bookings/" + ref, null,
                    new String[] {"X-Manage-Token", "wrong"}, Kind.OTHER, null, null));
            run(new Case("cancel bad token", "POST", "/api/bookings/" + ref + "/cancel", b("{}"),
                    new String[] {"X-Manage-Token", "wrong"}, Kind.OTHER, null, null));
            run(new Case("reschedule bad token", "POST", "/api/bookings/" + ref + "/reschedule", moveBody,
                    new String[] {"X-Manage-Token", "wrong"}, Kind.OTHER, null, null));
        }

        // ---- reschedule and cancel of a real booking, with its manage token
        Result mine = run(new Case("booking to manage", "POST", "/api/bookings",
                b(Platform.JSON.writeValueAsString(Support.booking(slots.pop(), Support.email("manage"), null))),
                new String[0], Kind.BOOKING, 201, null));
        assertThat(mine.status()).as("a booking to reschedule and cancel: " + mine.brief()).isEqualTo(201);
        String ref = mine.text("reference");
        String token = mine.text("manageToken");
        String[] manage = {"X-Manage-Token", token};
        ObjectNode move = json(Map.of("startsAt", mine.text("startsAt")));
        String path = "/api/bookings/" + ref + "/reschedule";
        run(new Case("reschedule startsAt missing", "POST", path, mutate(move, "startsAt", null), manage, Kind.OTHER, null, null));
        for (V v : VALUES) {
            run(new Case("reschedule startsAt=" + v.label(), "POST", path, mutate(move, "startsAt", v.raw()), manage,
                    Kind.OTHER, null, null));
            run(new Case("reschedule therapistId=" + v.label(), "POST", path, mutate(move, "therapistId", v.raw()), manage,
                    Kind.OTHER, null, null));
        }
        for (String t : DATE_TIMES) {
            run(new Case("reschedule startsAt=" + t, "POST", path, mutate(move, "startsAt", str("", t).raw()), manage,
                    Kind.OTHER, null, null));
        }
        for (byte[] m : MALFORMED) run(new Case("reschedule malformed", "POST", path, m, manage, Kind.OTHER, null, null));
        run(new Case("cancel with token", "POST", "/api/bookings/" + ref + "/cancel", b("{}"), manage, Kind.OTHER, 200, null));
        run(new Case("cancel again", "POST", "/api/bookings/" + ref + "/cancel", b("{}"), manage, Kind.OTHER, 200, null));

        // ---- GET /api/newsletter/confirm
        for (String t : java.util.Arrays.asList(null, "", "   ", "deadbeef", "' OR '1'='1' --", SCRIPT, "Zoë東京",
                "a".repeat(1000), "nul\u0000byte", "../../etc/passwd", "-1", "99999999999999999999")) {
            run(new Case("newsletter confirm", "GET",
                    "/api/newsletter/confirm" + (t == null ? "" : "?token=" + enc(t)), null, new String[0], Kind.OTHER, null, null));
        }

        // ---------------------------------------------------------------- the verdict
        Measurements.record("reliability hostile-input: corpus size", corpus);
        Measurements.record("reliability hostile-input: statuses", Support.histogram(results));
        Measurements.record("reliability hostile-input: statuses by endpoint", histogram);
        Measurements.record("reliability hostile-input: accepted bookings / callbacks (+honeypot dropped) / subscribers",
                bookingRefs.size() + " / " + callbackIds.size() + " (+" + honeypotIds.size() + ") / " + subscribers.size());
        // Every rule is judged and reported, even when an earlier one already failed.
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(corpus).isGreaterThanOrEqualTo(500);
        softly.assertThat(failures).as("responses breaking the rules (5xx, no answer, non-2xx without a problem code,"
                + " or not the contract's answer), " + failures.size() + " of " + corpus).isEmpty();

        // Nothing persisted from a rejected request: the rows moved by exactly the accepted ones.
        long bookingsAdded = count(p, "booking", "select count(*) from booking") - bookingsBefore;
        long bookingKeysAdded = count(p, "booking", "select count(*) from idempotency_key") - bookingKeysBefore;
        long callbacksAdded = count(p, "callback", "select count(*) from callback_request") - callbacksBefore;
        long callbackKeysAdded = count(p, "callback", "select count(*) from idempotency_key") - callbackKeysBefore;
        // An accepted callback with a marketing opt-in and an email starts a (still unconfirmed)
        // subscription too: which ones did is what callback-service recorded as consent.
        for (List<Object> row : rows(p, "callback", "select lower(r.email) from callback_request r join consent c"
                + " on c.callback_id = r.id and c.purpose = 'MARKETING' and c.granted"
                + " where r.email is not null and r.id::text = any(?)", callbackIds)) {
            subscribers.add((String) row.get(0));
        }
        long subscribersAdded = count(p, "notification", "select count(*) from subscriber") - subscribersBefore;
        for (int i = 0; i < 40 && subscribersAdded < subscribers.size(); i++) {
            Thread.sleep(500); // the opt-ins travel as events to notification-service
            subscribersAdded = count(p, "notification", "select count(*) from subscriber") - subscribersBefore;
        }
        Measurements.record("reliability hostile-input: rows added booking / booking keys / callback / callback keys"
                + " / subscriber", bookingsAdded + " / " + bookingKeysAdded + " / " + callbacksAdded + " / "
                + callbackKeysAdded + " / " + subscribersAdded);
        softly.assertThat(bookingsAdded).as("booking rows added = distinct bookings accepted").isEqualTo(bookingRefs.size());
        softly.assertThat(count(p, "booking", "select count(*) from booking where reference = any(?)", bookingRefs))
                .isEqualTo(bookingRefs.size());
        softly.assertThat(bookingKeysAdded).as("booking idempotency keys stored = keys of accepted bookings")
                .isEqualTo(bookingKeys.size());
        softly.assertThat(callbacksAdded).as("callback rows added = distinct callbacks accepted (honeypot ones dropped)")
                .isEqualTo(callbackIds.size());
        softly.assertThat(count(p, "callback", "select count(*) from callback_request where id::text = any(?)", callbackIds))
                .isEqualTo(callbackIds.size());
        softly.assertThat(count(p, "callback", "select count(*) from callback_request where id::text = any(?)", honeypotIds))
                .as("honeypot requests stored").isZero();
        softly.assertThat(callbackKeysAdded).as("callback idempotency keys stored = keys of accepted callbacks")
                .isEqualTo(callbackKeys.size());
        softly.assertThat(subscribersAdded).as("subscribers added = distinct subscriptions accepted (newsletter and callback opt-ins)").isEqualTo(subscribers.size());
        softly.assertThat(count(p, "notification", "select count(*) from subscriber where lower(email) = any(?)", subscribers))
                .isEqualTo(subscribers.size());

        // Script text accepted as data (names) is escaped in the HTML of every mail that shows it.
        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int[] seen = htmlMentions(escaped);
        while (seen[0] == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            seen = htmlMentions(escaped);
        }
        Thread.sleep(5000);
        seen = htmlMentions(escaped);
        Measurements.record("reliability hostile-input: mails showing the script text escaped / raw", seen[0] + " / " + seen[1]);
        softly.assertThat(seen[0]).as("mails showing the accepted script text, escaped").isPositive();
        softly.assertThat(seen[1]).as("HTML mail parts carrying script or event-handler markup raw").isZero();
        softly.assertAll();
        // Leave the login limiter (10/s, bursts of 30) full for whoever signs in next.
        Thread.sleep(3000);
    }

    private ObjectNode callbackBase() {
        return json(Support.callback("Hostile Tester", clinic.systemtests.Journeys.uniqueMobile(), Support.email("hostile-cb"), "sheffield"));
    }

    private ObjectNode newsletterBase() {
        return json(Map.of("email", Support.email("hostile-nl"), "consent", true));
    }

    private ObjectNode loginBase() {
        return json(Map.of("username", Support.email("nobody"), "password", "dev-password"));
    }

    private static Case get(String label, String path, Map<String, String> base, String param, String value) {
        StringBuilder q = new StringBuilder();
        for (var e : base.entrySet()) {
            String v = e.getKey().equals(param) ? value : e.getValue();
            if (v == null) continue;
            q.append(q.length() == 0 ? "?" : "&").append(e.getKey()).append('=').append(enc(v));
        }
        return new Case(label + "=" + (value == null ? "(none)" : value.length() > 40 ? value.substring(0, 40) + "…" : value),
                "GET", path + q, null, new String[0], Kind.OTHER, null, null);
    }

    /** Sends one case and judges it by the rules every answer must keep. */
    private Result run(Case c) throws Exception {
        if (c.kind() == Kind.LOGIN) {
            // Sign-in is limited to 10 a second per client: stay under it so each input is really judged.
            long wait = lastLogin + 130 - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            lastLogin = System.currentTimeMillis();
        }
        Result r = Support.send(c.method(), p.gateway + c.path(), c.body(), CLIENT_TIMEOUT, c.headers());
        corpus++;
        results.add(r);
        histogram.merge(c.method() + " " + c.endpoint() + " " + r.status(), 1, Integer::sum);
        String why = null;
        if (r.status() < 0) why = "no answer";
        else if (r.status() >= 500) why = "5xx";
        else if (r.status() >= 300 && !r.isProblem()) why = "not a problem document with a code";
        else if (c.expectStatus() != null && r.status() != c.expectStatus()) why = "expected " + c.expectStatus();
        else if (c.expectCode() != null && !c.expectCode().equals(r.code())) why = "expected code " + c.expectCode();
        if (why != null) failures.add(c.method() + " " + c.path().substring(0, Math.min(c.path().length(), 120)) + " ["
                + c.label() + "] " + why + ": " + r.brief());
        if (r.status() >= 200 && r.status() < 300) accepted(c, r);
        return r;
    }

    private void accepted(Case c, Result r) {
        String key = null;
        for (int i = 0; i + 1 < c.headers().length; i += 2) {
            if ("Idempotency-Key".equals(c.headers()[i])) key = c.headers()[i + 1];
        }
        JsonNode sent = Support.parse(c.body() == null ? null : new String(c.body(), StandardCharsets.UTF_8));
        switch (c.kind()) {
            case BOOKING -> {
                bookingRefs.add(r.text("reference"));
                if (key != null) bookingKeys.add(key);
            }
            case CALLBACK -> {
                JsonNode website = sent == null ? null : sent.get("website");
                boolean honeypot = website != null && website.isValueNode() && !website.isNull()
                        && !website.asText().isBlank();
                if (honeypot) {
                    honeypotIds.add(r.text("id"));
                } else {
                    callbackIds.add(r.text("id"));
                    if (key != null) callbackKeys.add(key);
                }
            }
            case NEWSLETTER -> subscribers.add(sent.path("email").asText().toLowerCase());
            default -> { }
        }
    }

    /** [HTML mail parts containing {@code escaped}, HTML mail parts containing script or handler markup raw]. */
    private static int[] htmlMentions(String escaped) {
        int escapedSeen = 0;
        int raw = 0;
        for (JsonNode m : Support.allMail(p)) {
            for (JsonNode part : m.path("parts")) {
                if (!part.path("contentType").asText("").toLowerCase().startsWith("text/html")) continue;
                String html = part.path("content").asText("");
                if (html.contains(escaped)) escapedSeen++;
                if (html.contains(SCRIPT) || html.contains("<img src=x onerror")) raw++;
            }
        }
        return new int[] {escapedSeen, raw};
    }
}
